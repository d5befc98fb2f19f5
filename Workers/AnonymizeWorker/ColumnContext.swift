import DynamosMessages
import DynamosStewardConfig

/// One column being anonymized: its name, rule and sentinels, and the errors that name all three.
///
/// Kept apart from `Anonymizer` so each rule's code reads as value logic, with messages built in one place.
struct ColumnContext {
    let name: String
    let rule: Dataset.AnonymizationRule
    let sentinels: Set<Int64>

    /// Whether `value` means "unknown" in this column and is to be kept as it is.
    func isSentinel(_ value: Int64) -> Bool {
        !sentinels.isEmpty && sentinels.contains(value)
    }

    /// The error for a value the rule cannot apply to.
    /// - Parameter expectation: what the rule needs, e.g. "a YYYYMMDD date".
    func inapplicable(row: Int, value: CellValue, expectation: String) -> AnonymizeError {
        AnonymizeError(
            .inapplicableValue,
            "column '\(name)', row \(row): \(Self.show(value)) is not \(expectation), so rule \(rule) cannot "
                + "apply; correct the data, or give '\(name)' a rule that fits its values in datasets.json")
    }

    /// The error for a result that does not fit in 64 bits.
    func outOfRange(row: Int, value: CellValue) -> AnonymizeError {
        AnonymizeError(
            .valueOutOfRange,
            "column '\(name)', row \(row): applying rule \(rule) to \(Self.show(value)) leaves the 64-bit integer "
                + "range; use a smaller parameter or check the value")
    }

    /// The value with its type, shortened so a long text cannot flood a log line.
    private static func show(_ value: CellValue) -> String {
        switch value {
        case .text(let text):
            let shown = text.count > 40 ? text.prefix(40) + "…" : Substring(text)
            return "text '\(shown)'"
        case .blob(let bytes): return "a blob of \(bytes.count) bytes"
        default: return "\(value.type.rawValue) \(value)"
        }
    }
}
