import DynamosQueues
/// The queues and exchange every Dynamos party uses, declared the same way by whoever declares them first.
///
/// One topic exchange `dynamos` routes by queue name. Worker queues are durable quorum queues with an explicit
/// delivery limit (RabbitMQ 3.10 has no default), so a message that keeps crashing its workers ends up in the
/// party's dead-letter queue instead of looping forever.
public enum DynamosTopology {
    /// The topic exchange all Dynamos traffic goes through; routing key = destination queue name.
    public static let exchangeName = "dynamos"
    /// Deliveries of one message before it is dead-lettered.
    public static let deliveryLimit = 5

    public static var exchange: ExchangeDeclaration {
        ExchangeDeclaration(name: exchangeName, kind: .topic, durable: true)
    }





    /// A durable quorum queue of `party` that dead-letters into the party's dead-letter queue.
    ///
    /// An `aggregate` queue also has a single active consumer: the aggregate gathers all parts of a request in one
    /// process, so further aggregate workers stand by and take over (with the held parts redelivered) when the
    /// active one stops, instead of splitting a request's parts between them.
    public static func queue(_ name: String, party: String) -> QueueDeclaration {
        var declaration = QueueDeclaration(
            name: name, kind: .quorum, durable: true, deadLetterExchange: exchangeName,
            deadLetterRoutingKey: QueueNames.dead(party: party), deliveryLimit: deliveryLimit)
        if name.hasSuffix(".aggregate") || name.contains(".aggregate.") {
            declaration.arguments["x-single-active-consumer"] = .bool(true)
        }
        return declaration
    }

    /// Makes sure the exchange exists. On a provisioned broker it does and parties may not configure it (only check
    /// it, passively); a broker nobody provisioned (tests, a developer's node) gets it declared here.
    public static func ensureExchange(on broker: some Broker) async throws(AMQPError) {
        do {
            try await broker.inspectExchange(exchangeName)
        } catch where error.replyCode == 404 {
            do {
                try await broker.declare(exchange)
            } catch where error.code == .accessRefused {
                throw AMQPError(
                    .accessRefused, replyCode: error.replyCode,
                    message: "the '\(exchangeName)' exchange does not exist and \(broker.user) may not declare it",
                    hint: "provision the broker first: `dynamos broker definitions` writes the exchange and the users")
            }
        }
    }

    public static func deadLetterQueue(party: String) -> QueueDeclaration {
        QueueDeclaration(name: QueueNames.dead(party: party), kind: .quorum, durable: true)
    }

    /// Declares the exchange where it is missing, the party's dead-letter queue and `queues` (of `party`), each bound
    /// by its name.
    public static func declare(_ queues: [String], party: String, on broker: some Broker) async throws(AMQPError) {
        try await ensureExchange(on: broker)
        let dead = deadLetterQueue(party: party)
        try await broker.declare(dead)
        try await broker.bind(QueueBinding(queue: dead.name, exchange: exchangeName, routingKey: dead.name))
        for name in queues {
            try await broker.declare(queue(name, party: party))
            try await broker.bind(QueueBinding(queue: name, exchange: exchangeName, routingKey: name))
        }
    }
}
