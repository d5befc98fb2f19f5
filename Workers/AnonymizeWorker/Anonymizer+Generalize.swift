import DynamosMessages
import DynamosStewardConfig

extension Anonymizer {
    /// What date rules accept, for messages.
    static let dateExpectation = "a YYYYMMDD date (an 8-digit integer or text, month 01-12, day 01-31)"
    /// What band rules accept, for messages.
    static let integerExpectation = "an integer (or the text of one) whose band fits in 64 bits"

    /// `values` coarsened by `generalization`; sentinels kept, nulls stay null.
    func generalize(
        _ values: ColumnValues, _ generalization: Dataset.AnonymizationRule.Generalization, _ column: ColumnContext
    ) throws(AnonymizeError) -> ColumnValues {
        if case .null = values { return values }
        switch generalization {
        case .year:
            let numbers = try integers(of: values, column, expectation: Self.dateExpectation)
            var years = [Int64?](repeating: nil, count: numbers.count)
            for row in numbers.indices {
                guard let value = numbers[row] else { continue }
                if column.isSentinel(value) {
                    years[row] = value
                } else if let year = Self.year(ofDate: value) {
                    years[row] = year
                } else {
                    throw column.inapplicable(row: row, value: values[row], expectation: Self.dateExpectation)
                }
            }
            if case .text = values {
                return .text(years.map { $0.map { String($0) } })
            }
            return .integer(years)
        case .yearRange(let span):
            let years = Int64(span)
            return try ranges(values, column, width: years, expectation: Self.dateExpectation) { date in
                guard let year = Self.year(ofDate: date) else { return nil }
                return year - year % years
            }
        case .band(let width):
            return try ranges(values, column, width: width, expectation: Self.integerExpectation) { value in
                var quotient = value / width
                if value % width != 0, value < 0 {
                    quotient -= 1
                }
                let (low, overflow) = quotient.multipliedReportingOverflow(by: width)
                return overflow ? nil : low
            }
        }
    }

    /// A text column of `low-high` ranges of `width`, with `low = lowEnd(value)`; sentinels as their decimal text.
    ///
    /// `lowEnd` returns nil for a value it cannot apply to, which becomes an `.inapplicableValue` error. Labels are
    /// made once per range and shared, since a column has far fewer ranges than rows.
    private func ranges(
        _ values: ColumnValues, _ column: ColumnContext, width: Int64, expectation: String,
        _ lowEnd: (Int64) -> Int64?
    ) throws(AnonymizeError) -> ColumnValues {
        let numbers = try integers(of: values, column, expectation: expectation)
        var texts = [String?](repeating: nil, count: numbers.count)
        var labels: [Int64: String] = [:]
        for row in numbers.indices {
            guard let value = numbers[row] else { continue }
            if column.isSentinel(value) {
                texts[row] = String(value)
            } else if let low = lowEnd(value) {
                if let label = labels[low] {
                    texts[row] = label
                } else {
                    let label = Self.range(low, width: width)
                    labels[low] = label
                    texts[row] = label
                }
            } else {
                throw column.inapplicable(row: row, value: values[row], expectation: expectation)
            }
        }
        return .text(texts)
    }

    /// The integers of an integer column, or of a text column whose values are integer text; nil for null rows.
    /// - Throws: `.inapplicableValue` at the first text that is not an integer, or the first real or blob.
    private func integers(
        of values: ColumnValues, _ column: ColumnContext, expectation: String
    ) throws(AnonymizeError) -> [Int64?] {
        switch values {
        case .integer(let numbers):
            return numbers
        case .text(let texts):
            var numbers = [Int64?](repeating: nil, count: texts.count)
            for row in texts.indices {
                guard let text = texts[row] else { continue }
                guard let number = Int64(text) else {
                    throw column.inapplicable(row: row, value: .text(text), expectation: expectation)
                }
                numbers[row] = number
            }
            return numbers
        case .real, .blob:
            if let row = (0..<values.count).first(where: { !values.isNull(at: $0) }) {
                throw column.inapplicable(row: row, value: values[row], expectation: expectation)
            }
            return [Int64?](repeating: nil, count: values.count)
        case .null(let count):
            return [Int64?](repeating: nil, count: count)
        }
    }

    /// The year of an 8-digit `YYYYMMDD` date with month 1-12 and day 1-31, or nil when it is not one.
    static func year(ofDate value: Int64) -> Int64? {
        guard value >= 10_000_000, value <= 99_999_999 else { return nil }
        let month = value / 100 % 100
        let day = value % 100
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        return value / 10_000
    }

    /// `low-high` for the `width` integers starting at `low`; the high end stops at `Int64.max`.
    private static func range(_ low: Int64, width: Int64) -> String {
        let (high, overflow) = low.addingReportingOverflow(width - 1)
        return "\(low)-\(overflow ? Int64.max : high)"
    }
}
