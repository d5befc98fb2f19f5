/// Splits CSV bytes into records of fields, for `DataTable(csvText:)`.
///
/// Line ends are any run of `\r` optionally followed by `\n`, or a lone `\n`, so `\n`, `\r\n`, `\r\r\n` and `\r`
/// files all read the same; blank lines can be skipped. Fields may be quoted with `"`, doubling quotes inside.
struct CSVScanner {
    /// One field of a record.
    enum Field {
        /// An unquoted field: its bytes, as offsets into the scanned buffer.
        case raw(Range<Int>)
        /// A quoted field, unescaped.
        case quoted(String)
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let separator: UInt8
    private var index = 0
    /// The 1-based line on which the last record returned started.
    private(set) var line = 0
    private var nextLine = 1

    init(bytes: UnsafeBufferPointer<UInt8>, separator: UInt8) {
        self.bytes = bytes
        self.separator = separator
    }

    /// The next record, into `fields` (cleared first); false at the end of the text.
    /// - Parameter skippingBlank: skip blank lines (one empty unquoted field) instead of returning them.
    mutating func nextRecord(into fields: inout [Field], skippingBlank: Bool = true) throws(DataTableError) -> Bool {
        while index < bytes.count {
            fields.removeAll(keepingCapacity: true)
            line = nextLine
            try scanRecord(into: &fields)
            let blank: Bool
            if fields.count == 1, case .raw(let range) = fields[0] {
                blank = range.isEmpty
            } else {
                blank = false
            }
            if !blank || !skippingBlank {
                return true
            }
        }
        return false
    }

    subscript(range: Range<Int>) -> Slice<UnsafeBufferPointer<UInt8>> {
        bytes[range]
    }

    private mutating func scanRecord(into fields: inout [Field]) throws(DataTableError) {
        while true {
            if index < bytes.count && bytes[index] == UInt8(ascii: "\"") {
                fields.append(.quoted(try scanQuoted()))
            } else {
                let start = index
                while index < bytes.count, !isBreak(bytes[index]) {
                    index += 1
                }
                fields.append(.raw(start..<index))
            }
            if index < bytes.count && bytes[index] == separator {
                index += 1
                continue
            }
            guard index == bytes.count || isLineEnd(bytes[index]) else {
                throw DataTableError(
                    .malformedCSV,
                    "line \(line): text after a closing quote; quote the whole field and double inner quotes"
                )
            }
            skipLineEnd()
            return
        }
    }

    private mutating func scanQuoted() throws(DataTableError) -> String {
        index += 1
        var content: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\"") {
                guard index < bytes.count && bytes[index] == UInt8(ascii: "\"") else {
                    return String(decoding: content, as: UTF8.self)
                }
                index += 1
            } else if byte == UInt8(ascii: "\n") {
                nextLine += 1
            }
            content.append(byte)
        }
        throw DataTableError(.malformedCSV, "line \(line): a quoted field is not closed; add the closing quote")
    }

    private mutating func skipLineEnd() {
        var sawReturn = false
        while index < bytes.count && bytes[index] == UInt8(ascii: "\r") {
            index += 1
            sawReturn = true
        }
        if index < bytes.count && bytes[index] == UInt8(ascii: "\n") {
            index += 1
            sawReturn = true
        }
        if sawReturn {
            nextLine += 1
        }
    }

    private func isBreak(_ byte: UInt8) -> Bool {
        byte == separator || isLineEnd(byte)
    }

    private func isLineEnd(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
