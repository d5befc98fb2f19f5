import CRabbitMQ

/// One consumer as the connection thread keeps it: its channel's subscription and the stream it feeds.
struct ConsumerState {
    let tag: String
    let queue: String
    let prefetch: UInt16
    let arguments: FieldTable
    let continuation: AsyncThrowingStream<Delivery, any Error>.Continuation
    /// Deliveries carry the epoch they were made in; a reconnect or channel reset starts a new one.
    var epoch: UInt64
    var cancelled = false
    var unsettled = 0
}

extension ConnectionLoop {
    /// Opens a channel for a new consumer, sets its prefetch and subscribes.
    func startConsumer(
        queue: String, prefetch: UInt16, arguments: FieldTable, tag: String,
        continuation: AsyncThrowingStream<Delivery, any Error>.Continuation
    ) throws(AMQPError) {
        let channel = freeChannel()
        let state = ConsumerState(
            tag: tag, queue: queue, prefetch: prefetch, arguments: arguments, continuation: continuation, epoch: epoch)
        try subscribe(state, on: channel)
        consumers[channel] = state
    }

    /// Subscribes again every consumer after a reconnect; one whose queue is gone ends with that error.
    func resumeConsumers() {
        for channel in consumers.keys.sorted() { restartConsumer(on: channel) }
    }

    func restartConsumer(on channel: UInt16) {
        guard var state = consumers[channel] else { return }
        state.epoch = epoch
        state.unsettled = 0
        do {
            try subscribe(state, on: channel)
            consumers[channel] = state
        } catch {
            consumers[channel] = nil
            state.continuation.finish(throwing: error)
            logger.error("consumer could not resume", metadata: ["queue": "\(state.queue)", "error": "\(error)"])
        }
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
            if error.code != .channelClosed, let session, session.failure == nil {
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

    /// Acks, nacks or rejects a delivery on its own channel.
    func settle(_ delivery: Delivery, as settlement: Settlement) throws(AMQPError) {
        guard let session, let state = consumers[delivery.channel], state.epoch == delivery.generation else {
            throw AMQPError(
                .staleDelivery,
                message: "delivery \(delivery.deliveryTag) from '\(delivery.queue)' belongs to a connection or "
                    + "channel that has since been replaced",
                hint: "nothing to do: the broker redelivers the message")
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
        consumers[delivery.channel]?.unsettled -= 1
        retireIfSettled(delivery.channel)
    }

    private func retireIfSettled(_ channel: UInt16) {
        guard let state = consumers[channel], state.cancelled, state.unsettled <= 0 else { return }
        consumers[channel] = nil
        if let session, session.failure == nil {
            _ = amqp_channel_close(session.state, channel, AMQP_REPLY_SUCCESS)
        }
    }
}
