/// The line ending a CSV text uses.
///
/// Real UNL exports use all four, so the writer can produce each of them (to test loaders) and the reader
/// accepts any of them, mixed even.
public enum CSVLineEnding: String, Sendable, Hashable, CaseIterable {
    /// `\n`
    case lf
    /// `\r\n`
    case crlf
    /// `\r\r\n`
    case crcrlf
    /// `\r`
    case cr

    /// The characters that end a line.
    public var text: String {
        switch self {
        case .lf: "\n"
        case .crlf: "\r\n"
        case .crcrlf: "\r\r\n"
        case .cr: "\r"
        }
    }
}
