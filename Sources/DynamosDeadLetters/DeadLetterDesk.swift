public import DynamosBus
public import DynamosControl
import DynamosQueues
import Foundation

/// An operator's tools for one party's dead-letter queue: list the letters with their reasons, show one, replay
/// letters to the queues they came from after a fix, and purge them.
///
/// Reading a queue means taking its messages: the desk consumes up to ``scanLimit`` letters, keeps them unsettled
/// while it looks, and gives back what it does not replay or purge (RabbitMQ puts returned messages of a quorum
/// queue back at its head). A replay is confirmed by the broker before the letter is acknowledged, so a failure in
/// between leaves a duplicate, never a loss; results stay exactly-once because the receiving agent hands each
/// request at most one result and the aggregate drops a part it has merged already. Calls are serialized, so two
/// operators never hold the same letters at once.
public actor DeadLetterDesk {
    /// The most letters one call looks at: the first of the queue.
    public static let scanLimit = 1_000
    /// How long a call waits for the letters the queue said it had (another consumer may have taken some).
    static let patience: Duration = .seconds(3)

    let broker: any Broker
    public nonisolated let party: String
    public nonisolated var queue: String { QueueNames.dead(party: party) }

    public init(broker: any Broker, party: String) {
        self.broker = broker
        self.party = party
    }

    /// The first `limit` letters (at most ``scanLimit``) and how many the queue holds.
    public func list(limit: Int = 100) async throws(ControlError) -> DeadLetterListing {
        let (total, letters) = try await take(Swift.max(0, Swift.min(limit, Self.scanLimit)))
        await giveBack(letters, leaving: total)
        return DeadLetterListing(party: party, queue: queue, total: total, letters: letters.map { $0.summary(party: party) })
    }

    /// The letter `id`, its values aside.
    public func detail(_ id: String) async throws(ControlError) -> DeadLetterDetail {
        let (total, letters) = try await take(Self.scanLimit)
        await giveBack(letters, leaving: total)
        guard let letter = letters.first(where: { $0.id == id }) else { throw notFound(id) }
        return letter.detail(party: party)
    }

    /// Puts the selected letters back on their source queues (those that can go), each confirmed before its dead
    /// copy is acknowledged.
    public func replay(_ selection: DeadLetterSelection) async throws(ControlError) -> DeadLetterOutcome {
        try await settle(selection) { letter in
            if let why = letter.notReplayable(party: party) { return .refused(why) }
            do throws(AMQPError) {
                try await broker.publish(letter.replayed(to: letter.sourceQueue ?? ""))
                try await letter.delivery.ack()
                return .done
            } catch {
                return .refused(error.code == .unroutable
                    ? "its source queue \(letter.sourceQueue ?? "") no longer exists" : "the broker refused: \(error)")
            }
        }
    }

    /// Removes the selected letters for good; `all` purges the whole queue, beyond ``scanLimit`` too.
    public func purge(_ selection: DeadLetterSelection) async throws(ControlError) -> DeadLetterOutcome {
        if selection.all == true {
            do {
                let purged = try await broker.purgeQueue(queue)
                return DeadLetterOutcome(done: ["\(purged) letters"])
            } catch {
                throw ControlError(.unavailable, "could not purge \(queue)", party: party, cause: error)
            }
        }
        return try await settle(selection) { letter in
            (try? await letter.delivery.ack()) != nil ? .done : .kept
        }
    }

    /// What became of one selected letter.
    private enum Settlement {
        /// Settled for good: replayed or purged.
        case done
        /// Left in the queue, with why.
        case refused(String)
        /// Left in the queue without a word (an ack the broker did not take).
        case kept
    }

    /// Takes the letters, applies `act` to the selected ones, gives back the rest, and says what became of each.
    private func settle(
        _ selection: DeadLetterSelection, _ act: (DeadLetter) async -> Settlement
    ) async throws(ControlError) -> DeadLetterOutcome {
        let (total, wanted, letters) = try await select(selection)
        var outcome = DeadLetterOutcome()
        var kept: [DeadLetter] = []
        for letter in letters {
            let settlement: Settlement = wanted(letter) ? await act(letter) : .kept
            switch settlement {
            case .done: outcome.done.append(letter.id)
            case .refused(let why):
                outcome.refused.append(.init(id: letter.id, reason: why))
                kept.append(letter)
            case .kept: kept.append(letter)
            }
        }
        await giveBack(kept, leaving: total - outcome.done.count)
        outcome.missing = missing(selection, among: letters)
        return outcome
    }

    private func select(
        _ selection: DeadLetterSelection
    ) async throws(ControlError) -> (total: Int, wanted: @Sendable (DeadLetter) -> Bool, letters: [DeadLetter]) {
        let ids = Set(selection.ids ?? [])
        guard selection.all == true || !ids.isEmpty else {
            throw ControlError(.badRequest, "say which letters: {\"ids\": [...]} or {\"all\": true}")
        }
        guard ids.count <= Self.scanLimit, ids.allSatisfy({ $0.count <= 64 }) else {
            throw ControlError(.badRequest, "at most \(Self.scanLimit) ids of at most 64 characters")
        }
        let (total, letters) = try await take(Self.scanLimit)
        let all = selection.all == true
        return (total, { all || ids.contains($0.id) }, letters)
    }

    private func missing(_ selection: DeadLetterSelection, among letters: [DeadLetter]) -> [String] {
        let present = Set(letters.map(\.id))
        return (selection.ids ?? []).filter { !present.contains($0) }
    }

    /// Consumes up to `count` letters and stops the consumer; the letters stay unsettled.
    private func take(_ count: Int) async throws(ControlError) -> (total: Int, letters: [DeadLetter]) {
        let total: Int
        do {
            total = try await broker.inspectQueue(queue).readyMessages
        } catch where error.replyCode == 404 {
            return (0, [])
        } catch {
            throw ControlError(.unavailable, "could not read \(queue)", party: party, cause: error)
        }
        let wanted = Swift.min(count, total)
        guard wanted > 0 else { return (total, []) }
        let consumer: MessageConsumer
        do {
            consumer = try await broker.consume(queue: queue, prefetch: UInt16(wanted))
        } catch {
            throw ControlError(.unavailable, "could not read \(queue)", party: party, cause: error)
        }
        let stop = Task {
            try? await Task.sleep(for: Self.patience)
            try? await consumer.cancel()
        }
        var letters: [DeadLetter] = []
        var iterator = consumer.makeAsyncIterator()
        while letters.count < wanted, let delivery = try? await iterator.next() {
            letters.append(DeadLetter(delivery, party: party))
        }
        stop.cancel()
        try? await consumer.cancel()
        while let extra = try? await iterator.next() { letters.append(DeadLetter(extra, party: party)) }
        return (total, letters)
    }

    /// Returns `letters` to the queue and waits (at most ``patience``) until the broker counts `ready` letters
    /// again, so the next call sees what this one gave back: a quorum queue requeues asynchronously.
    private func giveBack(_ letters: [DeadLetter], leaving ready: Int) async {
        for letter in letters { try? await letter.delivery.nack(requeue: true) }
        let deadline = ContinuousClock.now + Self.patience
        while ContinuousClock.now < deadline {
            guard let status = try? await broker.inspectQueue(queue), status.readyMessages < ready else { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    private func notFound(_ id: String) -> ControlError {
        ControlError(
            .notFound, "no dead letter \(id) among the first \(Self.scanLimit) of \(queue); list them again",
            party: party)
    }
}
