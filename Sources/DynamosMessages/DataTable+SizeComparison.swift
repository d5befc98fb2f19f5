#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension DataTable {
    /// This table's size in our columnar format and in the formats DYNAMOS used, for the benchmark report.
    public func encodingSizes() -> EncodingSizes {
        EncodingSizes(
            columnar: columnarByteCount(),
            rowObjectsJSON: rowObjectsJSON().count,
            rowStructs: rowStructsByteCount(),
            columnStringListsStruct: columnStringListsStructByteCount(),
            columnStringListsJSON: columnStringListsJSON().count
        )
    }

    /// The bytes of the serialized `Dynamos_Table`.
    public func columnarByteCount() -> Int {
        serializedProto().count
    }

    /// The serialized `Dynamos_Table` of this table.
    public func serializedProto() -> [UInt8] {
        do {
            return try proto.serializedBytes()
        } catch {
            preconditionFailure("a proto3 table without required fields failed to serialize: \(error)")
        }
    }

    /// The columns a JSON object or a protobuf `Struct` keeps: one per distinct name, at the position of the
    /// name's first occurrence, holding the values of its last one (later keys win, as in a JSON object).
    var objectKeyColumns: [(name: String, column: Int)] {
        var keys: [(name: String, column: Int)] = []
        var position: [String: Int] = [:]
        for (index, column) in columns.enumerated() {
            if let existing = position[column.name] {
                keys[existing].column = index
            } else {
                position[column.name] = keys.count
                keys.append((column.name, index))
            }
        }
        return keys
    }

    /// The text DYNAMOS's query service made of a cell (pandas `str(item)`): numbers in their shortest form,
    /// missing values as `nan`, bytes as base64.
    static func pandasText(_ cell: CellValue) -> String {
        switch cell {
        case .integer(let value): String(value)
        case .real(let value): value.description
        case .text(let value): value
        case .blob(let value): Data(value).base64EncodedString()
        case .null: "nan"
        }
    }

    static func base64Length(_ byteCount: Int) -> Int {
        (byteCount + 2) / 3 * 4
    }
}
