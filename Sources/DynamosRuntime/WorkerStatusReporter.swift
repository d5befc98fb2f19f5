public import DynamosStatusLines
import Foundation

/// Where a worker sends its ``WorkerStatus`` reports: the seam between the runtime and its supervisor.
public protocol WorkerStatusReporter: Sendable {
    func report(_ status: WorkerStatus)
}

/// Reports as one JSON object per line on standard output, the line protocol a supervising agent reads from the
/// worker processes it spawned.
public struct LineStatusReporter: WorkerStatusReporter {
    private let write: @Sendable (String) -> Void

    /// Writes to standard output.
    public init() {
        self.init { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
    }

    /// - Parameter write: receives each line without its newline.
    public init(write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    public func report(_ status: WorkerStatus) {
        write(status.line)
    }
}

/// Drops every report: for embedding a runtime where nobody supervises it (tests, the demo).
public struct SilentStatusReporter: WorkerStatusReporter {
    public init() {}
    public func report(_ status: WorkerStatus) {}
}
