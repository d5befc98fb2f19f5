import DynamosClient
import DynamosEnsemble
import DynamosControl
import DynamosKnowledge
import DynamosStewardConfig
import Foundation
import Logging
import NIOHTTP1
import Testing

/// A real local ensemble for one test: the `dynamos` binary beside the test bundle runs the orchestrator and the
/// agents UVA, VU, RUG and SURF (each starting its workers) on free ports, over the real broker, with small
/// generated datasets in a temporary state directory.
///
/// The config is `Deploy/config` with the load thresholds at 100 %, so a busy test machine never makes the
/// selection offload a steward; the load rule has its own tests in the router.
struct EnsembleFixture {
    let ensemble: Ensemble
    /// Signed in as the ensemble's analyst.
    let client: AnalystClient
    /// Signed in as the ensemble's operator, for the agents' pool endpoints.
    let operatorClient: OperatorClient
    let root: URL

    static let rows = 300
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let analyst = AnalystUser(id: "12324", userName: "jorrit.stutterheim@cloudnation.nl")
    static let join = "SELECT * FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr"

    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("dynamos")
            .path
    }

    /// - Parameters:
    ///   - tls: TLS everywhere, with a TLS-only private broker of the ensemble's own on `brokerURL`'s port.
    ///   - stewards: changes the parties' settings before the ensemble reads them.
    ///   - agreements: changes the stewards' agreements before the ensemble reads them.
    static func with(
        agentArguments: [String] = [], tls: Bool = false, brokerURL: String? = nil,
        stewards: (inout [StewardSettings]) -> Void = { _ in },
        agreements: (inout [Agreement]) -> Void = { _ in },
        _ body: (EnsembleFixture) async throws -> Void
    ) async throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            Issue.record("\(binary) is missing; build it first (`swift build --build-tests` or `make test`)")
            return
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dynamos-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let config = try writeConfiguration(in: root, stewards: stewards, agreements: agreements)
        let settings = EnsembleSettings(
            executable: binary, orchestratorPort: 0, firstAgentPort: 0, stateDirectory: root.path,
            dataDirectory: root.appendingPathComponent("data").path, configDirectory: config, generatedRows: rows,
            brokerScript: repository.appendingPathComponent("Deploy/local/broker.sh").path, brokerURL: brokerURL,
            tls: tls, logLevel: "warning",
            agentArguments: ["--request-timeout", "20"] + agentArguments)
        let ensemble = try await Ensemble.start(settings, logger: Logger(label: "test.ensemble"))
        let fixture = EnsembleFixture(
            ensemble: ensemble,
            client: AnalystClient(
                orchestratorURL: ensemble.file.orchestrator, credential: ensemble.credentials.analyst.apiKey,
                http: ensemble.file.http),
            operatorClient: OperatorClient(
                orchestratorURL: ensemble.file.orchestrator, credential: ensemble.credentials.operator.apiKey,
                http: ensemble.file.http),
            root: root)
        do {
            try await body(fixture)
        } catch {
            await ensemble.stop()
            throw error
        }
        await ensemble.stop()
        try? FileManager.default.removeItem(at: root)
    }

    /// `Deploy/config` copied with every party's load thresholds at 1.0, then edited.
    private static func writeConfiguration(
        in root: URL, stewards edit: (inout [StewardSettings]) -> Void, agreements editAgreements: (inout [Agreement]) -> Void
    ) throws -> String {
        let directory = root.appendingPathComponent("config", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let source = repository.appendingPathComponent("Deploy/config")
        for kind in ConfigKind.allCases {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(kind.fileName), to: directory.appendingPathComponent(kind.fileName))
        }
        var stewards = try JSONDecoder().decode(
            [StewardSettings].self, from: Data(contentsOf: directory.appendingPathComponent("stewards.json")))
        for index in stewards.indices {
            stewards[index].loadThresholds = StewardSettings.LoadThresholds(cpu: 1, memory: 1)
        }
        edit(&stewards)
        try JSONEncoder().encode(stewards).write(to: directory.appendingPathComponent("stewards.json"))
        let agreementsFile = directory.appendingPathComponent("agreements.json")
        var agreements = try JSONDecoder().decode([Agreement].self, from: Data(contentsOf: agreementsFile))
        editAgreements(&agreements)
        try JSONEncoder().encode(agreements).write(to: agreementsFile)
        return directory.path
    }

    /// Approval for `providers` with `options`.
    func approve(_ providers: [String], options: [String: Bool] = [:]) async throws -> ApprovalResponse {
        try await client.requestApproval(
            ApprovalRequest(type: "sqlDataRequest", user: Self.analyst, dataProviders: providers, options: options))
    }

    /// The UNL scenario's data request for `job`.
    func scenario(job: String, query: String = Self.join, options: [String: Bool] = ["graph": true]) -> DataRequest {
        DataRequest(
            query: query, algorithm: "average", algorithmColumns: ["Geslacht": "Salschal"], options: options,
            user: Self.analyst, requestMetadata: .init(jobId: job))
    }

    /// A data request that must fail: the control error it failed with.
    func refusal(
        _ request: DataRequest, at endpoint: String, token: String
    ) async -> ControlError? {
        do {
            _ = try await client.dataRequest(request, at: endpoint, token: token)
            return nil
        } catch {
            return error
        }
    }

    /// A call to the orchestrator's `path` as the operator.
    func asOperator(
        _ method: HTTPMethod, _ path: String, json: (some Encodable)? = Optional<String>.none
    ) async throws(ControlError) -> Data {
        try await client.send(
            method, ensemble.file.orchestrator + path, json: json, token: ensemble.credentials.operator.apiKey
        ).body
    }

    /// The orchestrator's config entry as JSON, and a PUT of it changed by `edit`.
    func changeAgreement(of steward: String, _ edit: (inout Agreement) -> Void) async throws {
        let path = "/api/v1/policyEnforcer/\(steward)"
        var agreement = try JSONDecoder().decode(Agreement.self, from: try await asOperator(.GET, path))
        edit(&agreement)
        _ = try await asOperator(.PUT, path, json: agreement)
    }
}
