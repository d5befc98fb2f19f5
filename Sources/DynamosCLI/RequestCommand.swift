import ArgumentParser
import DynamosClient
import AsyncHTTPClient
import DynamosControl
import Foundation

/// `dynamos request`: the analyst's client. Asks the orchestrator for approval, sends the data request to every
/// endpoint it names, prints the result tables and writes the charts.
struct RequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Ask for approval, run a data request, print the result and write the chart.",
        discussion: """
            Addresses come from <state-dir>/ensemble.json (written by `dynamos up`) unless --orchestrator is given. \
            The analyst is whoever the credential names (--api-key, DYNAMOS_API_KEY, or the local ensemble's analyst \
            key); --user only names the analyst in the body, which the orchestrator refuses if it is someone else. \
            --algorithm-columns maps group columns to value columns: 'Geslacht=Salschal,Aanst_22'; separate several \
            groups with ';'. Under computeToData every steward answers separately; under dataThroughTtp the third \
            party answers with the combined result.
            """)

    @Option(help: "The orchestrator's base URL; default from ensemble.json.")
    var orchestrator: String?

    @Option(help: "Where ensemble.json is looked for.")
    var stateDir = ".dynamos"

    @Option(help: "Verify HTTPS servers against this certificate authority (PEM); default the local ensemble's.")
    var caCertificate: String?

    @OptionGroup var credentials: CredentialOptions

    @Option(help: "Name a user in the request body (refused unless it is the authenticated one).")
    var user: String?

    @Option(help: "The analyst's user id.")
    var userId = "12324"

    @Option(help: "The stewards to ask, comma-separated.")
    var providers = "UVA"

    @Option(help: "The SQL query each steward runs.")
    var query = "SELECT * FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr"

    @Option(help: "The analysis: average, sum, count, min, max, median, stddev, wageGap or rows.")
    var algorithm = "average"

    @Option(help: "Group columns to value columns, e.g. 'Geslacht=Salschal'.")
    var algorithmColumns = "Geslacht=Salschal"

    @Flag(help: "Draw a chart of the result.")
    var graph = false

    @Flag(help: "Ask for anonymization (some stewards enforce it anyway).")
    var anonymize = false

    @Flag(help: "Combine the stewards' data at a trusted third party (dataThroughTtp).")
    var aggregate = false

    @Option(help: "Execution mode: persistent or ephemeral.")
    var mode: String?

    @Flag(help: "Print each agent's JSON answer as it came.")
    var json = false

    @Option(help: "Where charts are written.")
    var out = ".dynamos/results"

    func validate() throws {
        _ = try columns()
        if let mode, !["persistent", "ephemeral"].contains(mode) {
            throw ValidationError("--mode must be persistent or ephemeral")
        }
    }

    func run() async throws {
        let (baseURL, http) = try orchestratorAddress()
        let client = AnalystClient(
            orchestratorURL: baseURL, credential: try credentials.credential(stateDir: stateDir, fallback: .analyst),
            http: http)
        let analyst = AnalystUser(id: userId, userName: user ?? "")
        let stewards = providers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let options = ["graph": graph, "anonymize": anonymize, "aggregate": aggregate]
        let approval: ApprovalResponse
        do {
            approval = try await client.requestApproval(
                ApprovalRequest(type: "sqlDataRequest", user: analyst, dataProviders: stewards, options: options))
        } catch {
            throw CLIFailure("approval refused: \(error)")
        }
        if !json {
            print("job \(approval.jobId): \(approval.archetype)"
                + (approval.computeProvider.map { " via \($0)" } ?? ""))
            for reason in approval.reasons { print("  - \(reason)") }
        }
        let request = DataRequest(
            query: query, algorithm: algorithm, algorithmColumns: try columns(), options: options, user: analyst,
            requestMetadata: DataRequest.Metadata(jobId: approval.jobId), executionMode: mode)
        var failed = false
        for (party, endpoint) in approval.endpoints.sorted(by: { $0.key < $1.key }) {
            do {
                let (answer, body) = try await client.dataRequest(request, at: endpoint, token: approval.token)
                if json {
                    print(String(decoding: body, as: UTF8.self))
                } else {
                    try report(answer, from: party)
                }
            } catch {
                failed = true
                FileHandle.standardError.write(Data("\(party): \(error)\n".utf8))
            }
        }
        if failed { throw ExitCode.failure }
    }

    private func report(_ answer: DataResponse, from party: String) throws {
        print("\n\(party) answered request \(answer.requestId) (\(answer.archetype), \(answer.mode)) "
            + "in \(String(format: "%.1f", answer.timings.totalMs)) ms")
        print(ResultText.table(columns: answer.result.columns, rows: answer.result.rows))
        print(ResultText.hops(answer.timings.hops))
        for suppression in answer.suppressed ?? [] {
            print("suppressed: \(suppression.reason)")
        }
        if let png = answer.graph?.png, let bytes = Data(base64Encoded: png) {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let path = "\(out)/\(answer.jobId)-\(party).png"
            try bytes.write(to: URL(fileURLWithPath: path))
            if let svg = answer.graph?.svg {
                try Data(svg.utf8).write(to: URL(fileURLWithPath: "\(out)/\(answer.jobId)-\(party).svg"))
            }
            print("chart: \(path)")
        }
    }

    /// The orchestrator's URL and a client that verifies it (the local ensemble's authority under `--tls`).
    private func orchestratorAddress() throws -> (String, HTTPClient) {
        let file = EnsembleFile.running(at: EnsembleFile.path(in: stateDir))
        if let orchestrator { return (orchestrator, TrustedHTTP.client(trusting: caCertificate ?? file?.certificateAuthority)) }
        guard let file else {
            throw CLIFailure("no running ensemble in \(stateDir)/ensemble.json; start one with `dynamos up` or pass --orchestrator")
        }
        return (file.orchestrator, file.http)
    }

    /// `--algorithm-columns` as the thesis's map: `'A=x,y;B=z'` -> `{"A": "x,y", "B": "z"}`.
    func columns() throws -> [String: String] {
        var map: [String: String] = [:]
        for group in algorithmColumns.split(separator: ";") where !group.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = group.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else {
                throw ValidationError("--algorithm-columns: '\(group)' is not GROUP=VALUE[,VALUE...]")
            }
            map[parts[0].trimmingCharacters(in: .whitespaces)] = String(parts[1])
        }
        return map
    }
}

/// A command failed for a reason the user should read; printed without a stack of error types.
struct CLIFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
