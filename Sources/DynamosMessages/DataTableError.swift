public import DynamosErrors

/// Why a table could not be made or read: a malformed wire table, ragged columns, or a malformed CSV text.
///
/// `code` is for programs, `message` for people: it names the column or line, says what was wrong and what to do.
public struct DataTableError: CodedError, Sendable, Equatable {
    /// What kind of problem this is.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The wire `row_count` does not fit in `Int`.
        case rowCountOutOfRange
        /// A value array holds a different number of entries than the table has rows.
        case valueCountMismatch
        /// A column carries values of another type than its declared one (e.g. strings in an integer column).
        case unexpectedValues
        /// The column type is not one this version knows.
        case unknownColumnType
        /// The null bitmap is neither empty nor exactly `(rowCount + 7) / 8` bytes.
        case nullBitmapLength
        /// The null bitmap has bits set past the last row, or marks a row of an all-null column as non-null.
        case nullBitmapContent
        /// A dictionary index of a non-null row points past the dictionary.
        case dictionaryIndexOutOfRange
        /// Columns of one table have different row counts.
        case columnLengthMismatch
        /// A row handed to a builder has a different number of values than the builder has columns.
        case rowWidthMismatch
        /// A column index is outside the table.
        case columnIndexOutOfRange
        /// A CSV text is malformed (no header, a record of the wrong width, an unterminated quote).
        case malformedCSV
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
