import DynamosDatagen
import DynamosMessages
import Foundation
import SwiftProtobuf
import Testing

/// Fuzzing by mutation: valid messages with random tables, broken in random ways (bit flips, overwritten, inserted
/// and deleted bytes, truncation, spliced copies), then decoded as a worker decodes them. Nothing may crash, and
/// whatever decodes stays within what its bytes can back.
@Suite("mutated messages", .timeLimit(.minutes(2)))
struct MutatedMessageTests {
    static let iterations = 20_000

    /// A serialized message carrying a random table, as a worker receives it.
    static func message(seed: UInt64) throws -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let table = RandomTables.table(
            rows: Int(rng.next(below: 30)), columns: Int(rng.next(below: 6)), seed: rng.next())
        let message = Dynamos_MicroserviceCommunication.with {
            $0.type = "microserviceCommunication"
            $0.requestType = "sqlDataRequest"
            $0.data = table.proto
            $0.routingData = ["dynamos.SURF.aggregate", "dynamos.SURF.results"]
            $0.requestMetadata = .with { $0.jobID = "job-1"; $0.requestID = "r-\(seed)" }
        }
        return try message.serializedBytes()
    }

    /// `bytes` broken by one to four random mutations.
    static func mutate(_ bytes: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        for _ in 0...Int(rng.next(below: 4)) {
            let position = bytes.isEmpty ? 0 : Int(rng.next(below: UInt64(bytes.count)))
            switch rng.next(below: 7) {
            case 0 where !bytes.isEmpty: bytes[position] ^= UInt8(1 << rng.next(below: 8))
            case 1 where !bytes.isEmpty: bytes[position] = [0x00, 0x7F, 0x80, 0xFF][Int(rng.next(below: 4))]
            case 2: bytes.insert(contentsOf: (0..<Int(rng.next(below: 12))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: position)
            case 3 where !bytes.isEmpty:
                bytes.removeSubrange(position..<min(bytes.count, position + 1 + Int(rng.next(below: 16))))
            case 4: bytes = Array(bytes.prefix(position))
            case 5 where !bytes.isEmpty:
                // A varint that claims a huge length or count where a length or count was.
                bytes.replaceSubrange(position..<position + 1, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
            default:
                let from = bytes.isEmpty ? 0 : Int(rng.next(below: UInt64(bytes.count)))
                bytes.insert(contentsOf: bytes[from..<min(bytes.count, from + 24)], at: position)
            }
        }
        return bytes
    }

    @Test("random mutations of valid messages decode or are refused; a decoded table is backed by its bytes")
    func mutations() throws {
        var rng = SplitMix64(seed: 0x5EED_F022)
        var decodedTables = 0
        var refused = 0
        for iteration in 0..<Self.iterations {
            let bytes = Self.mutate(try Self.message(seed: UInt64(iteration % 500)), &rng)
            guard let message = try? Dynamos_MicroserviceCommunication(serializedBytes: bytes) else {
                refused += 1
                continue
            }
            do {
                let table = try DataTable(proto: message.data)
                decodedTables += 1
                let backed = message.data.columns.contains { $0.type != .null }
                #expect(
                    table.rowCount <= (backed ? bytes.count : DataTable.maximumUnbackedRows),
                    "iteration \(iteration): \(table.rowCount) rows from \(bytes.count) bytes")
            } catch {
                refused += 1
                #expect(!error.message.isEmpty)
            }
        }
        // Both sides of the decoder were exercised.
        print("mutated messages: \(decodedTables) tables decoded, \(refused) refused")
        #expect(decodedTables > Self.iterations / 50 && refused > Self.iterations / 10, "\(decodedTables) / \(refused)")
    }

    @Test("claimed sizes past the bytes: row counts, bitmaps and dictionary indices are refused, never trusted")
    func claimedSizes() throws {
        for rowCount in [UInt64(Int.max), UInt64.max, UInt64(DataTable.maximumUnbackedRows) + 1] {
            var lie = Dynamos_Table()
            lie.rowCount = rowCount
            lie.columns = [.with { $0.name = "n"; $0.type = .null }]
            #expect(throws: DataTableError.self) { try DataTable(proto: lie) }
            lie.columns = []
            #expect(throws: DataTableError.self) { try DataTable(proto: lie) }
            lie.columns = [.with { $0.name = "i"; $0.type = .integer; $0.intOffsets = [1]; $0.nulls = Data([0]) }]
            #expect(throws: DataTableError.self) { try DataTable(proto: lie) }
        }
        var dictionary = Dynamos_Table()
        dictionary.rowCount = 1
        dictionary.columns = [
            .with { $0.name = "t"; $0.type = .text; $0.dictionary = ["a"]; $0.dictionaryIndices = [UInt32.max] }
        ]
        #expect(throws: DataTableError.self) { try DataTable(proto: dictionary) }
    }
}
