import DynamosCharts
import DynamosMessages
import Foundation

extension LatencyReport {
    /// The terminal report: one line per cell, the per-hop split, the message sizes, and the ratios that answer
    /// the benchmark's questions (ephemeral against warm, cold against warm, ours against the thesis).
    public func text() -> String {
        var out: [String] = []
        out.append("Dynamos latency, timed at the client over HTTP (\(machine.cores) cores, \(machine.cpu), "
            + "bench binary \(machine.build) build); \(plan.repetitions) requests per cell after \(plan.warmup) warm-up.")
        var table = TextTable(["archetype", "rows", "mode", "n", "err", "p50 ms", "p95 ms", "min ms", "max ms", "agent p50"])
        for cell in cells {
            table.append([
                cell.archetype.rawValue, String(cell.rows), cell.mode.rawValue, String(cell.n), String(cell.errors),
                Figures.ms(cell.p50Ms), Figures.ms(cell.p95Ms), Figures.ms(cell.minMs), Figures.ms(cell.maxMs),
                Figures.ms(cell.agentP50Ms),
            ])
        }
        out.append(table.render())
        out.append("")
        out.append("Per hop, medians in ms: startup (worker launch to ready) / processing / transfer (queue and broker)")
        for cell in cells where !cell.hops.isEmpty {
            let hops = cell.hops.map { hop in
                "\(hop.party)/\(hop.service) \(Figures.ms(hop.startupMs))/\(Figures.ms(hop.processingMs))/"
                    + "\(Figures.ms(hop.transferMs))"
            }
            out.append("  \(cell.archetype.rawValue) \(cell.rows) \(cell.mode.rawValue): " + hops.joined(separator: "  "))
        }
        let sizes = Dictionary(cells.compactMap { cell in cell.bytes.map { (cell.rows, $0) } }, uniquingKeysWith: { a, _ in a })
        if !sizes.isEmpty {
            out.append("")
            out.append("One steward's query result: our table encoding / JSON rows / protobuf Struct (DYNAMOS's)")
            for (rows, bytes) in sizes.sorted(by: { $0.key < $1.key }) {
                out.append("  \(rows) rows (\(bytes.resultRows) returned): \(Figures.bytes(bytes.table)) / "
                    + "\(Figures.bytes(bytes.json)) / \(Figures.bytes(bytes.struct))")
            }
        }
        let ratios = ratioLines()
        if !ratios.isEmpty {
            out.append("")
            out.append("Ratios of p50s")
            out += ratios.map { "  " + $0 }
        }
        failures().forEach { out.append("errors: " + $0) }
        return out.joined(separator: "\n")
    }

    private func ratioLines() -> [String] {
        var lines: [String] = []
        for archetype in LatencyArchetype.allCases {
            for rows in Set(cells.map(\.rows)).sorted() {
                guard let warm = cell(archetype, rows: rows, mode: .persistentWarm), warm.n > 0 else { continue }
                var parts: [String] = []
                if let ephemeral = cell(archetype, rows: rows, mode: .ephemeral), ephemeral.n > 0 {
                    parts.append("ephemeral/warm \(Figures.ratio(ephemeral.p50Ms / warm.p50Ms))")
                }
                if let cold = cell(archetype, rows: rows, mode: .persistentCold), cold.n > 0 {
                    parts.append("cold/warm \(Figures.ratio(cold.p50Ms / warm.p50Ms))")
                }
                if let thesis = reference.first(where: { $0.archetype == archetype && $0.rows == rows }) {
                    parts.append("thesis \(Figures.ms(thesis.lowMs))-\(Figures.ms(thesis.highMs)) ms = "
                        + "\(Figures.ratio(thesis.midMs / warm.p50Ms)) our warm p50")
                }
                if !parts.isEmpty { lines.append("\(archetype.rawValue) \(rows): " + parts.joined(separator: ", ")) }
            }
        }
        return lines
    }

    private func failures() -> [String] {
        cells.filter { $0.errors > 0 }.map { cell in
            "\(cell.archetype.rawValue) \(cell.rows) \(cell.mode.rawValue): \(cell.errors) failed, first: "
                + (cell.firstError ?? "?")
        }
    }

    /// `--csv`: one line per cell (`hop` empty) and one per hop of each cell, so a spreadsheet can pivot either.
    public func csv() -> String {
        var lines = [
            "archetype,rows,mode,hop,n,errors,p50Ms,p95Ms,minMs,maxMs,agentP50Ms,startupMs,processingMs,transferMs,"
                + "tableBytes,jsonBytes,structBytes"
        ]
        for cell in cells {
            let key = "\(cell.archetype.rawValue),\(cell.rows),\(cell.mode.rawValue)"
            let bytes = cell.bytes.map { "\($0.table),\($0.json),\($0.struct)" } ?? ",,"
            lines.append(
                "\(key),,\(cell.n),\(cell.errors),\(Self.csv(cell.p50Ms)),\(Self.csv(cell.p95Ms)),"
                    + "\(Self.csv(cell.minMs)),\(Self.csv(cell.maxMs)),\(Self.csv(cell.agentP50Ms)),,,,\(bytes)")
            for hop in cell.hops {
                lines.append(
                    "\(key),\(hop.party)/\(hop.service),,,,,,,,\(Self.csv(hop.startupMs)),"
                        + "\(Self.csv(hop.processingMs)),\(Self.csv(hop.transferMs)),,,")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func csv(_ value: Double) -> String { value.isFinite ? String(format: "%.3f", value) : "" }

    /// `--plot`: grouped bars of the p50 per archetype and row count, one bar per mode, and the thesis's figures
    /// (the middle of each published range) as a labelled reference series, on a logarithmic axis because the
    /// two differ by orders of magnitude.
    /// - Returns: the PNG bytes.
    public func plot(width: Int = 1200, height: Int = 640) throws -> [UInt8] {
        let groups = Array(Set(cells.map { "\($0.archetype.rawValue) \($0.rows)" }))
            .sorted { lhs, rhs in
                let l = lhs.split(separator: " "), r = rhs.split(separator: " ")
                return (l[0], Int(l[1]) ?? 0) < (r[0], Int(r[1]) ?? 0)
            }
        func value(_ group: String, _ mode: LatencyMode) -> Double? {
            cells.first { "\($0.archetype.rawValue) \($0.rows)" == group && $0.mode == mode && $0.n > 0 }?.p50Ms
        }
        var columns = [DataColumn.text("archetype rows", groups)]
        for mode in LatencyMode.allCases where cells.contains(where: { $0.mode == mode }) {
            columns.append(.real("\(mode.rawValue) p50(ms)", groups.map { value($0, mode) }))
        }
        let thesis = groups.map { group in
            reference.first { "\($0.archetype.rawValue) \($0.rows)" == group }?.midMs
        }
        if thesis.contains(where: { $0 != nil }) {
            columns.append(.real("DYNAMOS thesis(reference)", thesis))
        }
        let table = try DataTable(columns: columns)
        let renderer = ChartRenderer(
            options: ChartOptions(
                width: width, height: height, valueColumns: columns.dropFirst().map(\.name), kind: .bar,
                valueScale: .logarithmic, valueAxisTitle: "latency p50, ms (log scale)"))
        return try renderer.render(
            table,
            title: "Dynamos request latency by mode (\(machine.cores) cores) vs the DYNAMOS thesis (reference)"
        ).png
    }
}
