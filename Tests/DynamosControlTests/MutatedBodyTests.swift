import DynamosControl
import DynamosDatagen
import DynamosKnowledge
import DynamosStewardConfig
import Foundation
import Testing

/// Fuzzing the HTTP bodies by mutation: valid bodies of every kind the orchestrator and agents decode, broken at
/// random and structurally (deep nesting, huge numbers, long strings); decoding either succeeds or throws, never
/// crashes or runs away.
@Suite("mutated HTTP bodies", .timeLimit(.minutes(2)))
struct MutatedBodyTests {
    static let bodies: [(String, @Sendable (Data) throws -> Void)] = [
        (#"{"type":"sqlDataRequest","query":"SELECT * FROM Personen","algorithm":"average","algorithmColumns":{"Geslacht":"Salschal"},"options":{"graph":true},"user":{"id":"1","userName":"a@b"},"requestMetadata":{"jobId":"job-1"},"executionMode":"persistent"}"#,
         { _ = try JSONDecoder().decode(DataRequest.self, from: $0) }),
        (#"{"type":"requestApproval","user":{"id":"1","userName":"a@b"},"dataProviders":["UVA","VU"],"options":{"aggregate":true}}"#,
         { _ = try JSONDecoder().decode(ApprovalRequest.self, from: $0) }),
        (#"{"min":0,"max":4,"desired":2,"autoscale":{"targetPerWorker":5,"stableWindowSeconds":30.5,"off":false}}"#,
         { _ = try JSONDecoder().decode(PoolChange.self, from: $0) }),
        (#"{"name":"UVA","relations":{"a@b":{"ID":"G","requestTypes":["sqlDataRequest"],"dataSets":["wageGap"],"allowedArchetypes":["computeToData"],"allowedComputeProviders":["SURF"],"allowedAlgorithms":["average"]}},"computeProviders":["SURF"],"archetypes":["computeToData"]}"#,
         { _ = try JSONDecoder().decode(Agreement.self, from: $0) }),
        (#"{"name":"UVA","kind":"steward","enforcedServices":{"sqlDataRequest":["anonymize"]},"maxWorkersPerPool":8,"minimumGroupSize":10,"queryBudget":{"maxRows":100,"timeoutSeconds":2.5}}"#,
         { _ = try JSONDecoder().decode(StewardSettings.self, from: $0) }),
    ]

    static func mutate(_ text: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = text
        let tokens: [[UInt8]] = [
            Array("1e999999".utf8), Array("-9223372036854775809".utf8), Array("null".utf8), Array("\"\\u0000\"".utf8),
            Array("[".utf8), Array("{".utf8), Array("\"\\ud800\"".utf8), Array("NaN".utf8), Array(",,".utf8),
        ]
        for _ in 0...Int(rng.next(below: 3)) {
            let position = Int(rng.next(below: UInt64(bytes.count + 1)))
            switch rng.next(below: 5) {
            case 0 where position < bytes.count: bytes[position] = UInt8(truncatingIfNeeded: rng.next())
            case 1: bytes.insert(contentsOf: tokens[Int(rng.next(below: UInt64(tokens.count)))], at: position)
            case 2 where position < bytes.count: bytes.remove(at: position)
            case 3: bytes = Array(bytes.prefix(position))
            default: bytes.insert(contentsOf: bytes.prefix(16), at: position)
            }
        }
        return bytes
    }

    @Test("random mutations decode or are refused, for every body kind")
    func mutations() {
        var rng = SplitMix64(seed: 0xB0D1E5)
        for (body, decode) in Self.bodies {
            #expect(throws: Never.self) { try decode(Data(body.utf8)) }
            var refused = 0
            for _ in 0..<3_000 {
                do {
                    try decode(Data(Self.mutate(Array(body.utf8), &rng)))
                } catch {
                    refused += 1
                }
            }
            #expect(refused > 300, "\(body.prefix(30)): only \(refused) of 3000 mutations refused")
        }
    }

    @Test("deep nesting, huge numbers and a long string are refused or read without running away")
    func structural() {
        let deep = Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        let deepObject = Data(("{\"min\":" + String(repeating: "{\"a\":", count: 50_000) + "1"
            + String(repeating: "}", count: 50_001)).utf8)
        for (_, decode) in Self.bodies {
            #expect(throws: (any Error).self) { try decode(deep) }
            #expect(throws: (any Error).self) { try decode(deepObject) }
        }
        #expect(throws: (any Error).self) {
            _ = try JSONDecoder().decode(PoolChange.self, from: Data(#"{"min":1e999999,"max":4}"#.utf8))
        }
        #expect(throws: (any Error).self) {
            _ = try JSONDecoder().decode(PoolChange.self, from: Data(#"{"min":18446744073709551616,"max":4}"#.utf8))
        }
        let long = String(repeating: "x", count: 4 << 20)
        let body = Self.bodies[0].0.replacingOccurrences(of: "SELECT * FROM Personen", with: long)
        let request = try? JSONDecoder().decode(DataRequest.self, from: Data(body.utf8))
        #expect(request?.query.count == long.count)
    }
}
