public import DynamosErrors

/// Why a table could not be anonymized: an unusable policy, or a value its column's rule cannot apply to.
///
/// Anonymization never passes a value through unchanged when its rule fails, so the worker refuses the whole
/// table instead. `code` is for programs, `message` for people: it names the column, the row (counted from 0) and
/// the value, and says what to change (the data or the rule in `datasets.json`).
public struct AnonymizeError: CodedError, Sendable, Equatable {
    /// What kind of problem this is.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// One column name is given two different rules in one dataset.
        case conflictingRules
        /// A rule parameter is unusable (a noise, band or year range of zero or less).
        case invalidParameter
        /// A value does not fit its column's rule, e.g. `abc` or a real under a date rule.
        case inapplicableValue
        /// The result does not fit in a 64-bit integer (a band or noise at the edge of the range).
        case valueOutOfRange
        /// A column is to be hashed but the mask key is empty.
        case missingMaskKey
    }

    /// What kind of problem this is.
    public let code: Code
    /// What happened and what to do about it.
    public let message: String

    /// Makes an error with a code and a message that says what happened and what to do.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
