import DynamosMessages
import Foundation
import PropertyBased
import SwiftProtobuf
import Testing

@Suite("DataTable <-> Dynamos_Table")
struct DataTableProtoTests {
    @Test("random tables round-trip exactly through serialized bytes")
    func roundTrip() async throws {
        await propertyCheck(count: 300, input: Gen.int(in: 0...40), Gen.int(in: 0...8), Gen.uint64()) {
            rows, columns, seed in
            let table = RandomTables.table(rows: rows, columns: columns, seed: seed)
            let bytes: [UInt8] = try table.proto.serializedBytes()
            let back = try DataTable(proto: Dynamos_Table(serializedBytes: bytes))
            #expect(back == table)
            #expect(back.columnNames == table.columnNames)
        }
    }

    @Test("zero rows, zero columns and rows without columns round-trip")
    func edgeShapes() throws {
        let shapes = [
            DataTable(),
            try DataTable(rowCount: 7, columns: []),
            try DataTable(rowCount: 0, columns: [.integer("a", []), .text("a", []), .null("b", count: 0)]),
        ]
        for table in shapes {
            let bytes: [UInt8] = try table.proto.serializedBytes()
            #expect(try DataTable(proto: Dynamos_Table(serializedBytes: bytes)) == table)
        }
    }

    @Test("extreme integers, special doubles and NaN payloads keep their exact bits")
    func extremes() throws {
        let nanWithPayload = Double(nan: 0x1234, signaling: false)
        let table = try DataTable(columns: [
            .integer("i", [.min, .max, nil, 0, -1]),
            .real("r", [.nan, -.infinity, -0.0, nanWithPayload, nil]),
        ])
        let back = try DataTable(proto: Dynamos_Table(serializedBytes: table.proto.serializedBytes() as [UInt8]))
        #expect(back == table)
        guard case .real(let reals) = back.columns[1].values else {
            Issue.record("column r is not real")
            return
        }
        #expect(reals[2]?.bitPattern == (-0.0).bitPattern)
        #expect(reals[3]?.bitPattern == nanWithPayload.bitPattern)
    }

    @Test("integers are frame-of-reference encoded against the minimum, null rows get offset 0")
    func integerEncoding() throws {
        let column = DataColumn.integer("n", [1005, nil, 1000, 1010]).proto
        #expect(column.type == .integer)
        #expect(column.intBase == 1000)
        #expect(column.intOffsets == [5, 0, 0, 10])
        #expect(column.nulls == Data([0b0010]))
        let full = DataColumn.integer("n", [.max, .min]).proto
        #expect(full.intBase == .min)
        #expect(full.intOffsets == [UInt64.max, 0])
    }

    @Test("no nulls means an empty bitmap; bitmaps are LSB first")
    func bitmaps() {
        #expect(DataColumn.real("r", [1, 2, 3]).proto.nulls.isEmpty)
        let nine: [String?] = ["a", nil, "b", "c", "d", "e", "f", "g", nil]
        #expect(DataColumn.text("t", nine).proto.nulls == Data([0b0000_0010, 0b0000_0001]))
    }

    @Test("repetitive text is dictionary encoded, distinct text plain")
    func textEncodingChoice() {
        let repetitive = DataColumn.text("g", (0..<100).map { $0 % 2 == 0 ? "M" : "V" }).proto
        #expect(repetitive.dictionary == ["M", "V"])
        #expect(repetitive.dictionaryIndices.count == 100)
        #expect(repetitive.strings.isEmpty)
        let distinct = DataColumn.text("u", (0..<100).map { "id-\($0)" }).proto
        #expect(distinct.dictionary.isEmpty)
        #expect(distinct.strings.count == 100)
        let allNull = DataColumn.text("n", [nil, nil, nil]).proto
        #expect(allNull.strings == ["", "", ""])
    }

    @Test("dictionary encoding keeps canonically equivalent but different spellings apart")
    func dictionaryKeepsExactSpellings() throws {
        // Precomposed and decomposed "é", and two orders of the same combining marks: equal as Swift
        // Strings, different bytes. Enough repeats that the dictionary is the smaller encoding, with more
        // than the scanned number of distinct values so both lookup paths run.
        let spellings = ["caf\u{E9}", "cafe\u{301}", "a\u{301}\u{316}", "a\u{316}\u{301}"]
            + (0..<12).map { "v\($0)" }
        let values: [String?] = (0..<400).map { spellings[$0 % spellings.count] }
        let column = DataColumn.text("t", values).proto
        #expect(column.dictionary.count == spellings.count)
        let table = try DataTable(columns: [.text("t", values)])
        let back = try DataTable(proto: Dynamos_Table(serializedBytes: table.proto.serializedBytes() as [UInt8]))
        guard case .text(let decoded) = back.columns[0].values else {
            Issue.record("the column came back as \(back.columns[0].type)")
            return
        }
        #expect(decoded.map { $0.map { Array($0.utf8) } } == values.map { $0.map { Array($0.utf8) } })
    }

    @Test("an all-null column carries no values")
    func nullColumn() {
        let column = DataColumn.null("z", count: 1000).proto
        #expect(column.type == .null)
        #expect(column.nulls.isEmpty && column.intOffsets.isEmpty && column.strings.isEmpty)
    }
}
