import CRabbitMQ

extension ConnectionLoop {
    /// Publishes on the confirm channel, or queues the message while the confirm window is full. `completion`
    /// runs when the broker confirms (or refuses) it, or when the connection drops first.
    func publish(_ message: OutgoingMessage, completion: @escaping ConfirmTracker.Completion) {
        if publishingBlocked || !waitingPublishes.isEmpty || confirms.inFlight >= publishWindow {
            waitingPublishes.append((message, completion))
            return
        }
        send(message, completion: completion)
    }

    /// Sends queued publishes while the window has room.
    func flushWaitingPublishes() {
        while session != nil, !publishingBlocked, confirms.inFlight < publishWindow,
            let (message, completion) = waitingPublishes.popFirst()
        {
            send(message, completion: completion)
        }
    }

    private func send(_ message: OutgoingMessage, completion: @escaping ConfirmTracker.Completion) {
        guard let session else {
            waitingPublishes.prepend((message, completion))
            return
        }
        let arena = CArena()
        var messageProperties = message.properties
        // The broker checks user_id against the connection's user, so receivers know which party sent a message.
        messageProperties.userID = endpoint.user
        if message.mandatory {
            messageProperties.headers[ConfirmTracker.sequenceHeader] = .int(Int64(confirms.nextSequence))
        }
        var properties = messageProperties.cProperties(in: arena)
        let status = message.body.withUnsafeBytes { raw in
            amqp_basic_publish(
                session.state, Self.publishChannel, arena.bytes(message.exchange), arena.bytes(message.routingKey),
                message.mandatory ? 1 : 0, 0, &properties,
                amqp_bytes_t(len: raw.count, bytes: UnsafeMutableRawPointer(mutating: raw.baseAddress)))
        }
        guard status == AMQP_STATUS_OK.rawValue else {
            let error = session.libraryFailure(status, doing: "basic.publish")
            completion(.failure(.connectionLost("the publish may not have reached the broker: \(error.message)")))
            connectionLost(error)
            return
        }
        confirms.track(exchange: message.exchange, routingKey: message.routingKey, completion: completion)
    }

    func confirmed(tag: UInt64, multiple: Bool, acknowledged: Bool) {
        for (completion, result) in confirms.settle(tag: tag, multiple: multiple, acknowledged: acknowledged) {
            completion(result)
        }
        if !waitingPublishes.isEmpty { flushWaitingPublishes() }
    }
}
