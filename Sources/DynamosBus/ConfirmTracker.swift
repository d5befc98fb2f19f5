/// Publisher-confirm bookkeeping for one channel: which publishes await `basic.ack`/`basic.nack`.
///
/// Sequence numbers start at 1 on every (re)opened confirm channel. Acks may cover many publishes at once
/// (`multiple`); a `basic.return` for a mandatory message arrives before its ack and turns that ack into an
/// ``AMQPError/Code/unroutable`` failure.
struct ConfirmTracker {
    typealias Completion = (Result<Void, AMQPError>) -> Void

    private struct Entry {
        let sequence: UInt64
        let messageID: String?
        let completion: Completion
    }

    private var entries: [Entry] = []
    private var head = 0
    private var returned: [String: AMQPError] = [:]
    private(set) var nextSequence: UInt64 = 1

    var inFlight: Int { entries.count - head }

    mutating func track(messageID: String?, completion: @escaping Completion) {
        entries.append(Entry(sequence: nextSequence, messageID: messageID, completion: completion))
        nextSequence += 1
    }

    /// Remembers that the broker returned the message with this id as unroutable.
    mutating func markReturned(messageID: String, error: AMQPError) {
        returned[messageID] = error
    }

    /// Settles the publishes a `basic.ack` (or `basic.nack` when `acknowledged` is false) covers.
    mutating func settle(tag: UInt64, multiple: Bool, acknowledged: Bool) -> [(Completion, Result<Void, AMQPError>)] {
        var settled: [(Completion, Result<Void, AMQPError>)] = []
        func outcome(_ entry: Entry) -> Result<Void, AMQPError> {
            if let id = entry.messageID, let error = returned.removeValue(forKey: id) { return .failure(error) }
            if acknowledged { return .success(()) }
            return .failure(
                AMQPError(
                    .publishNacked, message: "the broker refused responsibility for the message",
                    hint: "republish it; a nack usually means a queue limit or an internal broker error"))
        }
        if multiple {
            while head < entries.count, entries[head].sequence <= tag {
                settled.append((entries[head].completion, outcome(entries[head])))
                head += 1
            }
        } else if let index = entries[head...].firstIndex(where: { $0.sequence == tag }) {
            settled.append((entries[index].completion, outcome(entries[index])))
            if index == head { head += 1 } else { entries.remove(at: index) }
        }
        compact()
        return settled
    }

    /// Fails every unconfirmed publish (channel or connection lost) and starts a new sequence.
    mutating func failAll(_ error: AMQPError) -> [(Completion, Result<Void, AMQPError>)] {
        let failed = entries[head...].map { ($0.completion, Result<Void, AMQPError>.failure(error)) }
        entries.removeAll()
        head = 0
        returned.removeAll()
        nextSequence = 1
        return failed
    }

    private mutating func compact() {
        if head > 1024, head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }
}
