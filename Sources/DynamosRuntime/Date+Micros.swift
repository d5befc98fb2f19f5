import Foundation

extension Date {
    /// Microseconds since the Unix epoch, as hop timings and status reports carry them.
    static var nowMicros: Int64 { Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()) }
}
