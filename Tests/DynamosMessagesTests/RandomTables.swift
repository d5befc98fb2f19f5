import DynamosDatagen
import DynamosMessages

/// Random tables for property tests, reproducible from (rows, columns, seed) so shrinking rows and columns
/// gives small failing cases.
enum RandomTables {
    /// Which column types a random table may use.
    enum Flavor {
        /// Everything: all types, NaN payloads, infinities, blobs, all-null typed columns.
        case any
        /// What a CSV text can carry exactly: integer, finite real, text and null columns.
        case csv
    }

    static let names = ["Instcode", "Unieknr", "a", "", "naïve", "列名", "Peildat", "x y;z", "Instcode"]

    static let texts = [
        "", "M", "V", "naïve", "🙂👍🏽", "a;b", "\"quoted\"", "line\nbreak", "\r", "123", "1.5", "nan", "1e5",
        "-0", "007", " 12", "tab\tand\u{0}nul", "Ünïcödé",
    ]

    static func table(rows: Int, columns: Int, seed: UInt64, flavor: Flavor = .any) -> DataTable {
        var rng = SplitMix64(seed: seed)
        var made: [DataColumn] = []
        for _ in 0..<columns {
            let name = names[Int(rng.next(below: UInt64(names.count)))]
            let nullRate = rng.pick([(0.0, weight: 3), (0.3, weight: 3), (1.0, weight: 1)])
            let types: [ColumnType] = flavor == .any ? ColumnType.allCases : [.integer, .real, .text, .null]
            let type = types[Int(rng.next(below: UInt64(types.count)))]
            let smallVocabulary = rng.chance(0.5)
            func values<Value>(_ make: (inout SplitMix64) -> Value) -> [Value?] {
                (0..<rows).map { _ in rng.chance(nullRate) ? nil : make(&rng) }
            }
            let column: DataColumn
            switch type {
            case .integer: column = .integer(name, values(integer))
            case .real: column = .real(name, values { flavor == .any ? anyReal(&$0) : finiteReal(&$0) })
            case .text: column = .text(name, values { text(&$0, smallVocabulary: smallVocabulary) })
            case .blob: column = .blob(name, values(blob))
            case .null: column = .null(name, count: rows)
            }
            made.append(column)
        }
        do {
            return try DataTable(rowCount: rows, columns: made)
        } catch {
            preconditionFailure("random columns out of step: \(error)")
        }
    }

    static func integer(_ rng: inout SplitMix64) -> Int64 {
        switch rng.next(below: 6) {
        case 0: rng.pick([(Int64.min, weight: 1), (Int64.max, weight: 1), (0, weight: 1), (-1, weight: 1)])
        case 1: Int64(bitPattern: rng.next())
        default: Int64(rng.int(in: -1000...100_000))
        }
    }

    static func anyReal(_ rng: inout SplitMix64) -> Double {
        switch rng.next(below: 4) {
        case 0:
            rng.pick([
                (Double.nan, weight: 1), (-Double.nan, weight: 1), (Double(nan: 0x2A, signaling: false), weight: 1),
                (.infinity, weight: 1), (-.infinity, weight: 1), (-0.0, weight: 1), (0.0, weight: 1),
                (.leastNonzeroMagnitude, weight: 1), (.greatestFiniteMagnitude, weight: 1),
            ])
        case 1: Double(bitPattern: rng.next())
        default: finiteReal(&rng)
        }
    }

    static func finiteReal(_ rng: inout SplitMix64) -> Double {
        switch rng.next(below: 5) {
        case 0: rng.pick([(-0.0, weight: 1), (0.0, weight: 1), (1e16, weight: 1), (.leastNonzeroMagnitude, weight: 1)])
        case 1: Double(rng.int(in: -5...5))
        default: (rng.unit() - 0.5) * 2e6
        }
    }

    static func text(_ rng: inout SplitMix64, smallVocabulary: Bool) -> String {
        if smallVocabulary || rng.chance(0.3) {
            return texts[Int(rng.next(below: UInt64(texts.count)))]
        }
        let alphabet = Array("abcXYZ019 ;\"é🙂")
        return String((0..<rng.int(in: 0...12)).map { _ in alphabet[Int(rng.next(below: UInt64(alphabet.count)))] })
    }

    static func blob(_ rng: inout SplitMix64) -> [UInt8] {
        (0..<rng.int(in: 0...8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }
}
