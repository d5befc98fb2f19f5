import CRabbitMQ

extension ConnectionLoop {
    /// Dispatches one frame: deliveries and returns are assembled, confirms settled, closes answered.
    func handle(_ frame: amqp_frame_t) {
        let channel = frame.channel
        switch Int32(frame.frame_type) {
        case AMQP_FRAME_METHOD:
            handleMethod(frame.payload.method, channel: channel)
        case AMQP_FRAME_HEADER:
            guard var assembly = assemblies[channel], let decoded = frame.payload.properties.decoded else { return }
            let header = decoded.assumingMemoryBound(to: amqp_basic_properties_t.self).pointee
            assembly.takeHeader(header, bodySize: frame.payload.properties.body_size)
            store(assembly, channel: channel)
        case AMQP_FRAME_BODY:
            guard var assembly = assemblies.removeValue(forKey: channel) else { return }
            assembly.append(frame.payload.body_fragment)
            store(assembly, channel: channel)
        default:
            break
        }
    }

    private func store(_ assembly: ContentAssembly, channel: UInt16) {
        if assembly.isComplete {
            assemblies[channel] = nil
            complete(assembly, channel: channel)
        } else {
            assemblies[channel] = assembly
        }
    }

    private func handleMethod(_ method: amqp_method_t, channel: UInt16) {
        guard let decoded = method.decoded else { return }
        switch method.id {
        case AMQP_BASIC_DELIVER_METHOD:
            let deliver = decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee
            assemblies[channel] = ContentAssembly(
                origin: .delivery(
                    consumerTag: CValues.string(deliver.consumer_tag), deliveryTag: deliver.delivery_tag,
                    redelivered: deliver.redelivered != 0, exchange: CValues.string(deliver.exchange),
                    routingKey: CValues.string(deliver.routing_key)))
        case AMQP_BASIC_RETURN_METHOD:
            let returned = decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            assemblies[channel] = ContentAssembly(
                origin: .returned(
                    replyCode: returned.reply_code, replyText: CValues.string(returned.reply_text),
                    exchange: CValues.string(returned.exchange), routingKey: CValues.string(returned.routing_key)))
        case AMQP_BASIC_ACK_METHOD where channel == Self.publishChannel:
            let ack = decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            confirmed(tag: ack.delivery_tag, multiple: ack.multiple != 0, acknowledged: true)
        case AMQP_BASIC_NACK_METHOD where channel == Self.publishChannel:
            let nack = decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            confirmed(tag: nack.delivery_tag, multiple: nack.multiple != 0, acknowledged: false)
        case AMQP_BASIC_CANCEL_METHOD:
            let cancel = decoded.assumingMemoryBound(to: amqp_basic_cancel_t.self).pointee
            brokerCancelledConsumer(channel: channel, tag: CValues.string(cancel.consumer_tag))
        case AMQP_CHANNEL_CLOSE_METHOD:
            guard let session else { return }
            let error = session.serverException(method, doing: "channel \(channel)", channel: channel)
            channelClosedByBroker(channel, error: error)
        case AMQP_CONNECTION_CLOSE_METHOD:
            guard let session else { return }
            connectionLost(session.serverException(method, doing: "connection", channel: 0))
        case AMQP_CONNECTION_BLOCKED_METHOD:
            logger.warning("broker blocked publishing (resource alarm); publishes wait until it unblocks")
            publishingBlocked = true
        case AMQP_CONNECTION_UNBLOCKED_METHOD:
            logger.notice("broker unblocked publishing")
            publishingBlocked = false
            flushWaitingPublishes()
        default:
            logger.debug("ignored AMQP method", metadata: ["method": "0x\(String(method.id, radix: 16))"])
        }
    }

    private func complete(_ assembly: ContentAssembly, channel: UInt16) {
        switch assembly.origin {
        case .delivery(let consumerTag, let deliveryTag, let redelivered, let exchange, let routingKey):
            guard var consumer = consumers[channel], consumer.tag == consumerTag, !consumer.cancelled else {
                // Sent before our cancel reached the broker: give it back at once.
                if let state = session?.state { _ = amqp_basic_reject(state, channel, deliveryTag, 1) }
                return
            }
            var properties = assembly.properties
            properties.headers[ConfirmTracker.sequenceHeader] = nil
            let delivery = Delivery(
                body: assembly.body, properties: properties, exchange: exchange, routingKey: routingKey,
                queue: consumer.queue, redelivered: redelivered, deliveryTag: deliveryTag, channel: channel,
                generation: consumer.subscription, settler: driver)
            if case .terminated = consumer.continuation.yield(delivery) {
                // Nobody iterates this consumer any more: give the message back and stop the subscription.
                if let state = session?.state { _ = amqp_basic_reject(state, channel, deliveryTag, 1) }
                try? cancelConsumer(tag: consumerTag)
                return
            }
            consumer.unsettled.insert(deliveryTag)
            consumers[channel] = consumer
            expectingCommands = true
        case .returned(let replyCode, let replyText, let exchange, let routingKey):
            guard let sequence = assembly.properties.headers[ConfirmTracker.sequenceHeader]?.intValue else { return }
            confirms.markReturned(
                sequence: UInt64(sequence),
                error: AMQPError(
                    .unroutable, replyCode: replyCode,
                    message: "no queue is bound for routing key '\(routingKey)' on exchange '\(exchange)': \(replyText)",
                    hint: "declare and bind the destination queue before publishing"))
        }
    }

    /// The unconfirmed publishes of a publish channel the broker closed: a refusal fails the publish it names; the
    /// others fail with an error that says to retry them.
    private func failUnconfirmed(after error: AMQPError) -> [(ConfirmTracker.Completion, Result<Void, AMQPError>)] {
        guard error.code == .accessRefused else { return confirms.failAll(error) }
        let others = AMQPError(
            .channelClosed, replyCode: error.replyCode,
            message: "the publish channel was reset because another publish on it was refused (\(error.message)); "
                + "this message may or may not have reached its queue",
            hint: "retry it: the connection is fine")
        return confirms.failAll(
            refused: error, exchange: Self.quoted(after: "exchange '", in: error.message),
            routingKey: Self.quoted(after: "topic '", in: error.message), others: others)
    }

    /// The text between `marker` and the next `'` in `text`: how RabbitMQ names a refused exchange or topic.
    static func quoted(after marker: String, in text: String) -> String? {
        guard let start = text.range(of: marker)?.upperBound, let end = text[start...].firstIndex(of: "'") else {
            return nil
        }
        return String(text[start..<end])
    }

    private func channelClosedByBroker(_ channel: UInt16, error: AMQPError) {
        logger.warning("broker closed a channel", metadata: ["channel": "\(channel)", "error": "\(error)"])
        assemblies[channel] = nil
        do {
            if channel == Self.publishChannel {
                for (completion, result) in failUnconfirmed(after: error) { completion(result) }
                try openChannel(channel)
                amqp_confirm_select(session!.state, channel)
                try session!.checkReply("confirm.select", channel: channel)
                flushWaitingPublishes()
            } else if consumers[channel] != nil {
                restartConsumer(on: channel)
            } else {
                try openChannel(channel)
            }
        } catch {
            logger.error("could not reopen a channel", metadata: ["channel": "\(channel)", "error": "\(error)"])
            if let session, session.failure == nil { session.fail(error) }
            connectionLost(error)
        }
    }
}
