import ArgumentParser
import DynamosRouteSigning
import Foundation

/// Where a daemon finds the parties' public route keys: `--keyring`, else `DYNAMOS_KEYRING`.
enum KeyringOption {
    static let environmentVariable = "DYNAMOS_KEYRING"

    static func path(_ option: String?, _ environment: [String: String]) throws -> String {
        if let option, !option.isEmpty { return option }
        if let path = environment[environmentVariable], !path.isEmpty { return path }
        throw ValidationError(
            "no keyring: pass --keyring FILE or set \(environmentVariable) (the parties' public route keys, as "
                + "`dynamos keys` or `dynamos up` write them)")
    }
}

/// This party's own secret for checking its own routes quickly (`DYNAMOS_PARTY_SECRET`), when it has one.
enum PartySecretOption {
    static let environmentVariable = "DYNAMOS_PARTY_SECRET"

    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PartySecret? {
        guard let value = environment[environmentVariable], !value.isEmpty else { return nil }
        return try PartySecret(base64: value)
    }
}
