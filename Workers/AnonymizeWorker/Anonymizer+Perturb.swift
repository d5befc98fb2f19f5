import DynamosMessages

extension Anonymizer {
    /// What perturb accepts, for messages.
    static let numberExpectation = "a number (perturb applies to integer and real columns)"

    /// `values` with uniform noise in `[-noise, +noise)` added, repeatable for the same `(seed, column name)`.
    ///
    /// Row `i` takes the `i`-th draw of `NoiseGenerator(seed:column:)`: one draw per row, nulls and sentinels
    /// included, so a row's noise depends only on the seed, the column name and its position. Reals get the
    /// noise as is; integers get it rounded half away from zero (`v + round(n)`), so they stay exact integers.
    /// Sentinels and nulls are kept.
    func perturb(
        _ values: ColumnValues, noise amplitude: Double, _ column: ColumnContext, seed: String
    ) throws(AnonymizeError) -> ColumnValues {
        var generator = NoiseGenerator(seed: seed, column: column.name)
        switch values {
        case .null:
            return values
        case .integer(let numbers):
            var result = numbers
            for row in numbers.indices {
                let offset = generator.noise(amplitude: amplitude).rounded()
                guard let value = numbers[row], !column.isSentinel(value) else { continue }
                guard let step = Int64(exactly: offset) else {
                    throw column.outOfRange(row: row, value: .integer(value))
                }
                let (sum, overflow) = value.addingReportingOverflow(step)
                if overflow {
                    throw column.outOfRange(row: row, value: .integer(value))
                }
                result[row] = sum
            }
            return .integer(result)
        case .real(let numbers):
            var result = numbers
            for row in numbers.indices {
                let offset = generator.noise(amplitude: amplitude)
                guard let value = numbers[row] else { continue }
                if !column.sentinels.isEmpty, let whole = Int64(exactly: value), column.isSentinel(whole) {
                    continue
                }
                result[row] = value + offset
            }
            return .real(result)
        case .text, .blob:
            if let row = (0..<values.count).first(where: { !values.isNull(at: $0) }) {
                throw column.inapplicable(row: row, value: values[row], expectation: Self.numberExpectation)
            }
            return values
        }
    }
}
