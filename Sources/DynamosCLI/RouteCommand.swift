import ArgumentParser
import DynamosKnowledge
import DynamosRouting
import Foundation

/// `dynamos route`: shows which services run where for a request, and why, without touching the bus.
///
/// With `--archetype` it plans that archetype; without it, it runs archetype selection for `--user` against the
/// agreements and explains the choice.
struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Print each party's role and queue path for a request (selecting the archetype if none is given).")

    @Option(help: "The directory with the seed files (requestTypes.json, microservices.json, ...).")
    var config = "Deploy/config"

    @Option(help: "A SQLite config store to use instead of the seed files; seeded from --config on first use.")
    var database: String?

    @Option(help: "The request type, e.g. sqlDataRequest.")
    var requestType: String

    @Option(help: "The archetype, e.g. computeToData or dataThroughTtp; omit it to select one for --user.")
    var archetype: String?

    @Option(help: "Comma-separated data stewards, e.g. UVA,VU.")
    var providers: String

    @Option(help: "The party that computes when the archetype sends data away, e.g. SURF.")
    var computeProvider: String?

    @Option(help: "Comma-separated request options, e.g. anonymize,graph.")
    var options = ""

    @Option(help: "The requesting user, whose agreements decide the archetype (needed without --archetype).")
    var user: String?

    @Option(help: "Comma-separated parties to treat as offline during selection.")
    var offline = ""

    @Option(help: "Comma-separated parties to treat as above their load thresholds during selection.")
    var overloaded = ""

    @Flag(help: "Print the plan as JSON.")
    var json = false

    func run() async throws {
        do {
            let plan = try await makePlan()
            print(json ? try render(json: plan) : render(text: plan))
        } catch let error as RoutingError {
            FileHandle.standardError.write(Data("error: \(error.explanation)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func makePlan() async throws(RoutingError) -> RoutePlan {
        let knowledgeBase: KnowledgeBase
        if let database {
            let store = try SQLiteConfigStore(path: database)
            try await store.seedIfEmpty(directory: config)
            knowledgeBase = try await store.snapshot().knowledgeBase
        } else {
            knowledgeBase = try KnowledgeBase.load(directory: config)
        }
        let router = Router(knowledgeBase: knowledgeBase)
        let stewards = list(providers)
        if let archetype {
            return try router.plan(
                requestType: requestType, archetype: archetype, providers: stewards, computeProvider: computeProvider,
                options: Set(list(options)))
        }
        guard let user, !user.isEmpty else {
            throw RoutingError(.invalidRequest, "give --archetype, or --user so the archetype can be selected")
        }
        var status: [String: PartyStatus] = [:]
        for party in list(offline) { status[party] = PartyStatus(online: false) }
        for party in list(overloaded) { status[party, default: .unknown].cpu = 1 }
        let request = SelectionRequest(
            user: user, requestType: requestType, providers: stewards, options: Set(list(options)))
        return try router.plan(selecting: request, status: status)
    }

    private func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private func render(json plan: RoutePlan) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(plan), as: UTF8.self)
    }

    private func render(text plan: RoutePlan) -> String {
        var lines = ["archetype: \(plan.archetype)" + (plan.computeProvider.map { ", compute provider: \($0)" } ?? "")]
        for party in plan.parties {
            let parts = party.expectedParts.map { ", expects \($0) part(s)" } ?? ""
            lines.append("\(party.party) (\(party.role.rawValue), \(party.archetype)\(parts))")
            lines.append("    services: \(party.services.joined(separator: " -> "))")
            lines.append("    path:     \(party.path.joined(separator: " -> "))")
        }
        lines.append("reasons:")
        lines += plan.reasons.map { "  - \($0)" }
        return lines.joined(separator: "\n")
    }
}
