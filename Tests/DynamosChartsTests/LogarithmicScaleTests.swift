import DynamosMessages
import Testing

@testable import DynamosCharts

@Suite("Logarithmic value axis")
struct LogarithmicScaleTests {
    @Test("A log scale runs between powers of ten and places decades evenly")
    func decades() {
        let scale = NiceScale.logarithmic(covering: [17.9, 132, 6_050])
        #expect(scale.lower == 10 && scale.upper == 10_000)
        #expect(scale.ticks == [10, 100, 1_000, 10_000])
        #expect(abs(scale.fraction(of: 100) - 1.0 / 3) < 1e-9)
        #expect(abs(scale.fraction(of: 1_000) - 2.0 / 3) < 1e-9)
        #expect(scale.fraction(of: 0) == 0)
        #expect(scale.label(1_000) == "1000")
    }

    @Test("A narrow log scale gets ticks at 1, 2 and 5 times each decade, and never collapses")
    func narrow() {
        let scale = NiceScale.logarithmic(covering: [20, 90])
        #expect(scale.ticks == [10, 20, 50, 100])
        let single = NiceScale.logarithmic(covering: [100])
        #expect(single.lower == 100 && single.upper == 1_000)
        #expect(NiceScale.logarithmic(covering: [-5, 0]).lower == 1)
    }

    @Test("Bars on a log axis: values orders of magnitude apart are all visible, and the PNG decodes")
    func barsOnLogAxis() throws {
        let table = try DataTable(columns: [
            .text("cell", ["computeToData 30000", "dataThroughTtp 30000"]),
            .real("warm", [76, 184]),
            .real("thesis", [6_050, nil]),
        ])
        let options = ChartOptions(
            valueColumns: ["warm", "thesis"], kind: .bar, valueScale: .logarithmic, valueAxisTitle: "ms (log)")
        let model = try ChartModel(table: table, title: "t", options: options)
        #expect(model.logarithmic)
        #expect(model.yAxisLabel == "ms (log)")
        let chart = try ChartRenderer(options: options).render(table, title: "latency")
        let image = try PNGImage(decoding: chart.png)
        #expect(image.width == 800 && image.height == 500)
        let svg = String(decoding: chart.svg, as: UTF8.self)
        #expect(svg.contains("<svg"))
        let linear = try ChartRenderer(options: ChartOptions(valueColumns: ["warm", "thesis"], kind: .bar))
            .render(table, title: "latency")
        #expect(linear.png != chart.png)
    }
}
