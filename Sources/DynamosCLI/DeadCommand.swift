import ArgumentParser
import DynamosClient
import DynamosControl
import Foundation

/// `dynamos dead list|show|replay|purge --party P`: a party's dead-letter queue, through its agent, for an operator
/// or the party's steward admin.
struct DeadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead",
        abstract: "A party's dead letters: list them with reasons, show one, replay them after a fix, or purge them.",
        subcommands: [List.self, Show.self, Replay.self, Purge.self])

    /// The party, where the ensemble is, who signs in, and the output format: shared by every subcommand.
    struct Target: ParsableArguments {
        @Option(help: "The party whose dead-letter queue this is.")
        var party: String

        @Option(help: "Where ensemble.json is looked for.")
        var stateDir = ".dynamos"

        @Flag(help: "Print the agent's JSON answer.")
        var json = false

        @OptionGroup var credentials: CredentialOptions

        func connect() throws -> (client: OperatorClient, url: String) {
            guard let url = try AgentAddresses.find(stateDir: stateDir, party: party)[party] else {
                throw CLIFailure("no agent for \(party) in \(stateDir)/ensemble.json")
            }
            return (try AgentAddresses.operatorClient(stateDir: stateDir, credentials: credentials), url)
        }

        func printJSON(_ value: some Encodable) throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(value), as: UTF8.self))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The first letters, with why and where from.")

        @OptionGroup var target: Target

        @Option(help: "At most this many letters (1 to 1000).")
        var limit = 100

        func run() async throws {
            let (client, url) = try target.connect()
            let listing = try await client.deadLetters(at: target.party, agentURL: url, limit: limit)
            if target.json { return try target.printJSON(listing) }
            print("\(listing.queue): \(listing.total) letters\(listing.total > listing.letters.count ? ", the first \(listing.letters.count) shown" : "")")
            for letter in listing.letters {
                let when = letter.deadLetteredAt.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval($0))) } ?? "?"
                print("\(letter.id)  \(when)  from \(letter.sourceQueue ?? "?")  \(letter.bytes) bytes"
                    + (letter.replays > 0 ? "  replayed \(letter.replays)x" : "")
                    + (letter.requestId.map { "  request \($0)" } ?? ""))
                print("    \(letter.reason)")
                if let why = letter.notReplayable { print("    not replayable: \(why)") }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One letter: headers, sender, hops, columns; never its values.")

        @OptionGroup var target: Target

        @Argument(help: "The letter's id from `dynamos dead list`.")
        var id: String

        func run() async throws {
            let (client, url) = try target.connect()
            let detail = try await client.deadLetter(id, at: target.party, agentURL: url)
            if target.json { return try target.printJSON(detail) }
            let summary = detail.summary
            print("letter \(summary.id) from \(summary.sourceQueue ?? "?"), \(summary.bytes) bytes, sent by \(detail.sender ?? "?")")
            print("reason: \(summary.reason)")
            if let job = summary.jobId { print("job \(job), request \(summary.requestId ?? "?")") }
            if let hops = summary.hops { print("route: \(hops.joined(separator: " -> "))") }
            if !detail.services.isEmpty { print("done so far: \(detail.services.joined(separator: ", "))") }
            if let error = detail.error { print("error: \(error)") }
            if let rows = detail.rows { print("table: \(rows) rows, columns \(detail.columns.joined(separator: ", "))") }
            if !detail.attachments.isEmpty { print("attachments: \(detail.attachments.joined(separator: ", "))") }
            print("replayable: \(summary.notReplayable.map { "no, \($0)" } ?? "yes")")
            for (name, value) in detail.headers.sorted(by: { $0.key < $1.key }) { print("  \(name): \(value)") }
        }
    }

    /// Which letters a replay or purge takes: ids from `dynamos dead list`, or all.
    struct Selection: ParsableArguments {
        @Argument(help: "Letter ids from `dynamos dead list`.") var ids: [String] = []
        @Flag(help: "Every letter: of the first 1000 for a replay, the whole queue for a purge.") var all = false

        func validate() throws { _ = try value }

        var value: DeadLetterSelection {
            get throws {
                guard all != !ids.isEmpty else { throw ValidationError("name letter ids, or say --all (not both)") }
                return all ? DeadLetterSelection(all: true) : DeadLetterSelection(ids: ids)
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put letters back on the queues they came from.")

        @OptionGroup var target: Target
        @OptionGroup var selection: Selection

        func run() async throws {
            let (client, url) = try target.connect()
            let outcome = try await client.replayDeadLetters(try selection.value, at: target.party, agentURL: url)
            try DeadCommand.report(outcome, verb: "replayed", target: target)
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove letters for good.")

        @OptionGroup var target: Target
        @OptionGroup var selection: Selection

        func run() async throws {
            let (client, url) = try target.connect()
            let outcome = try await client.purgeDeadLetters(try selection.value, at: target.party, agentURL: url)
            try DeadCommand.report(outcome, verb: "purged", target: target)
        }
    }

    static func report(_ outcome: DeadLetterOutcome, verb: String, target: Target) throws {
        if target.json { return try target.printJSON(outcome) }
        print("\(verb): \(outcome.done.isEmpty ? "none" : outcome.done.joined(separator: ", "))")
        for refusal in outcome.refused { print("not \(verb) \(refusal.id): \(refusal.reason)") }
        if !outcome.missing.isEmpty { print("not found: \(outcome.missing.joined(separator: ", "))") }
        if !outcome.refused.isEmpty || !outcome.missing.isEmpty { throw ExitCode(1) }
    }
}
