import DynamosMessages
import PropertyBased
import Testing

@Suite("CSV text")
struct CSVTests {
    @Test("unquoted fields: null, canonical integers, decimals, otherwise text")
    func fieldParsing() {
        #expect(CellValue(csvField: "") == .null)
        #expect(CellValue(csvField: "0") == .integer(0))
        #expect(CellValue(csvField: "-12") == .integer(-12))
        #expect(CellValue(csvField: "-9223372036854775808") == .integer(.min))
        #expect(CellValue(csvField: "9223372036854775807") == .integer(.max))
        #expect(CellValue(csvField: "9223372036854775808") == .text("9223372036854775808"))
        #expect(CellValue(csvField: "007") == .text("007"))
        #expect(CellValue(csvField: "-0") == .text("-0"))
        #expect(CellValue(csvField: "+5") == .text("+5"))
        #expect(CellValue(csvField: "0.8") == .real(0.8))
        #expect(CellValue(csvField: "1e+16") == .real(1e16))
        #expect(CellValue(csvField: "-0.0") == .real(-0.0))
        #expect(CellValue(csvField: "1.2.3") == .text("1.2.3"))
        #expect(CellValue(csvField: ".") == .text("."))
        #expect(CellValue(csvField: "nan") == .text("nan"))
        #expect(CellValue(csvField: "M") == .text("M"))
    }

    @Test(
        "all four line endings, mixed, blank lines and a byte order mark read the same",
        arguments: CSVLineEnding.allCases
    )
    func lineEndings(ending: CSVLineEnding) throws {
        let expected = try DataTable(columns: [.integer("a", [1, 2, 3]), .text("b", ["x", nil, "z"])])
        let text = expected.csvText(lineEnding: ending)
        #expect(text == ["a;b", "1;x", "2;", "3;z", ""].joined(separator: ending.text))
        #expect(try DataTable(csvText: text) == expected)
        let mixed = "\u{FEFF}a;b\r\n1;x\n\n2;\r3;z\r\r\n\r\n"
        #expect(try DataTable(csvText: mixed) == expected)
    }

    @Test("quoting: separators, quotes, line breaks, empty strings and number-like text")
    func quoting() throws {
        let table = try DataTable(columns: [
            .text("t", ["a;b", "say \"hi\"", "two\nlines", "", "12", "0.5", nil]),
            .integer("n", [1, 2, 3, 4, 5, 6, 7]),
        ])
        let text = table.csvText()
        #expect(text.contains("\"a;b\";1"))
        #expect(text.contains("\"say \"\"hi\"\"\";2"))
        #expect(text.contains("\"\";4"))
        #expect(text.contains("\"12\";5"))
        #expect(text.contains("\n;7\n"))
        #expect(try DataTable(csvText: text) == table)
        #expect(try DataTable(csvText: "a,b\n1,\"x,y\"\n", separator: ",").row(0) == [.integer(1), .text("x,y")])
    }

    @Test("malformed text is refused with a line number")
    func malformed() {
        for text in ["", "\n\n", "a;b\n1;2;3\n", "a;b\n1;\"open\n", "a;b\n\"x\"y;1\n"] {
            let error = #expect(throws: DataTableError.self) { try DataTable(csvText: text) }
            #expect(error?.code == .malformedCSV)
        }
        let error = #expect(throws: DataTableError.self) { try DataTable(csvText: "a;b\n1;2\n\n3\n") }
        #expect(error?.message.contains("line 4") == true)
    }

    @Test("random integer, real, text and null tables survive CSV exactly (typed all-null columns read as null)")
    func roundTrip() async throws {
        await propertyCheck(count: 200, input: Gen.int(in: 0...30), Gen.int(in: 2...6), Gen.uint64()) {
            rows, columns, seed in
            let table = RandomTables.table(rows: rows, columns: columns, seed: seed, flavor: .csv)
            for ending in CSVLineEnding.allCases {
                let back = try DataTable(csvText: table.csvText(lineEnding: ending))
                #expect(back == Self.nullingEmptyColumns(table))
            }
        }
    }

    /// What CSV can say about a typed column without values: only that it is all null.
    static func nullingEmptyColumns(_ table: DataTable) -> DataTable {
        var result = table
        for (index, column) in table.columns.enumerated() where column.values.nullCount == column.count {
            try? result.replaceColumn(at: index, with: .null(column.name, count: column.count))
        }
        return result
    }
}
