#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension DataColumn {
    /// The wire form of this column, encoded as `Dynamos_Column` documents.
    ///
    /// Integers are frame-of-reference encoded against the smallest non-null value (wrapping, so the whole
    /// `Int64` range fits); text is dictionary encoded when that is smaller than plain strings; null rows hold
    /// placeholders (0, 0.0, "" or index 0, empty bytes) and are marked in the null bitmap.
    public var proto: Dynamos_Column {
        var column = Dynamos_Column()
        column.name = name
        column.type = type.proto
        switch values {
        case .integer(let values):
            encodeIntegers(values, into: &column)
            column.nulls = Self.bitmap(values)
        case .real(let values):
            column.doubles = values.map { $0 ?? 0 }
            column.nulls = Self.bitmap(values)
        case .text(let values):
            encodeTexts(values, into: &column)
            column.nulls = Self.bitmap(values)
        case .blob(let values):
            column.blobs = values.map { Data($0 ?? []) }
            column.nulls = Self.bitmap(values)
        case .null:
            break
        }
        return column
    }

    private static func bitmap<Value>(_ values: [Value?]) -> Data {
        let bitmap = NullBitmap(rowCount: values.count) { values[$0] == nil }
        return bitmap.isEmpty ? Data() : Data(bitmap.bytes)
    }

    private func encodeIntegers(_ values: [Int64?], into column: inout Dynamos_Column) {
        var minimum: Int64?
        for case let value? in values where value < (minimum ?? .max) {
            minimum = value
        }
        let base = minimum ?? 0
        column.intBase = base
        column.intOffsets = values.map { value in
            guard let value else { return 0 }
            return UInt64(bitPattern: value &- base)
        }
    }

    /// Chooses plain or dictionary encoding by their exact encoded sizes.
    private func encodeTexts(_ values: [String?], into column: inout Dynamos_Column) {
        var plainSize = 0
        var dictionarySize = 0
        var indexSize = 0
        var dictionary: [String] = []
        var indexOfValue: [String: UInt32] = [:]
        var indices: [UInt32] = []
        indices.reserveCapacity(values.count)
        for value in values {
            guard let value else {
                plainSize += 2
                indexSize += 1
                indices.append(0)
                continue
            }
            let length = value.utf8.count
            plainSize += 1 + WireSize.varint(UInt64(length)) + length
            let index: UInt32
            if let known = indexOfValue[value] {
                index = known
            } else {
                index = UInt32(dictionary.count)
                indexOfValue[value] = index
                dictionary.append(value)
                dictionarySize += 1 + WireSize.varint(UInt64(length)) + length
            }
            indexSize += WireSize.varint(UInt64(index))
            indices.append(index)
        }
        let packedIndexSize = WireSize.lengthDelimited(indexSize)
        if !dictionary.isEmpty && dictionarySize + packedIndexSize < plainSize {
            column.dictionary = dictionary
            column.dictionaryIndices = indices
        } else {
            column.strings = values.map { $0 ?? "" }
        }
    }
}
