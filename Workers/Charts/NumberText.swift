/// Formats chart numbers without locale or Foundation, so labels (and thus the bytes) never depend on the host.
enum NumberText {
    /// A value label: whole numbers as integers, others with up to two decimals (fewer for large values).
    static func label(_ value: Double) -> String {
        guard value.isFinite else { return value.description }
        let magnitude = abs(value)
        let decimals = magnitude >= 1000 ? 0 : magnitude >= 100 ? 1 : 2
        return trimmed(fixed(value, decimals: decimals))
    }

    /// A tick label, with as many decimals as the tick step needs.
    static func tick(_ value: Double, step: Double) -> String {
        var decimals = 0
        var scaled = step
        while decimals < 10 && abs(scaled - scaled.rounded()) > 1e-9 * max(1, abs(scaled)) {
            scaled *= 10
            decimals += 1
        }
        return fixed(value, decimals: decimals)
    }

    /// `value` rounded to `decimals` places, written with a `.` and a leading `-` when negative.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var factor = 1.0
        for _ in 0..<decimals { factor *= 10 }
        let scaled = (abs(value) * factor).rounded()
        guard scaled < 9e15 else { return value.description }
        let units = UInt64(scaled)
        let divisor = UInt64(factor)
        let whole = String(units / divisor)
        var text = whole
        if decimals > 0 {
            let fraction = String(units % divisor)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return value < 0 && units != 0 ? "-" + text : text
    }

    /// `text` without trailing zeros after the decimal point (and without the point when nothing follows).
    private static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var result = text
        while result.hasSuffix("0") { result.removeLast() }
        if result.hasSuffix(".") { result.removeLast() }
        return result
    }
}
