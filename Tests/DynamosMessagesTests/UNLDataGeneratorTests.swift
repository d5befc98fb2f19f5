import DynamosDatagen
import DynamosMessages
import Testing

@Suite("UNL data generator")
struct UNLDataGeneratorTests {
    static let uva = Steward.named("UVA")!
    static let small = UNLDataGenerator(seed: 7, personCount: 1500)

    private func csv(_ dataset: UNLDataset) -> [String] {
        dataset.csvFiles(lineEnding: .crcrlf).map(\.text)
    }

    @Test("the same seed gives the same bytes, another seed other bytes")
    func determinism() {
        let once = csv(Self.small.dataset(for: Self.uva))
        let again = csv(UNLDataGenerator(seed: 7, personCount: 1500).dataset(for: Self.uva))
        #expect(once == again)
        let other = csv(UNLDataGenerator(seed: 8, personCount: 1500).dataset(for: Self.uva))
        #expect(once[0] != other[0])
        #expect(once[1] != other[1])
        let vu = Self.small.dataset(for: Steward.named("vu")!)
        #expect(csv(vu) != once)
        #expect(Self.small.datasets(for: [vu.steward, Self.uva])[1] == Self.small.dataset(for: Self.uva))
    }

    @Test("CSV files: header, one line per row, every line the right width", arguments: CSVLineEnding.allCases)
    func csvShape(ending: CSVLineEnding) throws {
        let dataset = Self.small.dataset(for: Self.uva)
        let files = dataset.csvFiles(lineEnding: ending)
        #expect(files.map(\.fileName) == ["Personen.csv", "Aanstellingen.csv"])
        let expected = [
            (UNLDataset.personenColumns, dataset.personen.rowCount),
            (UNLDataset.aanstellingenColumns, dataset.aanstellingen.rowCount),
        ]
        for (file, (header, rows)) in zip(files, expected) {
            #expect(file.text.hasSuffix(ending.text))
            let lines = file.text.components(separatedBy: ending.text).dropLast()
            #expect(lines.count == rows + 1)
            #expect(lines.first == header.joined(separator: ";"))
            #expect(lines.allSatisfy { !$0.contains("\r") && !$0.contains("\n") })
            let widths = Set(lines.map { $0.split(separator: ";", omittingEmptySubsequences: false).count })
            #expect(widths == [header.count])
            let table = try DataTable(csvText: file.text)
            #expect(table == (header.count == 8 ? dataset.personen : dataset.aanstellingen))
        }
    }

    @Test("Personen: default size, unique Unieknr, M/V, valid dates")
    func personen() throws {
        let personen = UNLDataGenerator().dataset(for: Self.uva).personen
        #expect(personen.rowCount == 18_000)
        #expect(personen.columnNames == UNLDataset.personenColumns)
        let ids = integers(personen, "Unieknr")
        #expect(Set(ids).count == ids.count)
        let sexes = Set(personen.column(named: "Geslacht").map { column in
            (0..<column.count).map { column.value(at: $0) }
        } ?? [])
        #expect(sexes == [.text("M"), .text("V")])
        #expect(integers(personen, "Gebdat").allSatisfy(isValidDate))
        #expect(Set(integers(personen, "Instcode")) == [6])
        #expect(Set(integers(personen, "Peildat")) == [20_221_231])
        #expect(Set(integers(personen, "BKO")).isSubset(of: [0, 1]))
        #expect(personen.column(named: "Nationaliteit")!.values.nullCount > 0)
    }

    @Test("Aanstellingen: references persons, scales, open ends, part-time factors")
    func aanstellingen() throws {
        let dataset = Self.small.dataset(for: Self.uva)
        let aanstellingen = dataset.aanstellingen
        #expect(aanstellingen.columnNames == UNLDataset.aanstellingenColumns)
        let persons = Set(integers(dataset.personen, "Unieknr"))
        let refs = integers(aanstellingen, "Unieknr")
        #expect(refs.allSatisfy(persons.contains))
        #expect(Set(refs).count == persons.count)
        #expect(refs.count > persons.count * 3 / 2)
        let scales = integers(aanstellingen, "Salschal")
        #expect(scales.allSatisfy { (1...18).contains($0) || $0 == 99 })
        #expect(scales.contains(99) && scales.contains(18))
        let ends = integers(aanstellingen, "Eindatdv")
        #expect(ends.contains(99_990_101))
        #expect(ends.allSatisfy { $0 == 99_990_101 || isValidDate($0) })
        #expect(integers(aanstellingen, "Ingdatdv").allSatisfy(isValidDate))
        #expect(Set(integers(aanstellingen, "Aanst_22")).isSubset(of: [0, 1, 2, 3]))
        #expect(Set(integers(aanstellingen, "Volgnrar")) == [1, 2, 3])
        guard case .real(let factors) = aanstellingen.column(named: "Taakomv")?.values else {
            Issue.record("Taakomv is not a real column")
            return
        }
        #expect(factors.allSatisfy { ($0 ?? 0) > 0 && ($0 ?? 2) <= 1 })
        #expect(Set(factors.compactMap { $0 }).isSuperset(of: [0.8, 1.0]))
    }

    @Test("the join: 21 columns with repeated names, matching keys, LIMIT")
    func join() {
        let dataset = Self.small.dataset(for: Self.uva)
        let joined = dataset.joined()
        #expect(joined.columnNames == UNLDataset.personenColumns + UNLDataset.aanstellingenColumns)
        #expect(joined.columnIndices(named: "Instcode") == [0, 8])
        #expect(joined.columnIndices(named: "Peildat") == [7, 20])
        #expect(joined.rowCount == dataset.aanstellingen.rowCount)
        let keysMatch = (0..<joined.rowCount).allSatisfy { row in
            joined.value(row: row, column: 1) == joined.value(row: row, column: 9)
        }
        #expect(keysMatch)
        let limited = dataset.joined(limit: 100)
        #expect(limited.rowCount == 100)
        #expect(limited == joined.prefix(100))
    }

    private func integers(_ table: DataTable, _ name: String) -> [Int64] {
        guard case .integer(let values) = table.column(named: name)?.values else { return [] }
        return values.compactMap { $0 }
    }

    private func isValidDate(_ value: Int64) -> Bool {
        let year = value / 10_000
        let month = value / 100 % 100
        let day = value % 100
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1950...2030).contains(year) && (1...12).contains(month) && (1...lengths[Int(month) - 1]).contains(day)
    }
}
