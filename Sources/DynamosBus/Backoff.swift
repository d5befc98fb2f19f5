/// Exponential reconnect backoff with full jitter, so many clients do not reconnect in lockstep.
struct Backoff {
    var initial: Duration = .milliseconds(50)
    var maximum: Duration = .seconds(5)
    private var attempt = 0

    mutating func next() -> Duration {
        let ceiling = min(maximum, initial * Int(1 << min(attempt, 16)))
        attempt += 1
        let fraction = Double.random(in: 0.5...1.0)
        return ceiling * fraction
    }

    mutating func reset() { attempt = 0 }
}
