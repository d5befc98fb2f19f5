import DynamosMessages

/// Tables shaped like the results the graph worker is given.
enum ChartFixtures {
    /// An algorithm result: two groups, an average and a count.
    static func twoGroupAverage() throws -> DataTable {
        try DataTable(columns: [
            .text("Geslacht", ["M", "V"]),
            .real("average(Salschal)", [9.25, 8.75]),
            .integer("count", [120, 98]),
        ])
    }

    /// An algorithm result with two computed values per group (grouped bars with a legend).
    static func twoValues() throws -> DataTable {
        try DataTable(columns: [
            .text("Geslacht ë", ["Mannelijk", "Vrouwelijk", "Onbekend ë"]),
            .real("average(Salschal)", [9.25, 8.75, nil]),
            .real("sum(Leeftijd)", [4012.5, 3980, 12]),
            .integer("count", [120, 98, 1]),
        ])
    }

    /// A numeric series: one value per year.
    static func yearSeries() throws -> DataTable {
        let years = (2000...2024).map { Int64($0) }
        return try DataTable(columns: [
            .integer("year", years),
            .real("value", years.map { Double($0 - 2000) * 1.5 + Double($0 % 3) }),
        ])
    }

    /// An algorithm result with `count` groups.
    static func manyGroups(_ count: Int) throws -> DataTable {
        try DataTable(columns: [
            .text("Afdeling", (0..<count).map { "Afdeling nummer \($0)" }),
            .real("average(x)", (0..<count).map { Double($0 * 7 % 13) - 3 }),
            .integer("count", (0..<count).map { Int64($0 + 1) }),
        ])
    }
}
