public import DynamosErrors

/// Why a chart could not be drawn: a table with nothing numeric, options that do not fit the table, or Cairo
/// failing to make a surface or encode an image.
///
/// `code` is for programs, `message` for people: it says what happened and what to do about it.
public struct GraphError: CodedError, Sendable, Equatable {
    /// What kind of problem this is.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The table has no rows, so there is nothing to draw.
        case emptyTable
        /// The table has no integer or real values that could be drawn.
        case nothingNumeric
        /// A value column named in the options is not in the table.
        case unknownColumn
        /// A value column named in the options does not hold numbers.
        case notNumeric
        /// The options cannot be used (size out of range, a line chart over non-numeric groups).
        case invalidOptions
        /// Cairo could not create a surface or drawing context.
        case surfaceCreation
        /// Cairo reported an error while drawing.
        case drawing
        /// Cairo could not encode the PNG image.
        case pngEncoding
        /// Cairo could not encode the SVG document.
        case svgEncoding
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
