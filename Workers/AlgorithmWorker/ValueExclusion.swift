import DynamosMessages

/// The sentinel values of one value column, split by type so the hot loops compare plain numbers and strings.
struct ValueExclusion: Sendable {
    private(set) var integers: [Int64] = []
    private(set) var reals: [Double] = []
    private(set) var texts: [String] = []

    /// No exclusions.
    init() {}

    /// The exclusions for `sentinels` (see `AlgorithmSpec.sentinels` for how they match).
    init(_ sentinels: [CellValue]) {
        for sentinel in sentinels {
            switch sentinel {
            case .integer(let value):
                addNumber(Double(value), exact: value)
            case .real(let value):
                addNumber(value, exact: Int64(exactly: value))
            case .text(let value):
                texts.append(value)
                let trimmed = value.trimmingSpaces()
                if let integer = Int64(trimmed) {
                    addNumber(Double(integer), exact: integer)
                } else if let real = Double(trimmed) {
                    addNumber(real, exact: Int64(exactly: real))
                }
            case .blob, .null:
                break
            }
        }
    }

    var isEmpty: Bool { integers.isEmpty && reals.isEmpty && texts.isEmpty }

    private mutating func addNumber(_ real: Double, exact integer: Int64?) {
        reals.append(real)
        if let integer { integers.append(integer) }
    }

    @inline(__always)
    func excludes(_ value: Int64) -> Bool { integers.contains(value) }

    @inline(__always)
    func excludes(_ value: Double) -> Bool { reals.contains(value) }

    @inline(__always)
    func excludes(_ value: String) -> Bool { texts.contains(value) }
}
