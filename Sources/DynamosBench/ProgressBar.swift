import Foundation
import Synchronization

/// A progress bar on standard error while a benchmark runs: redrawn in place on a terminal, a line every tenth
/// of the way otherwise (logs, CI), silent when turned off.
public final class ProgressBar: Sendable {
    private struct State {
        var done = 0
        var lastDecile = -1
    }

    private let total: Int
    private let enabled: Bool
    private let interactive: Bool
    private let state = Mutex(State())
    private let started = ContinuousClock.now

    /// A bar for `total` steps.
    public init(total: Int, enabled: Bool = true) {
        self.total = max(total, 1)
        self.enabled = enabled
        interactive = isatty(STDERR_FILENO) == 1
    }

    /// Counts one step done while working on `label`.
    public func advance(_ label: String) {
        guard enabled else { return }
        let (done, decile) = state.withLock { state -> (Int, Int?) in
            state.done += 1
            let decile = state.done * 10 / total
            defer { state.lastDecile = max(state.lastDecile, decile) }
            return (state.done, decile > state.lastDecile ? decile : nil)
        }
        let elapsed = (ContinuousClock.now - started).milliseconds / 1000
        if interactive {
            let width = 30
            let filled = min(width, done * width / total)
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            let line = "\r[\(bar)] \(done)/\(total) \(String(format: "%.0f", elapsed)) s  \(label)"
            FileHandle.standardError.write(Data((line.padding(toLength: 100, withPad: " ", startingAt: 0)).utf8))
        } else if decile != nil {
            FileHandle.standardError.write(
                Data("progress \(done)/\(total) (\(String(format: "%.0f", elapsed)) s): \(label)\n".utf8))
        }
    }

    /// Ends the bar's line on a terminal.
    public func finish() {
        if enabled && interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
