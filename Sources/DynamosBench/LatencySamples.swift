/// Latency observations of one benchmark cell, summarised the way the reports print them.
public struct LatencySamples: Sendable, Codable, Equatable {
    /// Milliseconds, in the order observed.
    public private(set) var values: [Double] = []

    public init(_ values: [Double] = []) { self.values = values }

    public mutating func record(_ duration: Duration) {
        values.append(duration.milliseconds)
    }

    public var count: Int { values.count }

    /// The value below which `fraction` of the samples lie (nearest rank on the sorted samples, as the raw
    /// baseline computes it, so both columns are comparable).
    public func percentile(_ fraction: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = Swift.min(sorted.count - 1, Int(Double(sorted.count) * fraction))
        return sorted[rank]
    }

    public var median: Double { percentile(0.5) }
    public var p95: Double { percentile(0.95) }
    public var min: Double { values.min() ?? .nan }
    public var max: Double { values.max() ?? .nan }
}

extension Duration {
    /// This duration in (fractional) milliseconds.
    public var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
