public import DynamosBus
public import DynamosRouteSigning
public import DynamosStatusLines
import DynamosWaiting
import Foundation
public import Logging

/// One worker daemon: consumes its queue and runs every message through its ``ServiceHandler``, at least once.
///
/// Per message: verify the signed route (its first hop must be this queue), run the handler off the connection
/// thread, append this hop's timing, publish to the next hop with the rest of the route, wait for the broker's
/// confirm, then acknowledge. A crash anywhere before the acknowledgement means redelivery, never loss. A handler
/// error becomes an error result sent straight to the route's last hop (the result recipient); an undecodable
/// message or a route that does not verify is dead-lettered to `dynamos.<party>.dead` with a reason. Nothing a
/// message contains stops the worker.
///
/// Up to `prefetch` messages are handled at once. ``drain()`` stops intake, lets in-flight messages finish and be
/// acknowledged, and returns once ``run()`` has returned; in `once` mode ``run()`` handles one message and returns.
public actor WorkerRuntime {
    private enum State {
        case idle
        case running(MessageConsumer)
        case draining
        case stopped
    }

    public nonisolated let configuration: WorkerConfiguration
    private let broker: any Broker
    private let pipeline: MessagePipeline
    private let reporter: any WorkerStatusReporter
    private let logger: Logger
    private var state = State.idle
    private var status: WorkerStatus
    /// When the worker reported ready; a message queued before then waited for its start (a cold start).
    private var readyAtMicros: Int64 = 0
    /// Callers of ``drain()`` waiting for the run to end (one key: the run).
    private let stopWaiters = WaitingRoom<Int, Void>()
    private var idleRelease: Task<Void, Never>?

    /// A worker that runs every message through `handler`.
    /// - Parameters:
    ///   - keyring: the parties' public route keys; routes not signed by their issuer's key are dead-lettered.
    ///   - partySecret: this party's own secret, which checks its own routes faster (see `PartySecret`).
    ///   - reporter: receives a ``WorkerStatus`` on every event (ready, each message, draining, stopped).
    ///   - logger: used for every line, with `worker.queue` and, per message, `job.id` and `request.id` metadata.
    public init(
        configuration: WorkerConfiguration, broker: any Broker, handler: any ServiceHandler, keyring: RouteKeyring,
        partySecret: PartySecret? = nil, reporter: any WorkerStatusReporter = SilentStatusReporter(), logger: Logger
    ) {
        self.init(
            configuration: configuration, broker: broker, keyring: keyring, partySecret: partySecret,
            reporter: reporter, logger: logger
        ) { _ in .handler(handler) }
    }

    /// A worker that gathers each request's manifest and parts and runs them through `combiner` (the aggregate):
    /// see ``PartCombiner``. Parts are held unacknowledged, so the prefetch must cover the parts of every request
    /// gathered at once; in `once` mode the worker stops after settling one request.
    public init(
        configuration: WorkerConfiguration, broker: any Broker, combiner: any PartCombiner, keyring: RouteKeyring,
        partySecret: PartySecret? = nil, reporter: any WorkerStatusReporter = SilentStatusReporter(), logger: Logger
    ) {
        self.init(
            configuration: configuration, broker: broker, keyring: keyring, partySecret: partySecret,
            reporter: reporter, logger: logger
        ) { sender in
            .combiner(PartGatherer(combiner: combiner, sender: sender, configuration: configuration, logger: logger))
        }
    }

    private init(
        configuration: WorkerConfiguration, broker: any Broker, keyring: RouteKeyring, partySecret: PartySecret?,
        reporter: any WorkerStatusReporter, logger: Logger, work: (HopSender) -> MessagePipeline.Work
    ) {
        var logger = logger
        logger[metadataKey: "worker.queue"] = "\(configuration.queue)"
        logger[metadataKey: "worker.id"] = "\(configuration.workerID)"
        self.configuration = configuration
        self.broker = broker
        self.reporter = reporter
        self.logger = logger
        let sender = HopSender(configuration: configuration, broker: broker)
        self.pipeline = MessagePipeline(
            configuration: configuration, sender: sender, work: work(sender),
            verifier: RouteVerifier(party: configuration.party, keyring: keyring, partySecret: partySecret),
            logger: logger)
        self.status = WorkerStatus(
            event: .ready, service: configuration.service, party: configuration.party, queue: configuration.queue,
            worker: configuration.workerID, lastActivity: Date.nowMicros)
    }

    /// The counters so far, as last reported.
    public var currentStatus: WorkerStatus { status }

    /// Consumes until ``drain()`` is called, the consumer ends, or, in `once` mode, one message was handled.
    /// Returns only when nothing is in flight.
    /// - Throws: ``AMQPError`` when the consumer cannot be started (no such queue, broker gone) or the broker
    ///   cancelled it (the queue was deleted); a supervisor should restart the worker.
    public func run() async throws(AMQPError) {
        guard case .idle = state else {
            logger.debug("run() after drain or a previous run; nothing to do")
            return
        }
        let consumer: MessageConsumer
        do {
            consumer = try await broker.consume(queue: configuration.queue, prefetch: effectivePrefetch)
        } catch {
            finish()
            throw error
        }
        guard case .idle = state else {
            try? await consumer.cancel()
            finish()
            return
        }
        state = .running(consumer)
        readyAtMicros = Date.nowMicros
        report(.ready)
        logger.info("consuming", metadata: ["prefetch": "\(effectivePrefetch)", "once": "\(configuration.once)"])
        let failure = await consumeAll(consumer)
        finish()
        if let failure { throw failure }
    }

    /// Feeds deliveries to the pipeline, at most `prefetch` at once, until the consumer ends; then waits for the
    /// in-flight ones. Returns the error the consumer ended with, if any.
    private func consumeAll(_ consumer: MessageConsumer) async -> AMQPError? {
        let limit = Int(effectivePrefetch)
        let pipeline = self.pipeline
        let readyAtMicros = self.readyAtMicros
        if case .combiner(let gatherer) = pipeline.work {
            await gatherer.onSettled { outcome in await self.settledByGatherer(outcome) }
        }
        let failure = await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            var failure: AMQPError?
            do {
                for try await delivery in consumer {
                    if configuration.once, !isCombining { await stopIntake(consumer) }
                    while inFlight >= limit, await group.next() != nil {
                        inFlight -= 1
                    }
                    inFlight += 1
                    status.inFlight += 1
                    report(.taken)
                    idleRelease?.cancel()
                    status.lastActivity = Date.nowMicros
                    group.addTask {
                        let taken = ContinuousClock.now
                        let outcome = await pipeline.process(delivery, readyAtMicros: readyAtMicros)
                        await self.record(outcome, took: taken.duration(to: .now))
                    }
                    if configuration.once, !isCombining { break }
                }
            } catch {
                logger.error("the consumer ended with an error", metadata: ["error": "\(error)"])
                failure = error as? AMQPError ?? AMQPError(.consumerCancelled, message: "the consumer failed: \(error)")
            }
            await group.waitForAll()
            return failure
        }
        if case .combiner(let gatherer) = pipeline.work { await gatherer.releaseAll() }
        return failure
    }

    /// The consumer's prefetch: 1 for a handler in once mode, so no second message is ever taken.
    private var effectivePrefetch: UInt16 {
        configuration.once && !isCombining ? 1 : configuration.prefetch
    }

    private var isCombining: Bool {
        if case .combiner = pipeline.work { return true }
        return false
    }

    /// A request the gatherer settled after its parts were counted as held; in `once` mode, the end of the run.
    private func settledByGatherer(_ outcome: DeliveryOutcome) async {
        status.inFlight += 1
        record(outcome)
        if configuration.once, case .running(let consumer) = state { await stopIntake(consumer) }
    }

    /// Stops intake and waits until ``run()`` has finished every in-flight message and returned: SIGTERM handling.
    public func drain() async {
        switch state {
        case .idle:
            finish()
            return
        case .running(let consumer):
            await stopIntake(consumer)
        case .draining:
            break
        case .stopped:
            return
        }
        // The run may have ended while the cancel was on its way.
        if case .stopped = state { return }
        _ = await stopWaiters.wait(for: 0)
    }

    private func stopIntake(_ consumer: MessageConsumer) async {
        guard case .running = state else { return }
        state = .draining
        report(.draining)
        do {
            try await consumer.cancel()
        } catch {
            logger.warning("could not cancel the consumer", metadata: ["error": "\(error)"])
        }
    }

    private func record(_ outcome: DeliveryOutcome, took duration: Duration? = nil) {
        if let duration {
            status.lastMessageMicros = duration.components.seconds * 1_000_000
                + duration.components.attoseconds / 1_000_000_000_000
        }
        status.inFlight -= 1
        status.lastActivity = Date.nowMicros
        if status.inFlight == 0 { scheduleMemoryRelease() }
        switch outcome {
        case .forwarded:
            status.processed += 1
            report(.processed)
        case .failed:
            status.processed += 1
            status.failed += 1
            report(.processed)
        case .deadLettered:
            status.deadLettered += 1
            report(.deadLettered)
        case .returned:
            report(.returned)
        case .held:
            report(.held)
        }
    }

    /// Once nothing has been in flight for ``WorkerConfiguration/idleMemoryRelease``, gives the heap's free memory
    /// back to the kernel; any new message before then cancels it.
    private func scheduleMemoryRelease() {
        idleRelease?.cancel()
        let delay = configuration.idleMemoryRelease
        idleRelease = Task { [weak self] in
            try? await Task.sleep(for: delay)
            guard !Task.isCancelled, let self, await self.status.inFlight == 0 else { return }
            MessageMemory.releaseUnused()
        }
    }

    private func finish() {
        idleRelease?.cancel()
        if case .stopped = state { return }
        state = .stopped
        report(.stopped)
        logger.info("stopped", metadata: ["processed": "\(status.processed)", "deadLettered": "\(status.deadLettered)"])
        stopWaiters.resume(0, with: ())
    }

    private func report(_ event: WorkerStatus.Event) {
        status.event = event
        reporter.report(status)
    }
}
