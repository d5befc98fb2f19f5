import DynamosDatagen
import DynamosMessages
import PropertyBased
import Testing

@Suite("DataTableBuilder type inference")
struct DataTableBuilderTests {
    private func column(_ cells: [CellValue]) throws -> ColumnValues {
        var builder = DataTableBuilder(columnNames: ["c"])
        for cell in cells {
            try builder.appendRow([cell])
        }
        return builder.build().columns[0].values
    }

    @Test("each column keeps the narrowest type that holds all its values")
    func inference() throws {
        #expect(try column([.integer(1), .null, .integer(-3)]) == .integer([1, nil, -3]))
        #expect(try column([.integer(1), .real(0.5)]) == .real([1, 0.5]))
        #expect(try column([.real(0.5), .null, .integer(2)]) == .real([0.5, nil, 2]))
        #expect(try column([.integer(5), .real(0.5), .text("x")]) == .text(["5.0", "0.5", "x"]))
        #expect(try column([.text("x"), .integer(5)]) == .text(["x", "5"]))
        #expect(try column([.null, .null]) == .null(count: 2))
        #expect(try column([.null, .integer(7)]) == .integer([nil, 7]))
        #expect(try column([.null, .null, .text("a")]) == .text([nil, nil, "a"]))
        #expect(try column([.blob([1, 2]), .null]) == .blob([[1, 2], nil]))
        #expect(try column([.blob(Array("hi".utf8)), .integer(3)]) == .text(["hi", "3"]))
        #expect(try column([]) == .null(count: 0))
    }

    @Test("columns infer independently, duplicate names kept")
    func perColumn() throws {
        var builder = DataTableBuilder(columnNames: ["a", "b", "a"])
        try builder.appendRow([.integer(1), .text("x"), .null])
        try builder.appendRow([.real(2.5), .null, .null])
        let table = builder.build()
        #expect(table.columnNames == ["a", "b", "a"])
        #expect(table.columns.map(\.type) == [.real, .text, .null])
        #expect(table.rowCount == 2)
        #expect(table.value(row: 1, column: 0) == .real(2.5))
        #expect(table.row(0) == [.real(1), .text("x"), .null])
    }

    @Test("a row of the wrong width is refused and not appended")
    func widthMismatch() throws {
        var builder = DataTableBuilder(columnNames: ["a", "b"])
        let error = #expect(throws: DataTableError.self) { try builder.appendRow([.integer(1)]) }
        #expect(error?.code == .rowWidthMismatch)
        #expect(builder.rowCount == 0)
    }

    @Test("rebuilding a table from its rows gives it back")
    func rebuild() throws {
        let table = try DataTable(columns: [
            .integer("i", [1, nil, 3]), .real("r", [0.5, .nan, nil]), .text("t", ["a", nil, ""]),
            .blob("b", [[1], nil, []]), .null("n", count: 3),
        ])
        var builder = DataTableBuilder(columnNames: table.columnNames)
        for row in 0..<table.rowCount {
            try builder.appendRow(table.row(row))
        }
        #expect(builder.build() == table)
    }

    @Test("rows written cell by cell build the same table as rows of values")
    func rowWriter() async throws {
        await propertyCheck(count: 200, input: Gen.int(in: 0...30), Gen.int(in: 0...6), Gen.uint64()) {
            rows, columns, seed in
            let table = RandomTables.table(rows: rows, columns: columns, seed: seed)
            var reference = DataTableBuilder(columnNames: table.columnNames)
            var builder = DataTableBuilder(columnNames: table.columnNames)
            for row in 0..<table.rowCount {
                try reference.appendRow(table.row(row))
                builder.appendRow { writer in
                    for cell in table.row(row) {
                        switch cell {
                        case .null: writer.appendNull()
                        case .integer(let value): writer.append(integer: value)
                        case .real(let value): writer.append(real: value)
                        case .text(let value): writer.append(text: value)
                        case .blob(let value): writer.append(blob: value)
                        }
                    }
                }
            }
            #expect(builder.rowCount == table.rowCount)
            #expect(builder.build() == reference.build())
            #expect(builder.build().columns.map(\.type) == reference.build().columns.map(\.type))
        }
    }

    @Test("the row writer widens types like appendRow")
    func rowWriterWidens() {
        var builder = DataTableBuilder(columnNames: ["n", "m", "b"])
        builder.appendRow { $0.append(integer: 1); $0.appendNull(); $0.append(blob: [0x68, 0x69]) }
        builder.appendRow { $0.append(real: 0.5); $0.append(integer: 3); $0.append(.integer(7)) }
        builder.appendRow { $0.appendNull(); $0.append(text: "x"); $0.append(.null) }
        let table = builder.build()
        #expect(table.columns.map(\.values) == [.real([1, 0.5, nil]), .text([nil, "3", "x"]), .text(["hi", "7", nil])])
    }

    @Test("30,000 joined UNL rows x 21 columns build quickly")
    func speed() throws {
        let joined = UNLDataGenerator(seed: 3).dataset(for: Steward(name: "UVA", instcode: 6)).joined(limit: 30_000)
        let rows = (0..<joined.rowCount).map(joined.row)
        let clock = ContinuousClock()
        var builder = DataTableBuilder(columnNames: joined.columnNames, expectedRowCount: rows.count)
        let elapsed = try clock.measure {
            for row in rows {
                try builder.appendRow(row)
            }
        }
        print("builder: \(rows.count) rows x \(joined.columnCount) columns in \(elapsed)")
        #expect(builder.build() == joined)
        // Debug builds are ~10x slower than release, where this takes a few milliseconds.
        #expect(elapsed < .seconds(2))
    }

    @Test("concatenation unifies column types like the builder")
    func concatenation() throws {
        let first = try DataTable(columns: [.integer("a", [1]), .null("b", count: 1)])
        let second = try DataTable(columns: [.real("x", [0.5, nil]), .text("y", ["t", nil])])
        let both = try DataTable(concatenating: [first, second])
        #expect(both.columnNames == ["a", "b"])
        #expect(both.columns[0].values == .real([1, 0.5, nil]))
        #expect(both.columns[1].values == .text([nil, "t", nil]))
        let error = #expect(throws: DataTableError.self) {
            try DataTable(concatenating: [first, try DataTable(columns: [.integer("a", [1])])])
        }
        #expect(error?.code == .rowWidthMismatch)
    }
}
