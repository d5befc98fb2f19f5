import Foundation

/// A plain-text table with aligned columns for the benchmarks' terminal output: text left, numbers right.
struct TextTable {
    let header: [String]
    var rows: [[String]] = []

    init(_ header: [String]) {
        self.header = header
    }

    mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// The table, header underlined, columns two spaces apart.
    func render() -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return Self.isNumeric(cell) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }

    private static func isNumeric(_ cell: String) -> Bool {
        guard let first = cell.first else { return false }
        return first.isNumber || (first == "-" && cell.count > 1) || first == "x" && cell.dropFirst().first?.isNumber == true
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}

/// Number formats of the benchmark reports.
enum Figures {
    /// Milliseconds with one decimal below 1000, whole above.
    static func ms(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        return value >= 1000 ? String(Int(value.rounded())) : String(format: "%.1f", value)
    }

    /// A byte count in B, KB or MB (powers of 1000, as the thesis wrote them).
    static func bytes(_ value: Int) -> String {
        switch value {
        case ..<1_000: "\(value) B"
        case ..<1_000_000: String(format: "%.1f KB", Double(value) / 1_000)
        default: String(format: "%.2f MB", Double(value) / 1_000_000)
        }
    }

    /// A ratio such as `7.4x`.
    static func ratio(_ value: Double) -> String {
        value.isFinite ? String(format: "%.1fx", value) : "-"
    }
}
