import Crypto
public import DynamosBus
public import DynamosControl
public import DynamosMessages
import DynamosQueues
public import Foundation

/// One message in a party's dead-letter queue, read from its headers and body: why it was set aside (by a Dynamos
/// worker or by the broker), where it came from, and what it carried, without the steward's values.
public struct DeadLetter: Sendable {
    /// The headers a replay takes off: the dead-letter bookkeeping of Dynamos and of the broker.
    static let bookkeepingHeaders: Set<String> = [
        DeadLetterHeaders.reason, DeadLetterHeaders.sourceQueue,
        DeadLetterHeaders.deadAt, "x-death", "x-first-death-queue", "x-first-death-reason",
        "x-first-death-exchange", "x-last-death-queue", "x-last-death-reason", "x-last-death-exchange",
        "x-delivery-count",
    ]
    /// How often a letter was replayed, counted on the message.
    public static let replaysHeader = "x-dynamos-replays"

    public let delivery: Delivery
    public let id: String
    public let reason: String
    public let sourceQueue: String?
    public let deadLetteredAt: Int64?
    public let replays: Int
    /// The message, when the body is a `MicroserviceCommunication` (not a control message).
    public let message: Dynamos_MicroserviceCommunication?

    public init(_ delivery: Delivery, party: String) {
        self.delivery = delivery
        let headers = delivery.properties.headers
        let death = Self.firstDeath(headers)
        let dynamosReason = headers[DeadLetterHeaders.reason]?.stringValue
        reason = dynamosReason
            ?? death?["reason"]?.stringValue.map { "the broker dead-lettered it: \(Self.explain($0))" }
            ?? "no reason recorded"
        sourceQueue = headers[DeadLetterHeaders.sourceQueue]?.stringValue ?? death?["queue"]?.stringValue
        deadLetteredAt = headers[DeadLetterHeaders.deadAt]?.intValue ?? death?["time"]?.intValue
        replays = Int(headers[Self.replaysHeader]?.intValue ?? 0)
        if let sourceQueue, sourceQueue == QueueNames.agent(party: party) {
            message = nil
        } else {
            message = try? Dynamos_MicroserviceCommunication(serializedBytes: delivery.body)
        }
        var digest = SHA256()
        digest.update(data: delivery.body)
        for part in [reason, sourceQueue ?? "", "\(deadLetteredAt ?? 0)", "\(replays)"] {
            digest.update(data: Array(part.utf8) + [0])
        }
        id = digest.finalize().prefix(12).map { String(format: "%02x", $0) }.joined()
    }

    /// Why replaying this letter for `party` would not help, or nil when it can go back to its source queue.
    public func notReplayable(party: String, now: Int64 = Int64(Date().timeIntervalSince1970)) -> String? {
        guard let sourceQueue else { return "nobody recorded the queue it came from" }
        guard sourceQueue.hasPrefix("dynamos.\(party).") else {
            return "it came from \(sourceQueue), not one of \(party)'s queues"
        }
        if sourceQueue == QueueNames.agent(party: party) { return nil }
        guard let message else { return "its body is not a Dynamos message; a replay would only dead-letter it again" }
        if message.hasRouteSignature, message.signedRoute.expiresAt < now {
            return "its route expired at \(Self.date(message.signedRoute.expiresAt)); the analyst sends the request again"
        }
        return nil
    }

    /// What an operator sees of it in a listing.
    public func summary(party: String) -> DeadLetterSummary {
        let route = message.flatMap { $0.hasRouteSignature ? $0.signedRoute : nil }
        return DeadLetterSummary(
            id: id, reason: reason, sourceQueue: sourceQueue, deadLetteredAt: deadLetteredAt,
            bytes: delivery.body.count, replays: replays,
            jobId: message.map(\.requestMetadata.jobID).flatMap { $0.isEmpty ? nil : $0 },
            requestId: message.map(\.requestMetadata.requestID).flatMap { $0.isEmpty ? nil : $0 },
            hops: route?.hops, routeExpiresAt: route?.expiresAt, notReplayable: notReplayable(party: party))
    }

    /// Everything but the values it carries.
    public func detail(party: String) -> DeadLetterDetail {
        let table = message.flatMap { $0.hasData ? $0.data : nil }
        return DeadLetterDetail(
            summary: summary(party: party),
            headers: delivery.properties.headers.mapValues { "\($0.stringValue ?? $0.intValue.map(String.init) ?? "\($0)")" },
            sender: delivery.properties.userID, services: message?.hopTimings.map { "\($0.party)/\($0.service)" } ?? [],
            error: message.flatMap { $0.hasError ? "\($0.error.party)/\($0.error.service) \($0.error.code): \($0.error.message)" : nil },
            rows: table.map { Int(clamping: $0.rowCount) }, columns: table?.columns.map(\.name) ?? [],
            attachments: message?.attachments.keys.sorted() ?? [])
    }

    /// The message as a replay sends it: to its source queue, without dead-letter bookkeeping, replays counted.
    func replayed(to queue: String) -> OutgoingMessage {
        var properties = delivery.properties
        properties.persistent = true
        for name in Self.bookkeepingHeaders { properties.headers[name] = nil }
        properties.headers[Self.replaysHeader] = .int(Int64(replays + 1))
        return OutgoingMessage(
            exchange: DynamosTopology.exchangeName, routingKey: queue, body: delivery.body, properties: properties)
    }

    private static func firstDeath(_ headers: FieldTable) -> [String: FieldValue]? {
        guard case .array(let deaths)? = headers["x-death"], case .table(let first)? = deaths.first else { return nil }
        return first
    }

    private static func explain(_ reason: String) -> String {
        switch reason {
        case "delivery_limit": "delivered \(DynamosTopology.deliveryLimit) times without being settled (delivery_limit)"
        case "maxlen": "its queue was full, so the oldest made room (maxlen)"
        case "expired": "it waited longer than its queue's message TTL (expired)"
        case "rejected": "a consumer rejected it (rejected)"
        default: reason
        }
    }

    private static func date(_ seconds: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
