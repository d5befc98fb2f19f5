import ArgumentParser
import DynamosClient
import DynamosEnsemble
import DynamosControl
import DynamosOrchestrator
import Foundation
import Logging

/// `dynamos demo` (`make demo`): the UNL wage-gap scenario through the whole platform, for both archetypes.
///
/// Brings the local ensemble up (private broker if needed, orchestrator, agents UVA, VU, RUG, SURF and their
/// persistent workers), then asks, as the analyst does over HTTP: approval and a data request for computeToData at
/// UVA, and for dataThroughTtp with UVA and VU via SURF; average `Salschal` by `Geslacht` over the join, with
/// anonymization and a chart. Prints each result, the archetype and why, per-hop timings and where the charts are;
/// shows an SQL error and a forged token coming back as JSON errors; then shuts everything down.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Bring the ensemble up and run the UNL scenario for computeToData and dataThroughTtp.")

    @Option(help: "Datasets as DIR/<party>/<table>.csv; generated there when missing.")
    var dataDir = ".dynamos/data"

    @Option(help: "The configuration directory.")
    var config = "Deploy/config"

    @Option(help: "State of the ensemble: logs, registries, ensemble.json.")
    var stateDir = ".dynamos"

    @Option(help: "Where the charts are written.")
    var out = ".dynamos/demo"

    @Option(help: "Times each scenario is sent; the first and the median of the rest are reported.")
    var requests = 5

    static let analyst = AnalystUser(id: "12324", userName: "jorrit.stutterheim@cloudnation.nl")
    static let join = "SELECT * FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr"

    func run() async throws {
        guard requests > 0 else { throw ValidationError("--requests must be at least 1") }
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "dynamos.demo")
        logger.logLevel = .warning
        print("bringing the ensemble up (logs in \(stateDir)/logs/) ...")
        fflush(nil)
        let ensemble = try await Ensemble.start(
            EnsembleSettings(
                executable: AgentCommand.executable, stateDirectory: stateDir, dataDirectory: dataDir,
                configDirectory: config, logLevel: "warning"),
            logger: logger)
        do {
            try await scenarios(ensemble)
        } catch {
            await ensemble.stop()
            throw error
        }
        print("\nstopping the ensemble ...")
        await ensemble.stop()
        print("done.")
    }

    private func scenarios(_ ensemble: Ensemble) async throws {
        let client = AnalystClient(
            orchestratorURL: ensemble.file.orchestrator, credential: ensemble.credentials.analyst.apiKey,
            http: ensemble.file.http)
        print("orchestrator \(ensemble.file.orchestrator); agents "
            + ensemble.file.agents.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let options = ["graph": true, "anonymize": true]
        try await scenario(
            "computeToData: UVA runs the whole chain", providers: ["UVA"], options: options, client: client)
        try await scenario(
            "dataThroughTtp: UVA and VU query and anonymize, SURF aggregates, computes and draws",
            providers: ["UVA", "VU"], options: options.merging(["aggregate": true]) { $1 }, client: client)
        try await refusals(client, ensemble: ensemble)
    }

    private func scenario(
        _ title: String, providers: [String], options: [String: Bool], client: AnalystClient
    ) async throws {
        print("\n== \(title)")
        let approval = try await client.requestApproval(
            ApprovalRequest(type: "sqlDataRequest", user: Self.analyst, dataProviders: providers, options: options))
        print("approved job \(approval.jobId): \(approval.archetype)"
            + (approval.computeProvider.map { " (compute provider \($0))" } ?? ""))
        for reason in approval.reasons { print("  why: \(reason)") }
        let request = DataRequest(
            query: Self.join, algorithm: "average", algorithmColumns: ["Geslacht": "Salschal"], options: options,
            user: Self.analyst, requestMetadata: .init(jobId: approval.jobId))
        for (party, endpoint) in approval.endpoints.sorted(by: { $0.key < $1.key }) {
            var latencies: [Double] = []
            var last: DataResponse?
            for _ in 0..<requests {
                let (answer, _) = try await client.dataRequest(request, at: endpoint, token: approval.token)
                latencies.append(answer.timings.totalMs)
                last = answer
            }
            guard let answer = last else { continue }
            print("\n\(party) answered (\(answer.mode)); \(answer.result.rows.count) groups:")
            print(ResultText.table(columns: answer.result.columns, rows: answer.result.rows))
            print("hops of the last request:")
            print(ResultText.hops(answer.timings.hops))
            let rest = latencies.dropFirst().sorted()
            print(String(format: "end to end: first %.1f ms", latencies[0])
                + (rest.isEmpty ? "" : String(format: ", median of the next %d: %.1f ms", rest.count, rest[rest.count / 2])))
            if let png = answer.graph?.png.flatMap({ Data(base64Encoded: $0) }) {
                let path = "\(out)/\(answer.archetype)-\(party).png"
                try png.write(to: URL(fileURLWithPath: path))
                try answer.graph?.svg.map { try Data($0.utf8).write(to: URL(fileURLWithPath: path.replacingOccurrences(of: ".png", with: ".svg"))) }
                print("chart: \(path) (and .svg)")
            }
        }
    }

    /// Mistakes come back as JSON errors naming who refused and why.
    private func refusals(_ client: AnalystClient, ensemble: Ensemble) async throws {
        print("\n== errors come back as JSON")
        let approval = try await client.requestApproval(
            ApprovalRequest(type: "sqlDataRequest", user: Self.analyst, dataProviders: ["VU"]))
        // VU itself, or the compute provider when VU's load made the router pick dataThroughTtp.
        let endpoint = approval.endpoints["VU"] ?? approval.endpoints.values.first ?? ""
        let bad = DataRequest(
            query: "SELECT Salaris FROM Personen", algorithm: "average", algorithmColumns: ["Geslacht": "Salschal"],
            user: Self.analyst, requestMetadata: .init(jobId: approval.jobId))
        await show("an SQL error") { _ = try await client.dataRequest(bad, at: endpoint, token: approval.token) }
        let forged = approval.token.dropLast(4) + "AAAA"
        await show("a forged token") { _ = try await client.dataRequest(bad, at: endpoint, token: String(forged)) }
        let stranger = AnalystUser(id: "9", userName: "mallory@example.org")
        await show("a body naming another user than the caller") {
            _ = try await client.requestApproval(
                ApprovalRequest(type: "sqlDataRequest", user: stranger, dataProviders: ["UVA"]))
        }
        var wrongKey = client
        wrongKey.credential = "dyn_000000000000_not-a-key-anybody-was-ever-given-by-the-operator"
        await show("a wrong API key") {
            _ = try await wrongKey.requestApproval(ApprovalRequest(type: "sqlDataRequest", user: .unnamed, dataProviders: ["UVA"]))
        }
        let mallory = try await APIKeyStore(path: "\(stateDir)/orchestrator/api-keys.sqlite").add(
            user: stranger.userName, role: .analyst)
        var asMallory = client
        asMallory.credential = mallory.text
        await show("a user with a key but without an agreement") {
            _ = try await asMallory.requestApproval(
                ApprovalRequest(type: "sqlDataRequest", user: .unnamed, dataProviders: ["UVA"]))
        }
    }

    private func show(_ what: String, _ body: () async throws -> Void) async {
        do {
            try await body()
            print("\(what): unexpectedly accepted")
        } catch let error as ControlError {
            let body = (try? JSONEncoder().encode(error.body)).map { String(decoding: $0, as: UTF8.self) }
            print("\(what): HTTP \(error.code.status) \(body ?? error.description)")
        } catch {
            print("\(what): \(error)")
        }
    }
}
