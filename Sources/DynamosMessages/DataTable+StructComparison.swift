public import SwiftProtobuf

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension DataTable {
    /// The table as a protobuf `ListValue` of one `Struct` per row, the row-shaped form of a Struct payload.
    ///
    /// Integers and reals become `number_value` (integers beyond 2^53 lose precision, as in any Struct), text
    /// `string_value`, blobs base64 `string_value`, nulls `null_value`. Later duplicate names win.
    public func rowStructs() -> Google_Protobuf_ListValue {
        let keys = objectKeyColumns
        var list = Google_Protobuf_ListValue()
        list.values.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var fields: [String: Google_Protobuf_Value] = [:]
            for key in keys {
                fields[key.name] = Self.structValue(columns[key.column].values[row])
            }
            list.values.append(Google_Protobuf_Value(structValue: Google_Protobuf_Struct(fields: fields)))
        }
        return list
    }

    /// The table as DYNAMOS's query service sent it: a `Struct` mapping each column name to a `ListValue` of
    /// `string_value`s (pandas `str(item)` of each cell, `nan` for missing). Later duplicate names win.
    public func columnStringListsStruct() -> Google_Protobuf_Struct {
        var fields: [String: Google_Protobuf_Value] = [:]
        for key in objectKeyColumns {
            let values = columns[key.column].values
            let list = Google_Protobuf_ListValue(values: (0..<rowCount).map { row in
                Google_Protobuf_Value(stringValue: Self.pandasText(values[row]))
            })
            fields[key.name] = Google_Protobuf_Value(listValue: list)
        }
        return Google_Protobuf_Struct(fields: fields)
    }

    /// The serialized size of `rowStructs()`, computed without building the messages.
    public func rowStructsByteCount() -> Int {
        let keys = objectKeyColumns
        let keySizes = keys.map { WireSize.lengthDelimited($0.name.utf8.count) }
        var listBody = 0
        for row in 0..<rowCount {
            var structBody = 0
            for (position, key) in keys.enumerated() {
                let valueBody = Self.structValueBodySize(columns[key.column].values[row])
                structBody += WireSize.lengthDelimited(keySizes[position] + WireSize.lengthDelimited(valueBody))
            }
            listBody += WireSize.lengthDelimited(WireSize.lengthDelimited(structBody))
        }
        return listBody
    }

    /// The serialized size of `columnStringListsStruct()`, computed without building the messages.
    public func columnStringListsStructByteCount() -> Int {
        var structBody = 0
        for key in objectKeyColumns {
            let values = columns[key.column].values
            var listBody = 0
            for row in 0..<rowCount {
                let stringValueBody = WireSize.lengthDelimited(Self.pandasText(values[row]).utf8.count)
                listBody += WireSize.lengthDelimited(stringValueBody)
            }
            let valueBody = WireSize.lengthDelimited(listBody)
            let entryBody = WireSize.lengthDelimited(key.name.utf8.count) + WireSize.lengthDelimited(valueBody)
            structBody += WireSize.lengthDelimited(entryBody)
        }
        return structBody
    }

    private static func structValue(_ cell: CellValue) -> Google_Protobuf_Value {
        switch cell {
        case .integer(let value): Google_Protobuf_Value(numberValue: Double(value))
        case .real(let value): Google_Protobuf_Value(numberValue: value)
        case .text(let value): Google_Protobuf_Value(stringValue: value)
        case .blob(let value): Google_Protobuf_Value(stringValue: Data(value).base64EncodedString())
        case .null: Google_Protobuf_Value(nilLiteral: ())
        }
    }

    /// Bytes of a `google.protobuf.Value` message body holding `cell` as `structValue(_:)` converts it.
    private static func structValueBodySize(_ cell: CellValue) -> Int {
        switch cell {
        case .null: 2
        case .integer, .real: 9
        case .text(let value): WireSize.lengthDelimited(value.utf8.count)
        case .blob(let value): WireSize.lengthDelimited(base64Length(value.count))
        }
    }
}
