import DynamosMessages
import Testing

@testable import DynamosCharts

@Suite("ChartModel and scales")
struct ChartModelTests {
    @Test("Computed value columns are drawn, count only when nothing else is computed")
    func valueColumns() throws {
        let model = try ChartModel(table: ChartFixtures.twoValues(), title: "t", options: .init())
        #expect(model.series.map(\.name) == ["average(Salschal)", "sum(Leeftijd)"])
        #expect(model.xAxisLabel == "Geslacht ë")
        #expect(model.categories == ["Mannelijk", "Vrouwelijk", "Onbekend ë"])
        #expect(model.series[0].values == [9.25, 8.75, nil])
        let counts = try DataTable(columns: [.text("g", ["a", "b"]), .integer("count", [3, 4])])
        #expect(try ChartModel(table: counts, title: "t", options: .init()).series.map(\.name) == ["count"])
        let chosen = ChartOptions(valueColumns: ["count"])
        let model2 = try ChartModel(table: ChartFixtures.twoValues(), title: "t", options: chosen)
        #expect(model2.series.map(\.name) == ["count"])
    }

    @Test("A series is sorted by its x values")
    func seriesSorted() throws {
        let table = try DataTable(columns: [
            .integer("year", [2003, 2001, 2002, 2000, 2004, 2005, 2006, 2007, nil]),
            .real("value", [3, 1, 2, 0, 4, 5, 6, 7, 99]),
        ])
        let model = try ChartModel(table: table, title: "t", options: .init())
        #expect(model.kind == .line)
        #expect(model.xValues == (2000...2007).map(Double.init))
        #expect(model.series[0].values == (0...7).map { Double($0) })
    }

    @Test("Nice scales use round steps and cover the data")
    func niceScale() {
        let scale = NiceScale(covering: [8.75, 9.25], includeZero: true)
        #expect(scale.lower == 0 && scale.upper == 10 && scale.step == 2)
        let negative = NiceScale(covering: [-3, 9], includeZero: true)
        #expect(negative.lower <= -3 && negative.upper >= 9)
        #expect(negative.ticks.contains(0))
        #expect(NiceScale(covering: [0], includeZero: true).upper == 1)
        #expect(NiceScale(covering: [2000, 2024], includeZero: false).step == 5)
    }

    @Test("Numbers are formatted without locale")
    func numbers() {
        #expect(NumberText.label(9.25) == "9.25")
        #expect(NumberText.label(4012.5) == "4013")
        #expect(NumberText.label(-0.5) == "-0.5")
        #expect(NumberText.label(120) == "120")
        #expect(NumberText.tick(2.5, step: 0.5) == "2.5")
        #expect(NumberText.tick(2000, step: 5) == "2000")
        #expect(NumberText.tick(0.0001, step: 0.0001) == "0.0001")
    }

    @Test("Cairo's process-global page id is made stable")
    func svgNormalizer() {
        let raw = Array(#"<defs/><g id="surface142"><rect/></g><g id="surfaceless">"#.utf8)
        let expected = Array(#"<defs/><g id="surface1"><rect/></g><g id="surfaceless">"#.utf8)
        let normalized = SVGNormalizer.normalized(raw)
        #expect(String(decoding: normalized, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }

    @Test("A plain table draws its numeric columns as bars over its text columns")
    func plainTable() throws {
        let table = try DataTable(columns: [
            .text("Naam", ["a", "b", "c"]),
            .integer("Leeftijd", [30, 41, 52]),
            .real("Salaris", [2500, 3100.5, nil]),
        ])
        let model = try ChartModel(table: table, title: "t", options: .init())
        #expect(model.kind == .bar)
        #expect(model.series.map(\.name) == ["Leeftijd", "Salaris"])
        #expect(model.categories == ["a", "b", "c"])
        let numbersOnly = try DataTable(columns: [.integer("n", [5, 7])])
        let single = try ChartModel(table: numbersOnly, title: "t", options: .init())
        #expect(single.categories == ["1", "2"] && single.series.map(\.name) == ["n"])
    }

    @Test("Bytes that are not a PNG are rejected when decoding")
    func badPNG() {
        let error = #expect(throws: GraphError.self) { try PNGImage(decoding: [1, 2, 3]) }
        #expect(error?.code == .pngEncoding)
    }
}
