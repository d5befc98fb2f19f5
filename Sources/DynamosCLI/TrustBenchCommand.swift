import ArgumentParser
import DynamosBench
import Foundation

/// `dynamos bench trust`: the cost of signing a route and verifying it at every hop, on the 30,000-row message.
struct TrustBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Cost of per-party route signatures: sign once per request, verify at every hop (30,000 rows).")

    @Option(help: "Rows of the thesis query's result in the message.")
    var rows = 30_000

    @Option(help: "Hops that verify the route.")
    var hops = 4

    @Option(help: "Timed runs per measurement; the report takes the median.")
    var reps = 200

    @Option(help: "Write the report as JSON to this file.")
    var json: String?

    func run() async throws {
        let report = try await TrustBenchmark(options: .init(rows: rows, hops: hops, reps: reps)).run()
        let format = { (micros: Double) in String(format: "%8.1f µs", micros) }
        print("message: \(report.rows) rows, \(report.messageBytes) bytes; \(report.hops) hops")
        print("sign (agent, once per request: pack, hash, Ed25519)   \(format(report.signMicros))")
        print("check at a hop of the issuing party (hash, HMAC)       \(format(report.ownVerifyMicros))")
        print("check at another party's hop (hash, Ed25519 verify)    \(format(report.verifyMicros))")
        print("  decode of the same message (each hop, always paid)  \(format(report.decodeMicros))")
        print("  shared-HMAC check as before per-party keys          \(format(report.hmacVerifyMicros))")
        print("per request: sign + \(report.hops) own-party checks              \(format(report.perRequestMicros))")
        if let json { try ReportFile.json(report, to: json) }
    }
}
