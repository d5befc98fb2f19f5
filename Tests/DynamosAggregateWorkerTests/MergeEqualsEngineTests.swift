import DynamosAggregateWorker
import DynamosAlgorithmWorker
import DynamosMessages
import Testing

/// Merging partials of any split of a table equals running the engine on the whole table.
@Suite struct MergeEqualsEngineTests {
    /// A deterministic generator (SplitMix64), so failures reproduce.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return value ^ (value >> 31)
        }
    }

    static func randomTable(rows: Int, using generator: inout Generator) throws -> DataTable {
        var gender: [String?] = []
        var institution: [Int64?] = []
        var scale: [Int64?] = []
        var hours: [Double?] = []
        for _ in 0..<rows {
            let missing = Int.random(in: 0..<24, using: &generator)
            gender.append(missing % 10 == 0 ? nil : ["M", "V"].randomElement(using: &generator))
            institution.append(Int64.random(in: 1...3, using: &generator))
            scale.append(missing % 8 == 1 ? 99 : Int64.random(in: 1...18, using: &generator))
            hours.append(missing % 6 == 2 ? nil : Double.random(in: 0...1.2, using: &generator))
        }
        return try DataTable(columns: [
            .text("Geslacht", gender), .integer("Instcode", institution),
            .integer("Salschal", scale), .real("Aanst_22", hours),
        ])
    }

    static func split(_ table: DataTable, into parts: Int, using generator: inout Generator) -> [DataTable] {
        var rows = [[Int]](repeating: [], count: parts)
        for row in 0..<table.rowCount {
            rows[Int.random(in: 0..<parts, using: &generator)].append(row)
        }
        return rows.map { table.gathering(rows: $0) }
    }

    @Test(arguments: [AlgorithmFunction.average, .sum, .count, .min, .max, .stddev])
    func randomSplitsMergeToTheWholeResult(_ function: AlgorithmFunction) throws {
        var generator = Generator(state: 42)
        let engine = AlgorithmEngine()
        let groupings: [[String]] = [["Geslacht"], ["Geslacht", "Instcode"], []]
        for round in 0..<30 {
            let table = try Self.randomTable(rows: Int.random(in: 0...200, using: &generator), using: &generator)
            let pieces = Self.split(table, into: Int.random(in: 1...5, using: &generator), using: &generator)
            let groups = groupings[round % groupings.count]
            var spec = AlgorithmSpec(
                function: function, groupColumns: groups, valueColumns: ["Salschal", "Aanst_22"],
                sentinels: ["Salschal": [.integer(99)]]
            )
            let whole = try engine.run(spec, on: try DataTable(concatenating: pieces))
            spec.partial = true
            let parts = try pieces.enumerated().map { index, piece in
                AggregatePart(provider: "P\(index)", table: try engine.run(spec, on: piece))
            }
            let merged = try PartMerger().merge(parts.shuffled(using: &generator))
            expectSame(merged, whole, tolerance: 1e-9)
        }
    }
}
