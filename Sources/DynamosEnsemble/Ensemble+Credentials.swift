import DynamosClient
import DynamosProcess
import Foundation

extension Ensemble {
    /// Fresh API keys for the demo analyst and an operator, made with `dynamos users add` as an operator would, and
    /// written to `<state>/credentials.json` (mode 0600) for the CLI.
    static func makeCredentials(
        _ settings: EnsembleSettings, log: @escaping @Sendable (String) -> Void
    ) async throws -> EnsembleCredentials {
        let database = "\(settings.stateDirectory)/orchestrator/api-keys.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        func key(_ user: String, role: String) async throws -> EnsembleCredentials.Key {
            let process = try ChildProcess(
                settings.executable, ["users", "add", user, "--role", role, "--database", database, "--quiet"],
                output: .lines(stderr: nil))
            let line = try await process.waitForLine(within: .seconds(30), "the API key of \(user)") {
                $0.hasPrefix("dyn_")
            }
            _ = await process.exitStatus()
            return EnsembleCredentials.Key(user: user, apiKey: line)
        }
        let credentials = EnsembleCredentials(
            analyst: try await key(EnsembleCredentials.demoAnalyst, role: "analyst"),
            operator: try await key(EnsembleCredentials.demoOperator, role: "operator"))
        try credentials.write(to: settings.stateDirectory)
        return credentials
    }
}
