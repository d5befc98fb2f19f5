/// Collects one column's values while inferring its type, for `DataTableBuilder` and table concatenation.
///
/// Types widen along null -> integer -> real -> text, and blob -> text: an integer column that meets a real
/// becomes real, anything that meets text (or mixes blobs with other values) becomes text, with earlier values
/// rendered as their text form. Each type keeps its own array, mutated in place, so appending is amortized O(1).
struct ColumnAccumulator: Sendable {
    private(set) var type: ColumnType = .null
    private(set) var count = 0
    private var capacity: Int
    private var integers: [Int64?] = []
    private var reals: [Double?] = []
    private var texts: [String?] = []
    private var blobs: [[UInt8]?] = []

    init(expectedCount: Int = 0) {
        capacity = expectedCount
    }

    var values: ColumnValues {
        switch type {
        case .integer: .integer(integers)
        case .real: .real(reals)
        case .text: .text(texts)
        case .blob: .blob(blobs)
        case .null: .null(count: count)
        }
    }

    mutating func append(_ value: CellValue) {
        switch value {
        case .null: appendNull()
        case .integer(let integer): append(integer: integer)
        case .real(let real): append(real: real)
        case .text(let text): append(text: text)
        case .blob(let blob): append(blob: blob)
        }
    }

    /// Appends a whole column, copying arrays directly when the types already agree.
    mutating func append(contentsOf other: ColumnValues) {
        switch (type, other) {
        case (_, .null(let nullCount)):
            for _ in 0..<nullCount { append(.null) }
        case (.integer, .integer(let values)):
            integers.append(contentsOf: values)
            count += values.count
        case (.real, .real(let values)):
            reals.append(contentsOf: values)
            count += values.count
        case (.text, .text(let values)):
            texts.append(contentsOf: values)
            count += values.count
        case (.blob, .blob(let values)):
            blobs.append(contentsOf: values)
            count += values.count
        default:
            for row in 0..<other.count { append(other[row]) }
        }
    }

    mutating func appendNull() {
        switch type {
        case .null: break
        case .integer: integers.append(nil)
        case .real: reals.append(nil)
        case .text: texts.append(nil)
        case .blob: blobs.append(nil)
        }
        count += 1
    }

    mutating func append(integer: Int64) {
        switch type {
        case .integer: integers.append(integer)
        case .real: reals.append(Double(integer))
        case .text: texts.append(String(integer))
        case .null:
            start(.integer)
            integers.append(integer)
        case .blob:
            widenToText()
            texts.append(String(integer))
        }
        count += 1
    }

    mutating func append(real: Double) {
        switch type {
        case .real: reals.append(real)
        case .text: texts.append(real.description)
        case .integer:
            widenToReal()
            reals.append(real)
        case .null:
            start(.real)
            reals.append(real)
        case .blob:
            widenToText()
            texts.append(real.description)
        }
        count += 1
    }

    mutating func append(text: String) {
        switch type {
        case .text: break
        case .null: start(.text)
        default: widenToText()
        }
        texts.append(text)
        count += 1
    }

    mutating func append(blob: [UInt8]) {
        switch type {
        case .blob: blobs.append(blob)
        case .null:
            start(.blob)
            blobs.append(blob)
        case .text: texts.append(ColumnAccumulator.text(of: blob))
        case .integer, .real:
            widenToText()
            texts.append(ColumnAccumulator.text(of: blob))
        }
        count += 1
    }

    /// Leaves the all-null state: earlier rows become nulls of the new type.
    private mutating func start(_ newType: ColumnType) {
        let reserved = max(capacity, count + 1)
        switch newType {
        case .integer:
            integers = Array(repeating: nil, count: count)
            integers.reserveCapacity(reserved)
        case .real:
            reals = Array(repeating: nil, count: count)
            reals.reserveCapacity(reserved)
        case .text:
            texts = Array(repeating: nil, count: count)
            texts.reserveCapacity(reserved)
        case .blob:
            blobs = Array(repeating: nil, count: count)
            blobs.reserveCapacity(reserved)
        case .null:
            break
        }
        type = newType
    }

    private mutating func widenToReal() {
        reals = integers.map { $0.map(Double.init) }
        reals.reserveCapacity(max(capacity, count + 1))
        integers = []
        type = .real
    }

    private mutating func widenToText() {
        var rendered: [String?]
        switch type {
        case .integer: rendered = integers.map { $0.map { String($0) } }
        case .real: rendered = reals.map { $0.map(\.description) }
        case .blob: rendered = blobs.map { $0.map(ColumnAccumulator.text(of:)) }
        case .null: rendered = Array(repeating: nil, count: count)
        case .text: return
        }
        rendered.reserveCapacity(max(capacity, count + 1))
        texts = rendered
        integers = []
        reals = []
        blobs = []
        type = .text
    }

    /// Bytes as text when a blob column widens: UTF-8 decoding, invalid sequences replaced.
    private static func text(of blob: [UInt8]) -> String {
        String(decoding: blob, as: UTF8.self)
    }
}
