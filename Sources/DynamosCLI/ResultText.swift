import DynamosControl
import Foundation

/// Result tables and hop timings as aligned terminal text.
enum ResultText {
    /// The table with a header, at most `limit` rows (and how many were left out).
    static func table(columns: [String], rows: [[JSONScalar]], limit: Int = 20) -> String {
        let shown = rows.prefix(limit).map { $0.map(cell) }
        var widths = columns.map(\.count)
        for row in shown {
            for (index, text) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], text.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, text in
                text.padding(toLength: widths[min(index, widths.count - 1)], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var lines = [line(columns), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += shown.map(line)
        if rows.count > limit { lines.append("... \(rows.count - limit) more rows") }
        return lines.joined(separator: "\n")
    }

    /// One line per hop: party/service, queued and processing milliseconds.
    static func hops(_ hops: [DataResponse.Hop]) -> String {
        hops.map { hop in
            var text = "  \(hop.party)/\(hop.service)".padding(toLength: 24, withPad: " ", startingAt: 0)
                + String(format: "queued %7.2f ms  process %7.2f ms", hop.queuedMs, hop.processMs)
            if let cold = hop.coldStartMs { text += String(format: "  cold start %.1f ms", cold) }
            return text
        }.joined(separator: "\n")
    }

    private static func cell(_ value: JSONScalar) -> String {
        switch value {
        case .double(let number): String(format: "%.4f", number)
        default: value.description
        }
    }
}
