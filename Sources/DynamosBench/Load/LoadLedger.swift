import Histogram
import Synchronization

/// The books of one load run: every request sent, every answer, latencies in an HdrHistogram (microseconds, 3
/// significant digits) overall and per second, and the checks that make "exactly one result per request" a
/// measured fact.
final class LoadLedger: Sendable {
    /// How one request ended.
    enum Outcome: Sendable {
        /// An answer: its request id and the tag its result carried.
        case answered(requestId: String, tag: String?)
        /// The result never came in time: the agent answered 504.
        case lost(String)
        /// An error answer.
        case failed(String)
    }

    private struct Books {
        var sent = 0
        var completed = 0
        var lost = 0
        var duplicated = 0
        var errors = 0
        var misrouted = 0
        var answeredTags: Set<String> = []
        var requestIds: Set<String> = []
        var firstError: String?
        var histogram = Histogram<UInt64>(highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .three)
        var seconds: [Int: Histogram<UInt64>] = [:]
        var lastCompletion: Duration = .zero
    }

    private let books = Mutex(Books())

    func sent() {
        books.withLock { $0.sent += 1 }
    }

    /// Records how the request tagged `tag` ended, `latency` after it was due, `at` into the run.
    func record(_ outcome: Outcome, tag: String, latency: Duration, at offset: Duration) {
        books.withLock { books in
            switch outcome {
            case .lost(let message):
                books.lost += 1
                if books.firstError == nil { books.firstError = message }
            case .failed(let message):
                books.errors += 1
                if books.firstError == nil { books.firstError = message }
            case .answered(let requestId, let resultTag):
                guard books.requestIds.insert(requestId).inserted else {
                    books.duplicated += 1
                    return
                }
                guard resultTag == tag else {
                    books.errors += 1
                    books.misrouted += 1
                    if books.firstError == nil {
                        books.firstError = "request \(tag) was answered with the result of \(resultTag ?? "nothing")"
                    }
                    return
                }
                guard books.answeredTags.insert(tag).inserted else {
                    books.duplicated += 1
                    return
                }
                books.completed += 1
                let micros = UInt64(max(1, latency.milliseconds * 1000))
                _ = books.histogram.record(micros)
                let second = Int(offset.milliseconds / 1000)
                _ = books.seconds[second, default: Histogram<UInt64>(
                    highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .two)].record(micros)
                books.lastCompletion = max(books.lastCompletion, offset)
            }
        }
    }

    /// The run's figures, its histogram, and its measured window (first send to the last completion).
    /// - Parameter unmatched: results the agent got when nobody waited for them (late or repeated), reported
    ///   beside the exactly-once counts.
    func run(workers: [String: Int]?, unmatched: Int) -> (LoadRun, Histogram<UInt64>, Duration) {
        books.withLock { books in
            let histogram = books.histogram
            func ms(_ percentile: Double) -> Double {
                histogram.totalCount == 0 ? 0 : Double(histogram.valueAtPercentile(percentile)) / 1000
            }
            let seconds = books.lastCompletion.milliseconds / 1000
            let timeline = books.seconds.keys.sorted().map { second in
                let window = books.seconds[second]!
                return TimelinePoint(
                    second: second, completed: Int(window.totalCount),
                    p50Ms: Double(window.valueAtPercentile(50)) / 1000, p99Ms: Double(window.valueAtPercentile(99)) / 1000)
            }
            let run = LoadRun(
                workers: workers, requests: books.sent, completed: books.completed, lost: books.lost,
                duplicated: books.duplicated, errors: books.errors, misrouted: books.misrouted,
                unmatchedResults: unmatched,
                throughputPerSec: seconds > 0 ? Double(books.completed) / seconds : 0, p50Ms: ms(50), p90Ms: ms(90),
                p99Ms: ms(99), p999Ms: ms(99.9),
                maxMs: histogram.totalCount == 0 ? 0 : Double(histogram.max) / 1000, timeline: timeline,
                firstError: books.firstError)
            return (run, histogram, books.lastCompletion)
        }
    }
}
