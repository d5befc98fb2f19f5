import DynamosMessages
import Foundation
import SwiftProtobuf
import Testing

@Suite("malformed Dynamos_Table is refused")
struct MalformedProtoTests {
    /// A valid four-row table with one column of each kind, for the tests to break.
    private func valid() throws -> Dynamos_Table {
        try DataTable(columns: [
            .integer("i", [1, nil, 3, 4]),
            .real("r", [0.5, 1, nil, 2]),
            .text("t", ["Nederlandse", "Duitse", "Nederlandse", nil]),
            .text("p", ["a", "b", "c", "d"]),
            .blob("b", [[1], nil, [], [2, 3]]),
            .null("n", count: 4),
        ]).proto
    }

    private func expectRefused(
        _ code: DataTableError.Code, sourceLocation: SourceLocation = #_sourceLocation,
        _ breakIt: (inout Dynamos_Table) -> Void
    ) throws {
        var table = try valid()
        #expect(throws: Never.self) { try DataTable(proto: table) }
        breakIt(&table)
        let reparsed = try Dynamos_Table(serializedBytes: table.serializedBytes() as [UInt8])
        let error = #expect(throws: DataTableError.self, sourceLocation: sourceLocation) {
            try DataTable(proto: reparsed)
        }
        #expect(error?.code == code, sourceLocation: sourceLocation)
        #expect(error?.message.isEmpty == false, sourceLocation: sourceLocation)
    }

    @Test("value arrays shorter or longer than row_count")
    func lengthMismatches() throws {
        try expectRefused(.valueCountMismatch) { $0.columns[0].intOffsets.removeLast() }
        try expectRefused(.valueCountMismatch) { $0.columns[1].doubles.append(9) }
        try expectRefused(.valueCountMismatch) { $0.columns[2].dictionaryIndices.removeLast() }
        try expectRefused(.valueCountMismatch) { $0.columns[3].strings.append("e") }
        try expectRefused(.valueCountMismatch) { $0.columns[4].blobs.removeFirst() }
        try expectRefused(.valueCountMismatch) { $0.rowCount = 5 }
    }

    @Test("dictionary index past the dictionary")
    func badDictionaryIndex() throws {
        #expect(try valid().columns[2].dictionary == ["Nederlandse", "Duitse"])
        try expectRefused(.dictionaryIndexOutOfRange) { $0.columns[2].dictionaryIndices[1] = 2 }
        try expectRefused(.dictionaryIndexOutOfRange) { $0.columns[2].dictionary = ["Nederlandse"] }
    }

    @Test("short, long or over-full null bitmaps")
    func badBitmaps() throws {
        try expectRefused(.nullBitmapLength) { $0.columns[0].nulls = Data([0, 0]) }
        try expectRefused(.nullBitmapLength) { $0.columns[1].nulls = Data([0b0100, 0]) }
        try expectRefused(.nullBitmapContent) { $0.columns[0].nulls = Data([0b1_0010]) }
        try expectRefused(.nullBitmapContent) { $0.columns[5].nulls = Data([0b0111]) }
    }

    @Test("values of another type, or plain strings mixed with a dictionary")
    func unexpectedValues() throws {
        try expectRefused(.unexpectedValues) { $0.columns[0].strings = ["", "", "", ""] }
        try expectRefused(.unexpectedValues) { $0.columns[5].intOffsets = [0, 0, 0, 0] }
        try expectRefused(.unexpectedValues) { $0.columns[2].strings = ["x", "y", "x", ""] }
    }

    @Test("unknown column type and impossible row count")
    func unknownTypeAndRowCount() throws {
        try expectRefused(.unknownColumnType) { $0.columns[5].type = .UNRECOGNIZED(9) }
        try expectRefused(.rowCountOutOfRange) { $0.rowCount = UInt64(Int.max) + 1 }
    }

    @Test("tables and mutations keep every column the same length")
    func raggedTables() throws {
        let error = #expect(throws: DataTableError.self) {
            try DataTable(columns: [.integer("a", [1, 2]), .text("b", ["x"])])
        }
        #expect(error?.code == .columnLengthMismatch)
        var table = try DataTable(columns: [.integer("a", [1, 2])])
        #expect(throws: DataTableError.self) { try table.appendColumn(.real("r", [1])) }
        #expect(throws: DataTableError.self) { try table.replaceColumn(at: 3, with: .real("r", [1, 2])) }
        try table.replaceColumn(at: 0, with: .real("r", [1, 2]))
        #expect(table.columns[0].type == .real)
    }
}
