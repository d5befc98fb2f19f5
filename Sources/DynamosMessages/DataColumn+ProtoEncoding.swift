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
            column.nulls = Self.bitmap(values)
            let base = Self.integerBase(values)
            column.intBase = base
            column.intOffsets = values.map { Self.offset($0, from: base) }
        case .real(let values):
            column.doubles = values.map { $0 ?? 0 }
            column.nulls = Self.bitmap(values)
        case .text(let values):
            column.nulls = Self.bitmap(values)
            switch Self.textLayout(values) {
            case .plain: column.strings = values.map { $0 ?? "" }
            case .dictionary(let dictionary, let indices):
                column.dictionary = dictionary
                column.dictionaryIndices = indices
            }
        case .blob(let values):
            column.blobs = values.map { Data($0 ?? []) }
            column.nulls = Self.bitmap(values)
        case .null:
            break
        }
        return column
    }

    /// The null bitmap of `values`, empty when no row is null.
    private static func bitmap<Value>(_ values: [Value?]) -> Data {
        let bitmap = NullBitmap(rowCount: values.count) { values[$0] == nil }
        return bitmap.isEmpty ? Data() : Data(bitmap.bytes)
    }

    /// The frame of reference of an integer column: its smallest non-null value, 0 when there is none.
    private static func integerBase(_ values: [Int64?]) -> Int64 {
        var minimum: Int64?
        for case let value? in values where value < (minimum ?? .max) {
            minimum = value
        }
        return minimum ?? 0
    }

    /// The wire offset of one integer from the column's base (wrapping), 0 for a null row.
    private static func offset(_ value: Int64?, from base: Int64) -> UInt64 {
        guard let value else { return 0 }
        return UInt64(bitPattern: value &- base)
    }

    /// How a text column goes on the wire.
    private enum TextLayout {
        /// One string per row.
        case plain
        /// The distinct values in order of first appearance, and one index per row (0 for null rows).
        case dictionary([String], [UInt32])
    }

    /// Up to how many distinct values `textLayout` finds a value's index by scanning rather than hashing.
    private static let scannedDictionaryLimit = 8

    /// Chooses plain or dictionary encoding by their exact encoded sizes.
    private static func textLayout(_ values: [String?]) -> TextLayout {
        var plainSize = 0
        var dictionarySize = 0
        var indexSize = 0
        var dictionary: [String] = []
        var indexOfValue: [ExactText: UInt32] = [:]
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
            // Most text columns are categories with a handful of values: a scan of those beats hashing each row.
            let known = dictionary.count <= Self.scannedDictionaryLimit
                ? dictionary.firstIndex { ExactText.same($0, value) }.map(UInt32.init) : indexOfValue[ExactText(value)]
            if let known {
                index = known
            } else {
                index = UInt32(dictionary.count)
                indexOfValue[ExactText(value)] = index
                dictionary.append(value)
                dictionarySize += 1 + WireSize.varint(UInt64(length)) + length
            }
            indexSize += WireSize.varint(UInt64(index))
            indices.append(index)
        }
        let packedIndexSize = WireSize.lengthDelimited(indexSize)
        if !dictionary.isEmpty && dictionarySize + packedIndexSize < plainSize {
            return .dictionary(dictionary, indices)
        }
        return .plain
    }
}

/// A text compared and hashed by its UTF-8 bytes, so the dictionary encoding keeps canonically equivalent but
/// different spellings (a precomposed and a decomposed "é") apart, as plain encoding does.
private struct ExactText: Hashable {
    var text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (left: ExactText, right: ExactText) -> Bool {
        same(left.text, right.text)
    }

    /// Whether two texts have the same UTF-8 bytes.
    static func same(_ left: String, _ right: String) -> Bool {
        guard left.utf8.count == right.utf8.count else { return false }
        let compared = left.utf8.withContiguousStorageIfAvailable { leftBytes in
            right.utf8.withContiguousStorageIfAvailable { rightBytes in leftBytes.elementsEqual(rightBytes) }
        }
        return (compared ?? nil) ?? left.utf8.elementsEqual(right.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
