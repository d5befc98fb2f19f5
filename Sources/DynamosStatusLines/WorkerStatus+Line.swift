import Foundation

extension WorkerStatus {
    /// The report as the runtime writes it: one flat JSON object with sorted keys, without a newline.
    public var line: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads a status line: a worker's own output (`{"event":"processed","inFlight":0,...}`) with the fast scanner,
    /// anything else through `JSONDecoder`.
    ///
    /// Workers write one line per message taken and one per message handed on, and the agent reads every line;
    /// under load, decoding them with `JSONDecoder` took about a tenth of the agent's CPU. ``line`` writes flat
    /// objects of strings without escapes and integers, which the scanner reads.
    /// - Returns: the report, or nil when the line is no report (a log line, an unknown event).
    public init?(line: String) {
        guard line.hasPrefix("{") else { return nil }
        if let scanned = Self(flatLine: line) {
            self = scanned
        } else if let decoded = try? JSONDecoder().decode(Self.self, from: Data(line.utf8)) {
            self = decoded
        } else {
            return nil
        }
    }

    /// The scanner alone: nil for anything but a flat object of plain strings and integers with a known `event`.
    init?(flatLine line: String) {
        var scanner = FlatObjectScanner(line.utf8)
        var event: Event?
        var report = WorkerStatus(event: .ready, service: "", party: "", queue: "", worker: "", lastActivity: 0)
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        if scanner.consume(UInt8(ascii: "}")) { return nil }
        repeat {
            guard let key = scanner.string(), scanner.consume(UInt8(ascii: ":")) else { return nil }
            switch key {
            case "event":
                guard let value = scanner.string(), let known = Event(rawValue: value) else { return nil }
                event = known
            case "service", "party", "queue", "worker":
                guard let value = scanner.string() else { return nil }
                report.assign(key, text: value)
            case "processed", "failed", "deadLettered", "inFlight", "lastActivity", "lastMessageMicros":
                guard let value = scanner.integer() else { return nil }
                report.assign(key, count: value)
            default:
                guard scanner.string() != nil || scanner.integer() != nil else { return nil }
            }
        } while scanner.consume(UInt8(ascii: ","))
        guard scanner.consume(UInt8(ascii: "}")), scanner.atEnd, let event else { return nil }
        report.event = event
        self = report
    }

    private mutating func assign(_ key: String, text value: String) {
        switch key {
        case "service": service = value
        case "party": party = value
        case "queue": queue = value
        default: worker = value
        }
    }

    private mutating func assign(_ key: String, count value: Int64) {
        switch key {
        case "processed": processed = Int(value)
        case "failed": failed = Int(value)
        case "deadLettered": deadLettered = Int(value)
        case "inFlight": inFlight = Int(value)
        case "lastActivity": lastActivity = value
        default: lastMessageMicros = value
        }
    }
}

/// A cursor over the UTF-8 of a flat JSON object whose values are plain strings or integers.
private struct FlatObjectScanner {
    private let bytes: String.UTF8View
    private var index: String.UTF8View.Index

    init(_ bytes: String.UTF8View) {
        self.bytes = bytes
        index = bytes.startIndex
    }

    var atEnd: Bool {
        mutating get {
            skipSpaces()
            return index == bytes.endIndex
        }
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        skipSpaces()
        guard index < bytes.endIndex, bytes[index] == byte else { return false }
        bytes.formIndex(after: &index)
        return true
    }

    /// A string without escapes; the cursor stays put when there is none.
    mutating func string() -> String? {
        skipSpaces()
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let start = bytes.index(after: index)
        var end = start
        while end < bytes.endIndex, bytes[end] != UInt8(ascii: "\"") {
            if bytes[end] == UInt8(ascii: "\\") { return nil }
            bytes.formIndex(after: &end)
        }
        guard end < bytes.endIndex else { return nil }
        index = bytes.index(after: end)
        return String(bytes[start..<end])
    }

    /// An integer; the cursor stays put when there is none.
    mutating func integer() -> Int64? {
        skipSpaces()
        var cursor = index
        var negative = false
        if cursor < bytes.endIndex, bytes[cursor] == UInt8(ascii: "-") {
            negative = true
            bytes.formIndex(after: &cursor)
        }
        var value: Int64 = 0
        var digits = 0
        while cursor < bytes.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[cursor]) {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(bytes[cursor] - UInt8(ascii: "0")))
            guard !overflow, !overflow2 else { return nil }
            value = sum
            digits += 1
            bytes.formIndex(after: &cursor)
        }
        guard digits > 0 else { return nil }
        if cursor < bytes.endIndex, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[cursor]) {
            return nil
        }
        index = cursor
        return negative ? -value : value
    }

    private mutating func skipSpaces() {
        while index < bytes.endIndex, bytes[index] == UInt8(ascii: " ") { bytes.formIndex(after: &index) }
    }
}
