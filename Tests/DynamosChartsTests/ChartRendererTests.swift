import DynamosMessages
import Testing

@testable import DynamosCharts

@Suite("ChartRenderer")
struct ChartRendererTests {
    @Test("A two-group average renders a bar chart of the requested size as PNG and SVG")
    func twoGroupAverage() throws {
        let chart = try ChartRenderer().render(ChartFixtures.twoGroupAverage(), title: "Salary scale by sex")
        #expect(chart.kind == .bar)
        #expect(chart.width == 800 && chart.height == 500)
        let size = try #require(ChartInspection.pngSize(chart.png))
        #expect(size.width == 800 && size.height == 500)
        let image = try PNGImage(decoding: chart.png)
        #expect(image.width == 800 && image.height == 500)
        let background = image.pixels[0]
        #expect(image.pixels.filter { $0 != background }.count > 1000)
        let root = try #require(ChartInspection.svgRootAttributes(chart.svg))
        #expect(root["width"] == "800")
        #expect(root["height"] == "500")
    }

    @Test("The same table and options give byte-identical PNG and SVG")
    func deterministic() throws {
        for table in try [ChartFixtures.twoValues(), ChartFixtures.yearSeries(), ChartFixtures.manyGroups(50)] {
            let first = try ChartRenderer().render(table, title: "Determinism ë")
            let second = try ChartRenderer(options: .init()).render(table, title: "Determinism ë")
            let samePNG = first.png == second.png
            let sameSVG = first.svg == second.svg
            #expect(samePNG, "PNG differs")
            #expect(sameSVG, "SVG differs")
        }
    }

    @Test("Concurrent renders succeed and agree byte for byte")
    func concurrent() async throws {
        let table = try ChartFixtures.twoValues()
        let expected = try ChartRenderer().render(table, title: "Parallel")
        let results = try await withThrowingTaskGroup(of: RenderedChart.self) { group in
            for _ in 0..<6 {
                group.addTask { try ChartRenderer().render(table, title: "Parallel") }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 6)
        let allSame = results.allSatisfy { $0 == expected }
        #expect(allSame, "a concurrent render differs")
    }

    @Test("A numeric series is drawn as a line, groups as bars")
    func kindSelection() throws {
        let renderer = ChartRenderer()
        #expect(try renderer.render(ChartFixtures.yearSeries(), title: "Per year").kind == .line)
        #expect(try renderer.render(ChartFixtures.twoValues(), title: "Grouped").kind == .bar)
        let fewYears = try DataTable(columns: [
            .integer("Instcode", [21, 22, 23]),
            .real("average(Salschal)", [8, 9, 10]),
            .integer("count", [10, 11, 12]),
        ])
        #expect(try renderer.render(fewYears, title: "Few integer groups").kind == .bar)
        let forced = ChartRenderer(options: ChartOptions(kind: .line))
        #expect(try forced.render(fewYears, title: "Forced line").kind == .line)
        let realAxis = try DataTable(columns: [.real("x", [0.5, 1.5, 0.25]), .real("y", [1, 4, 2])])
        #expect(try renderer.render(realAxis, title: "Scatter").kind == .line)
    }

    @Test("A table with nothing numeric, or no rows, throws a clear error")
    func nothingToDraw() throws {
        let text = try DataTable(columns: [.text("Naam", ["a", "b"]), .text("Plaats", ["x", "y"])])
        let error = #expect(throws: GraphError.self) { try ChartRenderer().render(text, title: "Text only") }
        #expect(error?.code == .nothingNumeric)
        #expect(error?.message.contains("Naam") == true)
        let allNull = try DataTable(columns: [.text("g", ["a"]), .real("average(x)", [nil])])
        let nullError = #expect(throws: GraphError.self) { try ChartRenderer().render(allNull, title: "Null") }
        #expect(nullError?.code == .nothingNumeric)
        let empty = try DataTable(columns: [.text("g", []), .real("average(x)", [])])
        let emptyError = #expect(throws: GraphError.self) { try ChartRenderer().render(empty, title: "Empty") }
        #expect(emptyError?.code == .emptyTable)
    }

    @Test("Options that do not fit the table are rejected")
    func badOptions() throws {
        let table = try ChartFixtures.twoValues()
        let unknown = #expect(throws: GraphError.self) {
            try ChartRenderer(options: ChartOptions(valueColumns: ["median(x)"])).render(table, title: "t")
        }
        #expect(unknown?.code == .unknownColumn)
        let text = #expect(throws: GraphError.self) {
            try ChartRenderer(options: ChartOptions(valueColumns: ["Geslacht ë"])).render(table, title: "t")
        }
        #expect(text?.code == .notNumeric)
        let line = #expect(throws: GraphError.self) {
            try ChartRenderer(options: ChartOptions(kind: .line)).render(table, title: "t")
        }
        #expect(line?.code == .invalidOptions)
        let tiny = #expect(throws: GraphError.self) {
            try ChartRenderer(options: ChartOptions(width: 10, height: 10)).render(table, title: "t")
        }
        #expect(tiny?.code == .invalidOptions)
    }

    @Test("Non-ASCII titles and labels render", arguments: ["Geslacht ë", "Salaris € — 日本語 ✓", ""])
    func nonASCII(title: String) throws {
        let chart = try ChartRenderer().render(ChartFixtures.twoValues(), title: title)
        #expect(ChartInspection.svgRootAttributes(chart.svg) != nil)
        #expect(try PNGImage(decoding: chart.png).width == 800)
    }

    @Test("A one-row table and a 50-group table render", arguments: [1, 50])
    func groupCounts(groups: Int) throws {
        let options = ChartOptions(width: 640, height: 360)
        let chart = try ChartRenderer(options: options).render(ChartFixtures.manyGroups(groups), title: "Groups")
        #expect(chart.kind == .bar)
        let size = try #require(ChartInspection.pngSize(chart.png))
        #expect(size.width == 640 && size.height == 360)
        let root = try #require(ChartInspection.svgRootAttributes(chart.svg))
        #expect(root["width"] == "640" && root["height"] == "360")
    }
}
