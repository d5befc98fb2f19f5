import Foundation

/// The line a daemon (agent or orchestrator) prints on standard output once its HTTP server listens, and the one
/// definition of it: the daemons write it (``line``) and `dynamos up` and the tests read it (``init(line:)``) to
/// learn the URL a port-0 server bound.
public struct DaemonReady: Sendable, Codable, Equatable {
    /// The one event a daemon announces; kept in the line so a reader can tell it from other output.
    public enum Event: String, Sendable, Codable {
        case ready
    }

    /// The daemons that announce themselves.
    public enum Daemon: String, Sendable, Codable {
        case agent, orchestrator
    }

    public var event = Event.ready
    public var service: Daemon
    /// The party an agent serves; nil for the orchestrator.
    public var party: String?
    /// The base URL the server is reached at.
    public var url: String

    public init(service: Daemon, party: String? = nil, url: String) {
        self.service = service
        self.party = party
        self.url = url
    }

    /// The line as printed: one JSON object with sorted keys, no newline.
    public var line: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// The announcement in `line`, or nil when the line is other output.
    public init?(line: String) {
        guard line.contains(#""event":"ready""#),
            let decoded = try? JSONDecoder().decode(Self.self, from: Data(line.utf8))
        else { return nil }
        self = decoded
    }

    /// Prints ``line`` on standard output and flushes it at once (the reader waits for it).
    public func announce() {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
