#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension DataTable {
    /// The table as delimited text with a header line, the way UNL data files look.
    ///
    /// Nulls are empty fields. Text is quoted when it contains the separator, a quote or a line break, is
    /// empty, or would otherwise read back as a number, so `DataTable(csvText:)` gives back the same table for
    /// integer, real, text and null columns (except non-finite reals, which read back as text). Blobs are
    /// written as base64 text.
    /// - Parameters:
    ///   - separator: an ASCII field separator; UNL files use `;`.
    ///   - lineEnding: what ends each line, the last one included.
    public func csvText(separator: Unicode.Scalar = ";", lineEnding: CSVLineEnding = .lf) -> String {
        precondition(separator.isASCII && separator != "\"", "the separator must be ASCII and not a quote")
        let separatorByte = UInt8(separator.value)
        let lineEndBytes = Array(lineEnding.text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity((rowCount + 1) * max(columnCount, 1) * 8)
        for (index, column) in columns.enumerated() {
            if index > 0 {
                out.append(separatorByte)
            }
            Self.appendText(column.name, quotingNumbers: false, separator: separatorByte, to: &out)
        }
        out.append(contentsOf: lineEndBytes)
        for row in 0..<rowCount {
            for (index, column) in columns.enumerated() {
                if index > 0 {
                    out.append(separatorByte)
                }
                Self.appendField(column.values[row], separator: separatorByte, to: &out)
            }
            out.append(contentsOf: lineEndBytes)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads delimited text with a header line; column types are inferred as `DataTableBuilder` does.
    ///
    /// Accepts `\n`, `\r\n`, `\r\r\n` and `\r` line ends (mixed too) and skips blank lines, except in a
    /// one-column table, where a blank line is a null. Unquoted fields are read by `CellValue(csvField:)` (empty
    /// is null); quoted fields are text. A leading UTF-8 byte order mark is ignored.
    /// - Throws: `DataTableError` `.malformedCSV` when there is no header, a record has another number of fields
    ///   than the header, or a quote is not closed.
    public init(csvText text: String, separator: Unicode.Scalar = ";") throws(DataTableError) {
        precondition(separator.isASCII && separator != "\"", "the separator must be ASCII and not a quote")
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
        }
        self = try bytes.withUnsafeBufferPointer { buffer throws(DataTableError) in
            try Self.read(buffer, separator: UInt8(separator.value))
        }
    }

    private static func read(
        _ buffer: UnsafeBufferPointer<UInt8>, separator: UInt8
    ) throws(DataTableError) -> DataTable {
        var scanner = CSVScanner(bytes: buffer, separator: separator)
        var fields: [CSVScanner.Field] = []
        guard try scanner.nextRecord(into: &fields) else {
            throw DataTableError(.malformedCSV, "the text has no header line; start it with the column names")
        }
        let names = fields.map { field in
            switch field {
            case .raw(let range): String(decoding: scanner[range], as: UTF8.self)
            case .quoted(let text): text
            }
        }
        var builder = DataTableBuilder(columnNames: names, expectedRowCount: buffer.count / (names.count * 6 + 1))
        var row: [CellValue] = []
        row.reserveCapacity(names.count)
        let skippingBlank = names.count > 1
        while try scanner.nextRecord(into: &fields, skippingBlank: skippingBlank) {
            guard fields.count == names.count else {
                throw DataTableError(
                    .malformedCSV,
                    "line \(scanner.line) has \(fields.count) fields, the header \(names.count); "
                        + "give every line one field per column"
                )
            }
            row.removeAll(keepingCapacity: true)
            for field in fields {
                switch field {
                case .raw(let range): row.append(CellValue(csvFieldBytes: scanner[range]))
                case .quoted(let text): row.append(.text(text))
                }
            }
            try builder.appendRow(row)
        }
        return builder.build()
    }

    private static func appendField(_ value: CellValue, separator: UInt8, to out: inout [UInt8]) {
        switch value {
        case .null: break
        case .integer(let integer): out.append(contentsOf: String(integer).utf8)
        case .real(let real): out.append(contentsOf: real.description.utf8)
        case .text(let text): appendText(text, quotingNumbers: true, separator: separator, to: &out)
        case .blob(let blob): out.append(contentsOf: Data(blob).base64EncodedString().utf8)
        }
    }

    private static func appendText(
        _ text: String, quotingNumbers: Bool, separator: UInt8, to out: inout [UInt8]
    ) {
        let bytes = text.utf8
        let special = bytes.contains { byte in
            byte == separator || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r")
        }
        let quote = special || (quotingNumbers && (bytes.isEmpty || !CellValue(csvField: text).isTextOrNull))
        guard quote else {
            out.append(contentsOf: bytes)
            return
        }
        out.append(UInt8(ascii: "\""))
        for byte in bytes {
            if byte == UInt8(ascii: "\"") {
                out.append(byte)
            }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension CellValue {
    fileprivate var isTextOrNull: Bool {
        switch self {
        case .text, .null: true
        default: false
        }
    }
}
