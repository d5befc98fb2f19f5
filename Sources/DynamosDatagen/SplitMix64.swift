/// A tiny seedable random number generator (SplitMix64), so synthetic data is the same for the same seed on
/// every platform and Swift version.
///
/// The bounded helpers are implemented here rather than taken from the standard library, whose algorithms for
/// `random(in:using:)` are not promised to stay the same.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose output is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A uniform value in `0..<bound` (Lemire's multiply-and-reject); `bound` must be positive.
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }

    /// A uniform integer in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound)) &+ 1
        if width == 0 {
            return Int(truncatingIfNeeded: next())
        }
        return range.lowerBound &+ Int(truncatingIfNeeded: next(below: width))
    }

    /// A uniform double in `0..<1`.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// True with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// One of `choices`, each picked with probability proportional to its weight (weights must not all be 0).
    public mutating func pick<Choice>(_ choices: [(Choice, weight: Int)]) -> Choice {
        let total = choices.reduce(0) { $0 + $1.weight }
        precondition(total > 0, "at least one weight must be positive")
        var roll = Int(next(below: UInt64(total)))
        for (choice, weight) in choices {
            if roll < weight {
                return choice
            }
            roll -= weight
        }
        return choices[choices.count - 1].0
    }
}
