public import DynamosMessages

/// The ascending order of group keys, shared by the engine and the aggregate so both sort groups alike.
///
/// Nulls first, then numbers (integers and reals compared by value; an integer before an equal real), then text
/// (Swift `String` order), then blobs (bytewise). Keys of several columns compare column by column.
public enum GroupKeyOrder {
    /// Whether `lhs` sorts before `rhs`.
    public static func areInIncreasingOrder(_ lhs: [CellValue], _ rhs: [CellValue]) -> Bool {
        for (left, right) in zip(lhs, rhs) {
            let order = compare(left, right)
            if order != 0 { return order < 0 }
        }
        return lhs.count < rhs.count
    }

    /// -1, 0 or 1 as `lhs` sorts before, with, or after `rhs`.
    public static func compare(_ lhs: CellValue, _ rhs: CellValue) -> Int {
        let leftRank = rank(lhs)
        let rightRank = rank(rhs)
        if leftRank != rightRank { return leftRank < rightRank ? -1 : 1 }
        switch (lhs, rhs) {
        case (.integer(let left), .integer(let right)):
            return left == right ? 0 : (left < right ? -1 : 1)
        case (.text(let left), .text(let right)):
            return left == right ? 0 : (left < right ? -1 : 1)
        case (.blob(let left), .blob(let right)):
            if left == right { return 0 }
            return left.lexicographicallyPrecedes(right) ? -1 : 1
        case (.null, .null):
            return 0
        default:
            return compareNumbers(lhs, rhs)
        }
    }

    private static func compareNumbers(_ lhs: CellValue, _ rhs: CellValue) -> Int {
        let left = lhs.doubleValue ?? 0
        let right = rhs.doubleValue ?? 0
        if left.bitPattern != right.bitPattern || lhs.type != rhs.type {
            if left.isTotallyOrdered(belowOrEqualTo: right) && !right.isTotallyOrdered(belowOrEqualTo: left) {
                return -1
            }
            if right.isTotallyOrdered(belowOrEqualTo: left) && !left.isTotallyOrdered(belowOrEqualTo: right) {
                return 1
            }
        }
        if lhs.type == rhs.type { return 0 }
        return lhs.type == .integer ? -1 : 1
    }

    private static func rank(_ value: CellValue) -> Int {
        switch value {
        case .null: 0
        case .integer, .real: 1
        case .text: 2
        case .blob: 3
        }
    }
}
