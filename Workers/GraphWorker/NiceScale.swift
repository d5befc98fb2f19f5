/// An axis range with round tick values (1, 2, 2.5 or 5 times a power of ten), so readers can read values off.
struct NiceScale: Sendable, Equatable {
    /// The lowest value on the axis.
    let lower: Double
    /// The highest value on the axis.
    let upper: Double
    /// The distance between ticks.
    let step: Double

    /// A scale covering `values`, with about `targetTicks` ticks.
    /// - Parameter includeZero: extend the range to 0 (bars grow from 0).
    init(covering values: [Double], includeZero: Bool, targetTicks: Int = 6) {
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        if includeZero {
            low = min(low, 0)
            high = max(high, 0)
        }
        if low == high {
            if includeZero {
                high = 1
            } else {
                let pad = low == 0 ? 1 : abs(low) * 0.1
                low -= pad
                high += pad
            }
        }
        let step = Self.niceStep((high - low) / Double(max(targetTicks - 1, 1)))
        var lower = (low / step).rounded(.down) * step
        var upper = (high / step).rounded(.up) * step
        if includeZero {
            lower = min(lower, 0)
            upper = max(upper, 0)
        }
        self.lower = lower
        self.upper = upper
        self.step = step
    }

    /// The tick values from `lower` to `upper`, inclusive.
    var ticks: [Double] {
        let count = Int(((upper - lower) / step).rounded()) + 1
        return (0..<count).map { index in
            let value = lower + Double(index) * step
            return abs(value) < step * 1e-9 ? 0 : value
        }
    }

    /// Where `value` falls between `lower` (0) and `upper` (1).
    func fraction(of value: Double) -> Double {
        upper > lower ? (value - lower) / (upper - lower) : 0.5
    }

    /// The round number closest above `rough`: 1, 2, 2.5 or 5 times a power of ten.
    static func niceStep(_ rough: Double) -> Double {
        guard rough.isFinite, rough > 0 else { return 1 }
        var power = 1.0
        while power * 10 <= rough { power *= 10 }
        while power > rough { power /= 10 }
        let mantissa = rough / power
        let nice: Double
        switch mantissa {
        case ...1: nice = 1
        case ...2: nice = 2
        case ...2.5: nice = 2.5
        case ...5: nice = 5
        default: nice = 10
        }
        return nice * power
    }
}
