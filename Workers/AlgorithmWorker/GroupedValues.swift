import DynamosMessages

/// The included values of one value column reduced per group: count, sum, minimum, maximum and, when asked,
/// the values themselves (for median and standard deviation).
///
/// Integer columns keep exact `Int64` sums and extremes; real and all-null columns keep `Double`s. Each row is
/// read once from the typed array, so no cell is boxed.
struct GroupedValues: Sendable {
    /// Whether the column holds integers (an all-null column counts as integer, which merges into either type).
    let isInteger: Bool
    /// Included values per group.
    private(set) var counts: [Int]
    private(set) var integerSums: [Int64]
    private(set) var realSums: [Double]
    private(set) var integerMinimums: [Int64]
    private(set) var integerMaximums: [Int64]
    private(set) var realMinimums: [Double]
    private(set) var realMaximums: [Double]
    /// The included values per group as reals; empty unless `keepMembers` was set.
    private(set) var members: [[Double]]
    /// Whether some integer sum overflowed.
    private(set) var overflowed = false

    /// Reduces a numeric column; nil for text and blob columns.
    init?(
        _ values: ColumnValues,
        groups: GroupIndex,
        excluding exclusion: ValueExclusion,
        keepMembers: Bool
    ) {
        let groupCount = groups.groupCount
        counts = [Int](repeating: 0, count: groupCount)
        integerSums = [Int64](repeating: 0, count: groupCount)
        realSums = [Double](repeating: 0, count: groupCount)
        integerMinimums = [Int64](repeating: .max, count: groupCount)
        integerMaximums = [Int64](repeating: .min, count: groupCount)
        realMinimums = [Double](repeating: .infinity, count: groupCount)
        realMaximums = [Double](repeating: -.infinity, count: groupCount)
        members = keepMembers ? [[Double]](repeating: [], count: groupCount) : []
        switch values {
        case .integer(let values):
            isInteger = true
            reduceIntegers(values, groups.groupOfRow, exclusion, keepMembers)
        case .real(let values):
            isInteger = false
            reduceReals(values, groups.groupOfRow, exclusion, keepMembers)
        case .null:
            isInteger = true
        case .text, .blob:
            return nil
        }
    }

    private mutating func reduceIntegers(
        _ values: [Int64?], _ groupOfRow: [Int], _ exclusion: ValueExclusion, _ keepMembers: Bool
    ) {
        let checkExclusion = !exclusion.isEmpty
        var overflow = false
        for row in values.indices {
            guard let value = values[row] else { continue }
            if checkExclusion && exclusion.excludes(value) { continue }
            let group = groupOfRow[row]
            counts[group] += 1
            let (sum, didOverflow) = integerSums[group].addingReportingOverflow(value)
            integerSums[group] = sum
            overflow = overflow || didOverflow
            if value < integerMinimums[group] { integerMinimums[group] = value }
            if value > integerMaximums[group] { integerMaximums[group] = value }
            if keepMembers { members[group].append(Double(value)) }
        }
        overflowed = overflow
    }

    private mutating func reduceReals(
        _ values: [Double?], _ groupOfRow: [Int], _ exclusion: ValueExclusion, _ keepMembers: Bool
    ) {
        let checkExclusion = !exclusion.isEmpty
        for row in values.indices {
            guard let value = values[row] else { continue }
            if checkExclusion && exclusion.excludes(value) { continue }
            let group = groupOfRow[row]
            counts[group] += 1
            realSums[group] += value
            if value < realMinimums[group] { realMinimums[group] = value }
            if value > realMaximums[group] { realMaximums[group] = value }
            if keepMembers { members[group].append(value) }
        }
    }

    /// The sums as a column: integer for integer columns, 0 for groups without values.
    func sumValues() -> ColumnValues {
        isInteger ? .integer(integerSums) : .real(realSums)
    }

    /// The numbers of included values.
    func countValues() -> ColumnValues {
        .integer(counts.map { Int64($0) })
    }

    /// The means, null for groups without values.
    func averages() -> [Double?] {
        counts.indices.map { group in
            guard counts[group] > 0 else { return nil }
            let sum = isInteger ? Double(integerSums[group]) : realSums[group]
            return sum / Double(counts[group])
        }
    }

    /// The minimums, null for groups without values.
    func minimumValues() -> ColumnValues {
        isInteger
            ? .integer(counts.indices.map { counts[$0] > 0 ? integerMinimums[$0] : nil })
            : .real(counts.indices.map { counts[$0] > 0 ? realMinimums[$0] : nil })
    }

    /// The maximums, null for groups without values.
    func maximumValues() -> ColumnValues {
        isInteger
            ? .integer(counts.indices.map { counts[$0] > 0 ? integerMaximums[$0] : nil })
            : .real(counts.indices.map { counts[$0] > 0 ? realMaximums[$0] : nil })
    }

    /// The medians (mean of the two middle values for an even count), null for groups without values.
    func medians() -> [Double?] {
        members.map { values in
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
    }

    /// The sample standard deviations (divisor n - 1, two passes), null for groups with fewer than 2 values.
    func standardDeviations() -> [Double?] {
        let means = averages()
        return members.indices.map { group in
            let values = members[group]
            guard values.count > 1, let mean = means[group] else { return nil }
            var squares = 0.0
            for value in values {
                squares += (value - mean) * (value - mean)
            }
            return (squares / Double(values.count - 1)).squareRoot()
        }
    }

    /// The sums of the squared included values, for merging standard deviations.
    func sumsOfSquares() -> [Double] {
        members.map { values in values.reduce(0) { $0 + $1 * $1 } }
    }
}
