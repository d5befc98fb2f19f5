/// A route with the proof of who issued it: what a message's `routing_data` and `route_signature` carry.
///
/// `tags` holds one HMAC-SHA256 per remaining hop: tag `i` covers job, request, correlation id, issuer, key id
/// and the hops from `i` to the end. A worker that forwards the message drops its hop and its tag
/// (`advanced()`), and the next hop can still verify what is left without knowing what came before.
public struct SignedRoute: Sendable, Codable, Equatable {
    public var jobID: String
    public var requestID: String
    public var correlationID: String
    public var hops: [String]
    public var issuer: String
    public var keyID: String
    public var tags: [[UInt8]]

    public init(
        jobID: String, requestID: String, correlationID: String, hops: [String], issuer: String, keyID: String,
        tags: [[UInt8]]
    ) {
        self.jobID = jobID
        self.requestID = requestID
        self.correlationID = correlationID
        self.hops = hops
        self.issuer = issuer
        self.keyID = keyID
        self.tags = tags
    }

    /// The queue this message goes to next, if any.
    public var nextHop: String? { hops.first }

    /// The route as seen by the next hop: the first hop and its tag removed.
    public func advanced() -> SignedRoute {
        var next = self
        next.hops = Array(hops.dropFirst())
        next.tags = Array(tags.dropFirst())
        return next
    }

    /// The party a queue name `dynamos.<party>.<service>` belongs to, or nil for a name of another shape.
    public static func party(ofQueue queue: String) -> String? {
        let parts = queue.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0] == "dynamos", !parts[1].isEmpty else { return nil }
        return String(parts[1])
    }
}
