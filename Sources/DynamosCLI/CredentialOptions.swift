import ArgumentParser
import DynamosClient
import Foundation

/// How a CLI command proves who it is to the orchestrator: `--api-key`, else `DYNAMOS_API_KEY`, else the key
/// `dynamos up` made for this kind of user in `<state-dir>/credentials.json`.
struct CredentialOptions: ParsableArguments {
    @Option(help: "An API key or token for the orchestrator; default $DYNAMOS_API_KEY, else the local ensemble's.")
    var apiKey: String?

    /// Which of the local ensemble's keys a command falls back on.
    enum Fallback {
        case analyst
        case `operator`
    }

    func credential(stateDir: String, fallback: Fallback) throws -> String {
        if let apiKey, !apiKey.isEmpty { return apiKey }
        if let key = ProcessInfo.processInfo.environment["DYNAMOS_API_KEY"], !key.isEmpty { return key }
        guard let local = EnsembleCredentials.load(from: stateDir) else {
            throw CLIFailure(
                "no credential: pass --api-key or set DYNAMOS_API_KEY (an operator makes one with `dynamos users add`), "
                    + "or run against an ensemble started by `dynamos up` in \(stateDir)")
        }
        return fallback == .analyst ? local.analyst.apiKey : local.operator.apiKey
    }
}
