/// The wire form of a column's null rows: bit `i % 8` of byte `i / 8` is set when row `i` is null.
///
/// Kept separate so the encoder and the decoder agree on one definition, including the rule that a column
/// without nulls sends an empty bitmap.
struct NullBitmap {
    private(set) var bytes: [UInt8]

    /// A bitmap with no row null.
    init() {
        bytes = []
    }

    /// Wraps received bytes; `isValid(rowCount:)` says whether they fit the table.
    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The bitmap of `rowCount` rows where `isNull(row)` holds, empty when no row is null.
    init(rowCount: Int, isNull: (Int) -> Bool) {
        var bytes: [UInt8] = []
        for row in 0..<rowCount where isNull(row) {
            if bytes.isEmpty {
                bytes = [UInt8](repeating: 0, count: NullBitmap.byteCount(rowCount: rowCount))
            }
            bytes[row >> 3] |= 1 << UInt8(row & 7)
        }
        self.bytes = bytes
    }

    static func byteCount(rowCount: Int) -> Int {
        rowCount / 8 + (rowCount % 8 == 0 ? 0 : 1)
    }

    /// Whether no row is null.
    var isEmpty: Bool { bytes.isEmpty }

    /// Whether `row` is null; an empty bitmap means no row is.
    func isNull(_ row: Int) -> Bool {
        !bytes.isEmpty && bytes[row >> 3] & (1 << UInt8(row & 7)) != 0
    }

    /// Checks the length and that no bit past the last row is set.
    func validate(rowCount: Int, column: String) throws(DataTableError) {
        guard !bytes.isEmpty else { return }
        let expected = NullBitmap.byteCount(rowCount: rowCount)
        guard bytes.count == expected else {
            throw DataTableError(
                .nullBitmapLength,
                "column '\(column)': null bitmap has \(bytes.count) bytes, \(rowCount) rows need \(expected) "
                    + "(or none when no row is null); re-encode the table with a matching bitmap"
            )
        }
        let usedBits = rowCount & 7
        if usedBits != 0, bytes[expected - 1] >> UInt8(usedBits) != 0 {
            throw DataTableError(
                .nullBitmapContent,
                "column '\(column)': null bitmap marks rows past row \(rowCount - 1); "
                    + "clear the padding bits of the last byte"
            )
        }
    }

    /// Whether every one of `rowCount` rows is marked null.
    func marksAllNull(rowCount: Int) -> Bool {
        (0..<rowCount).allSatisfy(isNull)
    }
}
