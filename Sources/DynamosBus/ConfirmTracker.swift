/// Publisher-confirm bookkeeping for one channel: which publishes await `basic.ack`/`basic.nack`.
///
/// Sequence numbers start at 1 on every (re)opened confirm channel. Acks may cover many publishes at once
/// (`multiple`); a `basic.return` for a mandatory message arrives before its ack and turns that ack into an
/// ``AMQPError/Code/unroutable`` failure. Returns are matched by the sequence number the publish carried in the
/// ``sequenceHeader`` header, never by the caller's message id, which need not be unique.
struct ConfirmTracker {
    typealias Completion = (Result<Void, AMQPError>) -> Void

    /// Carries a mandatory publish's sequence number, so its `basic.return` can be matched to it.
    static let sequenceHeader = "x-dynamos-publish-seq"

    private struct Entry {
        let sequence: UInt64
        /// Where the publish went, so a refusal that names it fails it alone.
        let exchange: String
        let routingKey: String
        /// Dropped as soon as the entry is settled: completions capture what they settle (a forwarded delivery's
        /// body, megabytes), which must not live on in the settled prefix of `entries`.
        var completion: Completion?
    }

    private var entries: [Entry] = []
    private var head = 0
    private var returned: [UInt64: AMQPError] = [:]
    private(set) var nextSequence: UInt64 = 1

    var inFlight: Int { entries.count - head }

    mutating func track(exchange: String, routingKey: String, completion: @escaping Completion) {
        entries.append(Entry(sequence: nextSequence, exchange: exchange, routingKey: routingKey, completion: completion))
        nextSequence += 1
    }

    /// Remembers that the broker returned the publish with this sequence number as unroutable.
    mutating func markReturned(sequence: UInt64, error: AMQPError) {
        returned[sequence] = error
    }

    /// Settles the publishes a `basic.ack` (or `basic.nack` when `acknowledged` is false) covers.
    mutating func settle(tag: UInt64, multiple: Bool, acknowledged: Bool) -> [(Completion, Result<Void, AMQPError>)] {
        var settled: [(Completion, Result<Void, AMQPError>)] = []
        func outcome(_ entry: Entry) -> Result<Void, AMQPError> {
            if let error = returned.removeValue(forKey: entry.sequence) { return .failure(error) }
            if acknowledged { return .success(()) }
            return .failure(
                AMQPError(
                    .publishNacked, message: "the broker refused responsibility for the message",
                    hint: "republish it; a nack usually means a queue limit or an internal broker error"))
        }
        if multiple {
            while head < entries.count, entries[head].sequence <= tag {
                if let completion = entries[head].completion { settled.append((completion, outcome(entries[head]))) }
                entries[head].completion = nil
                head += 1
            }
        } else if let index = entries[head...].firstIndex(where: { $0.sequence == tag }) {
            if let completion = entries[index].completion { settled.append((completion, outcome(entries[index]))) }
            if index == head {
                entries[head].completion = nil
                head += 1
            } else {
                entries.remove(at: index)
            }
        }
        compact()
        return settled
    }

    /// Fails every unconfirmed publish (channel or connection lost) and starts a new sequence.
    mutating func failAll(_ error: AMQPError) -> [(Completion, Result<Void, AMQPError>)] {
        let failed = entries[head...].compactMap { entry in
            entry.completion.map { ($0, Result<Void, AMQPError>.failure(error)) }
        }
        entries.removeAll()
        head = 0
        returned.removeAll()
        nextSequence = 1
        return failed
    }

    /// Fails every unconfirmed publish after the broker closed the channel over a refused one: the publishes that
    /// `refused` names (by exchange and, for a topic permission, routing key) fail with it; the others fail with
    /// `others` (retry them). When the refusal names no unconfirmed publish, all fail with `refused`.
    mutating func failAll(
        refused: AMQPError, exchange: String?, routingKey: String?, others: AMQPError
    ) -> [(Completion, Result<Void, AMQPError>)] {
        func named(_ entry: Entry) -> Bool {
            guard let exchange, entry.exchange == exchange || (exchange == "amq.default" && entry.exchange.isEmpty)
            else { return false }
            return routingKey.map { $0 == entry.routingKey } ?? true
        }
        let anyNamed = entries[head...].contains { $0.completion != nil && named($0) }
        let failed = entries[head...].compactMap { entry in
            entry.completion.map { ($0, Result<Void, AMQPError>.failure(!anyNamed || named(entry) ? refused : others)) }
        }
        entries.removeAll()
        head = 0
        returned.removeAll()
        nextSequence = 1
        return failed
    }

    private mutating func compact() {
        if head == entries.count {
            entries.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024, head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }
}
