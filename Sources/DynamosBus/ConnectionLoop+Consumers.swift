import CRabbitMQ

/// One consumer as the connection thread keeps it: its channel's subscription and the stream it feeds.
struct ConsumerState {
    let tag: String
    let queue: String
    let prefetch: UInt16
    let arguments: FieldTable
    let continuation: AsyncThrowingStream<Delivery, any Error>.Continuation
    /// Deliveries carry the subscription they came from; every subscribe (a new consumer, or one restored after a
    /// reconnect or channel reset) gets a new one, so a delivery of an earlier one can never settle a message of a
    /// later one that reuses its channel and delivery tags.
    var subscription: UInt64 = 0
    var cancelled = false
    /// Delivery tags handed out and not yet settled.
    var unsettled: Set<UInt64> = []
}

extension ConnectionLoop {
    /// Opens a channel for a new consumer, sets its prefetch and subscribes.
    func startConsumer(
        queue: String, prefetch: UInt16, arguments: FieldTable, tag: String,
        continuation: AsyncThrowingStream<Delivery, any Error>.Continuation
    ) throws(AMQPError) {
        let channel = freeChannel()
        var state = ConsumerState(
            tag: tag, queue: queue, prefetch: prefetch, arguments: arguments, continuation: continuation)
        state.subscription = nextSubscription()
        try subscribe(state, on: channel)
        consumers[channel] = state
    }

    /// Subscribes again every consumer after a reconnect; one whose queue is gone ends with that error.
    func resumeConsumers() {
        for channel in consumers.keys.sorted() { restartConsumer(on: channel) }
    }

    func restartConsumer(on channel: UInt16) {
        guard var state = consumers[channel] else { return }
        guard !state.cancelled else {
            consumers[channel] = nil
            return
        }
        state.subscription = nextSubscription()
        state.unsettled = []
        consumers[channel] = state
        do {
            try subscribe(state, on: channel)
        } catch {
            // Lost the connection again: keep the consumer, the next reconnect restores it.
            if session == nil || session?.failure != nil { return }
            consumers[channel] = nil
            state.continuation.finish(throwing: error)
            logger.error("consumer could not resume", metadata: ["queue": "\(state.queue)", "error": "\(error)"])
        }
    }

    private func nextSubscription() -> UInt64 {
        subscriptionCounter += 1
        return subscriptionCounter
    }

    private func subscribe(_ state: ConsumerState, on channel: UInt16) throws(AMQPError) {
        try openChannel(channel)
        do {
            _ = try rpc("basic.qos \(state.prefetch)", channel: channel, reopenOnClose: false) { connection in
                amqp_basic_qos(connection, channel, 0, state.prefetch, 0)
            }
            let arena = CArena()
            _ = try rpc("basic.consume \(state.queue)", channel: channel, reopenOnClose: false) { connection in
                amqp_basic_consume(
                    connection, channel, arena.bytes(state.queue), arena.bytes(state.tag), 0, 0, 0,
                    arena.table(state.arguments))
            }
        } catch {
            if !error.closedChannel, let session, session.failure == nil {
                _ = amqp_channel_close(session.state, channel, AMQP_REPLY_SUCCESS)
            }
            throw error
        }
    }

    private func freeChannel() -> UInt16 {
        var channel: UInt16 = 3
        while consumers[channel] != nil { channel += 1 }
        return channel
    }

    /// The client cancels: no new deliveries; the channel stays open until every delivery is settled.
    func cancelConsumer(tag: String) throws(AMQPError) {
        guard let (channel, state) = consumers.first(where: { $0.value.tag == tag && !$0.value.cancelled }) else {
            return
        }
        let arena = CArena()
        _ = try rpc("basic.cancel \(tag)", channel: channel, reopenOnClose: false) { connection in
            amqp_basic_cancel(connection, channel, arena.bytes(tag))
        }
        consumers[channel]?.cancelled = true
        state.continuation.finish()
        retireIfSettled(channel)
    }

    /// The broker cancels (the queue was deleted, or a quorum queue lost its leader for good).
    func brokerCancelledConsumer(channel: UInt16, tag: String) {
        guard let state = consumers[channel], state.tag == tag else { return }
        consumers[channel]?.cancelled = true
        state.continuation.finish(
            throwing: AMQPError(
                .consumerCancelled, message: "the broker cancelled the consumer of '\(state.queue)'",
                hint: "the queue was probably deleted; declare it again and consume anew"))
        retireIfSettled(channel)
    }

    /// Acks, nacks or rejects a delivery on its own channel, once.
    func settle(_ delivery: Delivery, as settlement: Settlement) throws(AMQPError) {
        guard let session, let state = consumers[delivery.channel], state.subscription == delivery.generation else {
            throw AMQPError(
                .staleDelivery,
                message: "delivery \(delivery.deliveryTag) from '\(delivery.queue)' belongs to a connection or "
                    + "channel that has since been replaced",
                hint: "nothing to do: the broker redelivers the message")
        }
        guard state.unsettled.contains(delivery.deliveryTag) else {
            throw AMQPError(
                .alreadySettled,
                message: "delivery \(delivery.deliveryTag) from '\(delivery.queue)' was already acked, nacked or rejected",
                hint: "settle each delivery once (forward(_:settling:) acks it for you)")
        }
        let status: Int32
        switch settlement {
        case .ack:
            status = amqp_basic_ack(session.state, delivery.channel, delivery.deliveryTag, 0)
        case .nack(let requeue):
            status = amqp_basic_nack(session.state, delivery.channel, delivery.deliveryTag, 0, requeue ? 1 : 0)
        case .reject(let requeue):
            status = amqp_basic_reject(session.state, delivery.channel, delivery.deliveryTag, requeue ? 1 : 0)
        }
        guard status == AMQP_STATUS_OK.rawValue else {
            let error = session.libraryFailure(status, doing: "settling delivery \(delivery.deliveryTag)")
            connectionLost(error)
            throw error
        }
        consumers[delivery.channel]?.unsettled.remove(delivery.deliveryTag)
        retireIfSettled(delivery.channel)
    }

    private func retireIfSettled(_ channel: UInt16) {
        guard let state = consumers[channel], state.cancelled, state.unsettled.isEmpty else { return }
        consumers[channel] = nil
        if let session, session.failure == nil {
            _ = amqp_channel_close(session.state, channel, AMQP_REPLY_SUCCESS)
        }
    }
}
