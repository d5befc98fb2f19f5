import ArgumentParser

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
