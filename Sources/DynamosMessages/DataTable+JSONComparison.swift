#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension DataTable {
    /// The table as a JSON array of row objects, `[{"column": value, ...}, ...]`, without whitespace.
    ///
    /// Integers and finite reals are numbers, non-finite reals and nulls `null`, text strings, blobs base64
    /// strings. With duplicate column names the later column's value wins, at the first one's position.
    public func rowObjectsJSON() -> [UInt8] {
        let keys = objectKeyColumns
        var writer = JSONTextWriter(reservingCapacity: rowCount * max(keys.count, 1) * 24)
        writer.byte("[")
        for row in 0..<rowCount {
            if row > 0 {
                writer.byte(",")
            }
            writer.byte("{")
            for (position, key) in keys.enumerated() {
                if position > 0 {
                    writer.byte(",")
                }
                writer.string(key.name)
                writer.byte(":")
                writer.cell(columns[key.column].values[row])
            }
            writer.byte("}")
        }
        writer.byte("]")
        return writer.bytes
    }

    /// The JSON form of `columnStringListsStruct()`: `{"column": ["value", ...], ...}`, every value a string.
    public func columnStringListsJSON() -> [UInt8] {
        let keys = objectKeyColumns
        var writer = JSONTextWriter(reservingCapacity: rowCount * max(keys.count, 1) * 10)
        writer.byte("{")
        for (position, key) in keys.enumerated() {
            if position > 0 {
                writer.byte(",")
            }
            writer.string(key.name)
            writer.raw(":[")
            let values = columns[key.column].values
            for row in 0..<rowCount {
                if row > 0 {
                    writer.byte(",")
                }
                writer.string(Self.pandasText(values[row]))
            }
            writer.byte("]")
        }
        writer.byte("}")
        return writer.bytes
    }
}

extension JSONTextWriter {
    fileprivate mutating func cell(_ value: CellValue) {
        switch value {
        case .integer(let integer): self.integer(integer)
        case .real(let real): self.real(real)
        case .text(let text): string(text)
        case .blob(let blob): string(Data(blob).base64EncodedString())
        case .null: raw("null")
        }
    }
}
