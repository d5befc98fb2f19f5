import CRabbitMQ
import DequeModule
import Glibc
import Logging

/// The thread that owns one broker connection: it runs every rabbitmq-c call for it, services frames and
/// heartbeats without pause, and recovers the connection (with its topology and consumers) when it drops.
///
/// Handlers never run here: deliveries are handed out through async streams, and acks and publishes come back
/// through the ``ConnectionInbox``. All state below is confined to this thread.
final class ConnectionLoop {
    static let controlChannel: UInt16 = 1
    static let publishChannel: UInt16 = 2
    static let spinBeforeSleeping: Duration = .microseconds(50)
    static let closeGracePeriod: Duration = .seconds(5)

    let endpoint: BrokerEndpoint
    /// The node of ``endpoint`` (see ``BrokerEndpoint/nodes``) the connection reached last.
    private var currentNode = 0
    let connectionName: String
    let logger: Logger
    let inbox: ConnectionInbox
    let statistics: ConnectionStatistics
    let publishWindow: Int
    /// How long an operation may wait for a connection before it fails; nil waits as long as it takes.
    let maximumWaitWhileDisconnected: Duration?
    /// When the current outage began (nil while connected).
    var disconnectedSince: ContinuousClock.Instant?
    let driver: RabbitMQBroker

    var session: AMQPSession?
    var topology = TopologyRecord()
    var confirms = ConfirmTracker()
    var waitingPublishes = Deque<(OutgoingMessage, ConfirmTracker.Completion)>()
    var consumers: [UInt16: ConsumerState] = [:]
    var assemblies: [UInt16: ContentAssembly] = [:]
    var subscriptionCounter: UInt64 = 0
    /// The broker raised a resource alarm: publishes wait (a blocking send would stall every channel).
    var publishingBlocked = false
    var lastInbound = ContinuousClock.now
    /// Set when deliveries were just handed out: their publishes and acks usually follow within microseconds.
    var expectingCommands = false
    private var backoff = Backoff()

    init(
        endpoint: BrokerEndpoint, connectionName: String, logger: Logger, inbox: ConnectionInbox,
        statistics: ConnectionStatistics, publishWindow: Int, maximumWaitWhileDisconnected: Duration?,
        driver: RabbitMQBroker
    ) {
        self.endpoint = endpoint
        self.connectionName = connectionName
        self.logger = logger
        self.inbox = inbox
        self.statistics = statistics
        self.publishWindow = publishWindow
        self.maximumWaitWhileDisconnected = maximumWaitWhileDisconnected
        self.driver = driver
    }

    /// Runs until the broker handle is closed. `firstConnect` learns how the first attempt went; when
    /// `retryFirstConnect` is false a failed first attempt ends the loop.
    func run(retryFirstConnect: Bool, firstConnect: @escaping @Sendable (Result<Void, AMQPError>) -> Void) {
        var reportFirst: (@Sendable (Result<Void, AMQPError>) -> Void)? = firstConnect
        while !inbox.isClosing {
            guard let session else {
                do {
                    try connect()
                    reportFirst?(.success(()))
                    reportFirst = nil
                } catch {
                    if let report = reportFirst, !retryFirstConnect {
                        reportFirst = nil
                        report(.failure(error))
                        break
                    }
                    var delay = backoff.next()
                    logger.warning(
                        "broker connection failed, retrying", metadata: ["error": "\(error)", "retry.in": "\(delay)"])
                    if let limit = maximumWaitWhileDisconnected {
                        failOperationsWaitingLongerThan(limit, lastError: error)
                        delay = min(delay, limit)
                    }
                    sleepInterruptibly(delay)
                }
                continue
            }
            let commands = inbox.takeAll()
            for (index, command) in commands.enumerated() {
                guard self.session != nil else {
                    inbox.putBack(Array(commands[index...]))
                    break
                }
                command.run(self)
            }
            guard self.session != nil else { continue }
            readFrames(from: session)
            guard let session = self.session, !inbox.isClosing else { continue }
            if !session.hasBufferedInput { waitForInput(session) }
        }
        shutDown()
        reportFirst?(.failure(.closedByClient))
    }

    /// Bounds waits during an outage: queued operations older than `limit` fail, and once the outage itself is
    /// older than `limit`, so do the publishes held back for the confirm window.
    private func failOperationsWaitingLongerThan(_ limit: Duration, lastError: AMQPError) {
        let now = ContinuousClock.now
        let since = disconnectedSince ?? now
        disconnectedSince = since
        let error = AMQPError(
            .connectionLost, message: "no broker connection for over \(limit): \(lastError.message)",
            hint: "the client keeps reconnecting; retry later, or raise maximumWaitWhileDisconnected")
        inbox.failCommands(submittedBefore: now - limit, with: error)
        guard now - since > limit else { return }
        while let (_, completion) = waitingPublishes.popFirst() { completion(.failure(error)) }
    }

    /// Opens the connection and its channels, then restores declared topology and consumers.
    private func connect() throws(AMQPError) {
        let session = try openSession()
        self.session = session
        do {
            try openChannel(Self.controlChannel)
            try openChannel(Self.publishChannel)
            amqp_confirm_select(session.state, Self.publishChannel)
            try session.checkReply("confirm.select", channel: Self.publishChannel)
            try topology.replay(on: self)
        } catch {
            self.session = nil
            throw error
        }
        lastInbound = .now
        disconnectedSince = nil
        let recovered = statistics.recordConnect()
        backoff.reset()
        if recovered {
            logger.notice(
                "broker connection recovered", metadata: ["broker": "\(endpoint.nodes[currentNode].redactedDescription)"])
        }
        resumeConsumers()
        flushWaitingPublishes()
    }

    /// A session with the first node that answers, starting at the one that answered last: a cluster's other nodes
    /// take over when it is down.
    private func openSession() throws(AMQPError) -> AMQPSession {
        let nodes = endpoint.nodes
        var lastError = AMQPError.connectionLost("no broker node to connect to")
        for offset in 0..<nodes.count {
            let index = (currentNode + offset) % nodes.count
            do {
                let session = try AMQPSession(endpoint: nodes[index], connectionName: connectionName)
                if index != currentNode {
                    logger.notice(
                        "connected to another broker node", metadata: ["broker": "\(nodes[index].redactedDescription)"])
                }
                currentNode = index
                return session
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    func openChannel(_ channel: UInt16) throws(AMQPError) {
        guard let session else { throw .connectionLost("no connection") }
        amqp_channel_open(session.state, channel)
        try session.checkReply("channel.open \(channel)", channel: channel)
    }

    /// Runs one synchronous AMQP method on the control channel; reopens the channel if the broker closed it.
    func controlRPC<T>(_ what: String, _ body: (amqp_connection_state_t) -> T?) throws(AMQPError) -> T {
        try rpc(what, channel: Self.controlChannel, reopenOnClose: true, body)
    }

    /// Runs one synchronous AMQP method on `channel` and checks the broker's reply. A connection-level failure
    /// drops the connection (the loop recovers it); a channel-level one reopens the channel when asked to.
    func rpc<T>(
        _ what: String, channel: UInt16, reopenOnClose: Bool, _ body: (amqp_connection_state_t) -> T?
    ) throws(AMQPError) -> T {
        guard let session else { throw .connectionLost("\(what): no connection") }
        let reply = body(session.state)
        do {
            try session.checkReply(what, channel: channel)
        } catch {
            if session.failure != nil {
                connectionLost(error)
            } else if error.closedChannel, reopenOnClose {
                try openChannel(channel)
            }
            throw error
        }
        guard let reply else { throw AMQPError(.library, message: "\(what): no reply body") }
        return reply
    }

    /// Reads every frame available now (zero timeout), a bounded batch at a time so commands keep flowing.
    private func readFrames(from session: AMQPSession) {
        var frame = amqp_frame_t()
        var zero = timeval(tv_sec: 0, tv_usec: 0)
        for _ in 0..<512 {
            let status = amqp_simple_wait_frame_noblock(session.state, &frame, &zero)
            if status == AMQP_STATUS_TIMEOUT.rawValue { break }
            guard status == AMQP_STATUS_OK.rawValue else {
                connectionLost(session.libraryFailure(status, doing: "reading from the broker"))
                return
            }
            lastInbound = .now
            handle(frame)
            guard self.session != nil else { return }
        }
        amqp_maybe_release_buffers(session.state)
    }

    /// Sleeps in `poll(2)` until the socket is readable, a command arrives, or a heartbeat is due.
    ///
    /// Right after handing out deliveries it first yields the processor for a few tens of microseconds, watching
    /// for the handler's publish or ack: a sleep and wake-up through the eventfd would cost more than that.
    private func waitForInput(_ session: AMQPSession) {
        if expectingCommands {
            expectingCommands = false
            var socket = pollfd(fd: session.socketDescriptor, events: Int16(POLLIN), revents: 0)
            let deadline = ContinuousClock.now + Self.spinBeforeSleeping
            repeat {
                if inbox.hasWork || poll(&socket, 1, 0) > 0 { return }
                sched_yield()
            } while ContinuousClock.now < deadline
        }
        var descriptors = [
            pollfd(fd: inbox.wakeDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: session.socketDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        let heartbeat = Int(amqp_get_heartbeat(session.state))
        let timeout: Int32 = heartbeat > 0 ? Int32(heartbeat * 1000 / 2) : -1
        guard inbox.prepareToSleep() else { return }
        let ready = poll(&descriptors, 2, timeout)
        inbox.awake()
        // Also clears a signal written between the poll and awake(), which would otherwise linger.
        inbox.clearWake()
        if ready > 0, descriptors[1].revents != 0 { lastInbound = .now }
        if heartbeat > 0, ContinuousClock.now - lastInbound > .seconds(heartbeat * 2) {
            session.fail(.connectionLost("missed broker heartbeats for \(heartbeat * 2) s"))
            connectionLost(session.failure!)
        }
    }

    private func sleepInterruptibly(_ delay: Duration) {
        var descriptor = pollfd(fd: inbox.wakeDescriptor, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, Int32(delay.wholeMilliseconds))
        inbox.clearWake()
    }

    /// Drops the broken connection: unconfirmed publishes fail, unsettled deliveries become stale (the broker
    /// redelivers them), and the loop reconnects.
    func connectionLost(_ error: AMQPError) {
        guard session != nil else { return }
        session = nil
        publishingBlocked = false
        disconnectedSince = .now
        statistics.recordLoss()
        logger.warning("broker connection lost", metadata: ["error": "\(error)"])
        assemblies.removeAll()
        for (completion, result) in confirms.failAll(.connectionLost("the connection dropped before the confirm: \(error.message)")) {
            completion(result)
        }
        for channel in consumers.keys { consumers[channel]?.unsettled = [] }
        consumers = consumers.filter { !$0.value.cancelled }
    }

    /// Closes gracefully: commands queued before the close still run, and publishes already sent get up to
    /// ``closeGracePeriod`` for their confirms, so a worker that stops right after acting loses nothing.
    private func shutDown() {
        if session != nil {
            for command in inbox.takeAll() {
                guard session != nil else { break }
                command.run(self)
            }
            let deadline = ContinuousClock.now + Self.closeGracePeriod
            while let session, confirms.inFlight > 0 || !waitingPublishes.isEmpty, ContinuousClock.now < deadline {
                readFrames(from: session)
                guard let session = self.session, confirms.inFlight > 0 else { continue }
                var socket = pollfd(fd: session.socketDescriptor, events: Int16(POLLIN), revents: 0)
                _ = poll(&socket, 1, 100)
            }
        }
        session?.close()
        session = nil
        for (completion, result) in confirms.failAll(.closedByClient) { completion(result) }
        for (_, completion) in waitingPublishes { completion(.failure(.closedByClient)) }
        waitingPublishes.removeAll()
        for consumer in consumers.values { consumer.continuation.finish() }
        consumers.removeAll()
        inbox.finish()
    }
}
