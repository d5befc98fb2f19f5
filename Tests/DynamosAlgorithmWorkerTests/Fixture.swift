import DynamosMessages

/// A small UNL-like table whose statistics are easy to compute by hand.
///
/// Group M: Salschal 10, 99 (sentinel), 12; Aanst_22 1.0, 0.8, 1.0.
/// Group V: Salschal 12, 14, null, 16; Aanst_22 0.5, null, 0.6, 0.4.
enum Fixture {
    static let table: DataTable = {
        let columns: [DataColumn] = [
            .text("Instcode", ["UVA", "UVA", "VU", "VU", "UVA", "VU", "UVA"]),
            .text("Geslacht", ["M", "V", "M", "V", "M", "V", "V"]),
            .integer("Salschal", [10, 12, 99, 14, 12, nil, 16]),
            .real("Aanst_22", [1.0, 0.5, 0.8, nil, 1.0, 0.6, 0.4]),
            .integer("Instcode", [1, 1, 1, 1, 1, 1, 1]),
            .text("Naam", ["a", "b", nil, "d", "e", "f", "g"]),
        ]
        return try! DataTable(columns: columns)
    }()

    static let salschalSentinel: [String: [CellValue]] = ["Salschal": [.integer(99)]]
}

extension DataTable {
    /// The values of the first column called `name`, as cells.
    func cells(_ name: String) -> [CellValue] {
        guard let column = column(named: name) else { return [] }
        return (0..<column.count).map { column.value(at: $0) }
    }

    /// The reals of the first column called `name`.
    func reals(_ name: String) -> [Double?] {
        cells(name).map(\.doubleValue)
    }
}

/// Whether `lhs` and `rhs` agree within `tolerance` relative (both nil counts as agreeing).
func close(_ lhs: Double?, _ rhs: Double?, tolerance: Double = 1e-12) -> Bool {
    switch (lhs, rhs) {
    case (nil, nil): return true
    case (let left?, let right?): return abs(left - right) <= tolerance * max(1, abs(left), abs(right))
    default: return false
    }
}

/// Whether two real arrays agree elementwise within `tolerance` relative.
func close(_ lhs: [Double?], _ rhs: [Double?], tolerance: Double = 1e-12) -> Bool {
    lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { close($0, $1, tolerance: tolerance) }
}
