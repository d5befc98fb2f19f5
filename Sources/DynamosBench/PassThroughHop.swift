public import DynamosBus

/// One hop of a pass-through chain: consumes a queue and forwards every message unchanged to the next queue,
/// acknowledging only after the broker confirmed the forward (what a reliable worker does, minus the work).
public struct PassThroughHop: Sendable {
    public let input: String
    public let output: String
    public let broker: any Broker
    public let prefetch: UInt16
    public let persistent: Bool

    public init(input: String, output: String, broker: any Broker, prefetch: UInt16, persistent: Bool) {
        self.input = input
        self.output = output
        self.broker = broker
        self.prefetch = prefetch
        self.persistent = persistent
    }

    /// Forwards until the consumer ends. With prefetch 1 each message is handled in the consuming task itself;
    /// with more, up to `prefetch` forwards are in flight at once.
    public func run(consumer: MessageConsumer) async throws {
        guard prefetch > 1 else {
            for try await delivery in consumer { try await forward(delivery) }
            return
        }
        try await withThrowingDiscardingTaskGroup { group in
            for try await delivery in consumer {
                group.addTask { try await forward(delivery) }
            }
        }
    }

    private func forward(_ delivery: Delivery) async throws {
        var properties = delivery.properties
        properties.persistent = persistent
        try await broker.forward(
            OutgoingMessage(routingKey: output, body: delivery.body, properties: properties), settling: delivery)
    }
}
