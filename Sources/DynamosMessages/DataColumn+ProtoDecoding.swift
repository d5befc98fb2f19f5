#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension DataColumn {
    /// Reads a wire column of a table with `rowCount` rows, checking it against the encoding rules.
    /// - Throws: `DataTableError` when an array has the wrong length, values of another type are present, the
    ///   null bitmap is malformed, a dictionary index of a non-null row is out of range, or the type is unknown.
    public init(proto column: Dynamos_Column, rowCount: Int) throws(DataTableError) {
        let bitmap = NullBitmap(bytes: [UInt8](column.nulls))
        try bitmap.validate(rowCount: rowCount, column: column.name)
        let reader = ColumnReader(column: column, rowCount: rowCount, bitmap: bitmap)
        let values: ColumnValues
        switch column.type {
        case .null:
            try reader.requireOnly([])
            if !bitmap.isEmpty && !bitmap.marksAllNull(rowCount: rowCount) {
                throw DataTableError(
                    .nullBitmapContent,
                    "column '\(column.name)' has type null but its bitmap marks a row non-null; "
                        + "send an empty bitmap for an all-null column, or give the column a value type"
                )
            }
            values = .null(count: rowCount)
        case .integer:
            try reader.requireOnly(["int_offsets"])
            values = .integer(try reader.integers())
        case .real:
            try reader.requireOnly(["doubles"])
            values = .real(try reader.placed(column.doubles, field: "doubles") { $0 })
        case .text:
            try reader.requireOnly(["strings", "dictionary", "dictionary_indices"])
            values = .text(try reader.texts())
        case .blob:
            try reader.requireOnly(["blobs"])
            values = .blob(try reader.placed(column.blobs, field: "blobs") { [UInt8]($0) })
        case .UNRECOGNIZED(let raw):
            throw DataTableError(
                .unknownColumnType,
                "column '\(column.name)' has column type \(raw), which this version does not know; "
                    + "upgrade the reader or send one of null, integer, real, text, blob"
            )
        }
        self.init(name: column.name, values: values)
    }
}

/// Decodes the value arrays of one wire column; one instance per column.
private struct ColumnReader {
    let column: Dynamos_Column
    let rowCount: Int
    let bitmap: NullBitmap

    /// Throws when an array outside `allowed` (wire field names) has entries.
    func requireOnly(_ allowed: Set<String>) throws(DataTableError) {
        let present: [(String, Bool)] = [
            ("int_offsets", !column.intOffsets.isEmpty),
            ("doubles", !column.doubles.isEmpty),
            ("strings", !column.strings.isEmpty),
            ("dictionary", !column.dictionary.isEmpty),
            ("dictionary_indices", !column.dictionaryIndices.isEmpty),
            ("blobs", !column.blobs.isEmpty),
        ]
        let unexpected = present.filter { $0.1 && !allowed.contains($0.0) }.map(\.0)
        guard unexpected.isEmpty else {
            throw DataTableError(
                .unexpectedValues,
                "column '\(column.name)' of type \(column.type) carries \(unexpected.joined(separator: ", ")); "
                    + "send only the value array of the column's type"
            )
        }
    }

    func checkCount(_ count: Int, field: String) throws(DataTableError) {
        guard count == rowCount else {
            throw DataTableError(
                .valueCountMismatch,
                "column '\(column.name)': \(field) has \(count) entries, the table has \(rowCount) rows; "
                    + "send one entry per row, with a placeholder for null rows"
            )
        }
    }

    func integers() throws(DataTableError) -> [Int64?] {
        let offsets = column.intOffsets
        try checkCount(offsets.count, field: "int_offsets")
        let base = column.intBase
        if bitmap.isEmpty {
            return offsets.map { base &+ Int64(bitPattern: $0) }
        }
        var values: [Int64?] = []
        values.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            values.append(bitmap.isNull(row) ? nil : base &+ Int64(bitPattern: offsets[row]))
        }
        return values
    }

    /// One value per row from `array`, `nil` where the bitmap marks the row null.
    func placed<Wire, Value>(
        _ array: [Wire], field: String, _ convert: (Wire) -> Value
    ) throws(DataTableError) -> [Value?] {
        try checkCount(array.count, field: field)
        var values: [Value?] = []
        values.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            values.append(bitmap.isNull(row) ? nil : convert(array[row]))
        }
        return values
    }

    func texts() throws(DataTableError) -> [String?] {
        let dictionary = column.dictionary
        let indices = column.dictionaryIndices
        guard !dictionary.isEmpty || !indices.isEmpty else {
            return try placed(column.strings, field: "strings") { $0 }
        }
        guard column.strings.isEmpty else {
            throw DataTableError(
                .unexpectedValues,
                "column '\(column.name)' carries both plain strings and a dictionary; send one of the two"
            )
        }
        try checkCount(indices.count, field: "dictionary_indices")
        var values: [String?] = []
        values.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            if bitmap.isNull(row) {
                values.append(nil)
                continue
            }
            let index = Int(indices[row])
            guard index < dictionary.count else {
                throw DataTableError(
                    .dictionaryIndexOutOfRange,
                    "column '\(column.name)' row \(row): dictionary index \(index) is past the dictionary's "
                        + "\(dictionary.count) entries; re-encode the column"
                )
            }
            values.append(dictionary[index])
        }
        return values
    }
}
