import Crypto
import DynamosDatagen
import DynamosMessages
import DynamosQueryEngine
import DynamosRouteSigning
import Foundation

/// `dynamos bench trust`: what route signing costs, on the thesis's 30,000-row message.
///
/// Per request the issuing agent packs the request, hashes it, signs the route once (Ed25519) and tags it with its
/// party secret; per hop a worker decodes the message (which it always did), hashes the request again and checks
/// the tag (a hop of the issuing party) or verifies the signature against the public keyring (a hop at another
/// party). Measured in process, without the broker, as medians over `reps`; beside them the decode of the same
/// message, which every hop pays anyway, and the shared-HMAC check routes carried before per-party keys.
public struct TrustBenchmark: Sendable {
    public struct Options: Sendable {
        public var rows: Int
        public var hops: Int
        public var reps: Int

        public init(rows: Int = 30_000, hops: Int = 4, reps: Int = 200) {
            self.rows = rows
            self.hops = hops
            self.reps = reps
        }
    }

    /// Medians in microseconds.
    public struct Report: Sendable, Codable {
        public var rows: Int
        public var messageBytes: Int
        public var hops: Int
        /// The issuing agent, per request: pack the request, hash it, sign the route.
        public var signMicros: Double
        /// Each hop: decode the whole message (paid with or without signatures).
        public var decodeMicros: Double
        /// A hop at another party than the issuer: hash the request again and verify the Ed25519 signature.
        public var verifyMicros: Double
        /// A hop at the issuing party itself: the same checks, with the party secret's HMAC for the signature.
        public var ownVerifyMicros: Double
        /// The same check with an HMAC over the same bytes, as routes were verified before per-party keys.
        public var hmacVerifyMicros: Double
        /// Signing once and checking at every hop of the issuing party, for one request.
        public var perRequestMicros: Double { signMicros + Double(hops) * ownVerifyMicros }
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    public func run() async throws -> Report {
        let table = try await Self.table(rows: options.rows)
        let key = RouteSigningKey(party: "UVA", keyID: "UVA-1")
        let keyring = try RouteKeyring(entries: [key.publicEntry])
        let signer = RouteSigner(key: key, keyring: keyring, partySecret: PartySecret())
        let hops = (0..<options.hops).map { "dynamos.UVA.hop\($0)" } + ["dynamos.UVA.results"]
        let request = Dynamos_SqlDataRequest.with {
            $0.type = "sqlDataRequest"
            $0.query = "SELECT * FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr LIMIT \(options.rows)"
            $0.algorithm = "average"
            $0.algorithmColumns = ["Geslacht": "Salschal"]
        }
        let expiry = UnixTime.now + 600
        let sign = try Self.median(options.reps) {
            _ = try RequestMessage(request: request, jobID: "job-1", requestID: "req-1", hops: hops)
                .message(signedBy: signer, expiresAt: expiry)
        }
        var message = try RequestMessage(request: request, jobID: "job-1", requestID: "req-1", hops: hops)
            .message(signedBy: signer, expiresAt: expiry)
        message.data = table.proto
        let bytes: [UInt8] = try message.serializedBytes()
        let decoded = try Dynamos_MicroserviceCommunication(serializedBytes: bytes)
        let decode = try Self.median(options.reps) { _ = try Dynamos_MicroserviceCommunication(serializedBytes: bytes) }
        let ownParty = signer.verifier
        let ownVerify = try Self.median(options.reps) {
            try ownParty.verify(decoded.signedRoute, requestDigest: decoded.requestDigest, tickets: decoded.tickets)
        }
        let otherParty = RouteVerifier(party: "SURF", keyring: keyring)
        var atOtherParty = decoded
        atOtherParty.routingData = ["dynamos.UVA.results"]
        let verify = try Self.median(options.reps) {
            try otherParty.verify(
                atOtherParty.signedRoute, requestDigest: atOtherParty.requestDigest, tickets: atOtherParty.tickets)
        }
        let secret = SymmetricKey(size: .bits256)
        let route = decoded.signedRoute
        let input = Array(route.jobID.utf8) + Array(route.requestID.utf8) + route.path.flatMap { Array($0.utf8) }
        let tag = HMAC<SHA256>.authenticationCode(for: input, using: secret)
        let hmac = try Self.median(options.reps) {
            guard HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: input, using: secret) else {
                throw BenchError("the reference HMAC did not verify")
            }
        }
        return Report(
            rows: table.rowCount, messageBytes: bytes.count, hops: options.hops, signMicros: sign, decodeMicros: decode,
            verifyMicros: verify, ownVerifyMicros: ownVerify, hmacVerifyMicros: hmac)
    }

    /// The thesis query's result over generated UNL data, through the query worker's own engine.
    static func table(rows: Int) async throws -> DataTable {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("dynamos-trust-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let data = scratch.appendingPathComponent("data/UVA", isDirectory: true)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let dataset = UNLDataGenerator(seed: 1, personCount: max(rows, 1_000))
            .dataset(for: Steward.named("UVA") ?? Steward.known[0])
        for file in dataset.csvFiles() {
            try Data(file.text.utf8).write(to: data.appendingPathComponent(file.fileName))
        }
        let databases = scratch.appendingPathComponent("db", isDirectory: true)
        try FileManager.default.createDirectory(at: databases, withIntermediateDirectories: true)
        let engine = QueryEngine(
            datasetDirectory: scratch.appendingPathComponent("data"), databaseDirectory: databases,
            indexes: ["Aanstellingen": ["Unieknr"], "Personen": ["Unieknr"]])
        return try await engine.query(
            "SELECT * FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr LIMIT \(rows)", party: "UVA")
    }

    /// The median time of `body` over `reps` runs, in microseconds, after a few unmeasured ones.
    static func median(_ reps: Int, _ body: () throws -> Void) throws -> Double {
        for _ in 0..<3 { try body() }
        var samples: [Double] = []
        samples.reserveCapacity(reps)
        let clock = ContinuousClock()
        for _ in 0..<max(1, reps) {
            let elapsed = try clock.measure(body)
            samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
        }
        samples.sort()
        return samples[samples.count / 2]
    }
}
