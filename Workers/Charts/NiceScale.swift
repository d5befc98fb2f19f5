#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An axis range with round tick values (1, 2, 2.5 or 5 times a power of ten), so readers can read values off.
///
/// A logarithmic scale (`logarithmic(covering:)`) runs from a power of ten to a power of ten, with a tick at every
/// decade, and at 2 and 5 times it when the range spans few decades.
struct NiceScale: Sendable, Equatable {
    /// The lowest value on the axis.
    let lower: Double
    /// The highest value on the axis.
    let upper: Double
    /// The distance between ticks (for a logarithmic scale, the decade factor 10).
    let step: Double
    /// Whether positions follow log10 of the value.
    private(set) var isLogarithmic = false

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

    /// A logarithmic scale from the power of ten at or below the smallest positive value to the one at or above
    /// `ceiling` (the largest value, plus any headroom the caller wants). Non-positive values cannot be drawn on
    /// it and are ignored.
    static func logarithmic(covering values: [Double], ceiling: Double? = nil) -> NiceScale {
        let positive = values.filter { $0 > 0 && $0.isFinite }
        let low = positive.min() ?? 1
        let high = max(ceiling ?? 0, positive.max() ?? 10)
        let lowerExponent = (log10(low) + 1e-9).rounded(.down)
        var upperExponent = (log10(high) - 1e-9).rounded(.up)
        if upperExponent <= lowerExponent { upperExponent = lowerExponent + 1 }
        var scale = NiceScale(lower: pow(10, lowerExponent), upper: pow(10, upperExponent), step: 10)
        scale.isLogarithmic = true
        return scale
    }

    private init(lower: Double, upper: Double, step: Double) {
        self.lower = lower
        self.upper = upper
        self.step = step
    }

    /// The tick values from `lower` to `upper`, inclusive.
    var ticks: [Double] {
        if isLogarithmic {
            let decades = Int((log10(upper) - log10(lower)).rounded())
            let multiples: [Double] = decades <= 2 ? [1, 2, 5] : [1]
            var values: [Double] = []
            var decade = lower
            for _ in 0..<decades {
                values += multiples.map { decade * $0 }
                decade *= 10
            }
            return values + [upper]
        }
        let count = Int(((upper - lower) / step).rounded()) + 1
        return (0..<count).map { index in
            let value = lower + Double(index) * step
            return abs(value) < step * 1e-9 ? 0 : value
        }
    }

    /// Where `value` falls between `lower` (0) and `upper` (1).
    func fraction(of value: Double) -> Double {
        guard upper > lower else { return 0.5 }
        if isLogarithmic {
            guard value > 0 else { return 0 }
            return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
        return (value - lower) / (upper - lower)
    }

    /// A tick's label: plain numbers on a logarithmic scale, else as many decimals as the step needs.
    func label(_ tick: Double) -> String {
        isLogarithmic ? NumberText.label(tick) : NumberText.tick(tick, step: step)
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
