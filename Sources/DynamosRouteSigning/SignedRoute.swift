/// A route with the proof of who issued it: what a message's `routing_data` and `route_signature` carry.
///
/// The issuing party signs, with its own Ed25519 key, the ids of the job and request, the expiry, a digest of the
/// request (its SQL included) and every hop of ``path``. ``hops`` is what is still ahead: a worker that hands the
/// message on drops its own hop (``advanced()``), and a failing hop may jump to the result recipient
/// (``toRecipient()``); either way the hops stay a suffix of the signed path, which is all a verifier needs to check.
public struct SignedRoute: Sendable, Codable, Equatable {
    public var jobID: String
    public var requestID: String
    public var correlationID: String
    /// Every hop the issuer signed, in order.
    public var path: [String]
    /// The hops still ahead: a suffix of ``path``.
    public var hops: [String]
    public var issuer: String
    public var keyID: String
    /// Seconds since the Unix epoch after which no hop accepts the route.
    public var expiresAt: Int64
    /// SHA-256 of the request the route was signed for (see ``RequestDigest``).
    public var requestDigest: [UInt8]
    /// The issuer's Ed25519 signature (64 bytes).
    public var signature: [UInt8]
    /// The issuer's ``PartySecret`` tag over the same bytes, for its own workers; empty when it has none.
    public var partyTag: [UInt8]

    public init(
        jobID: String, requestID: String, correlationID: String, path: [String], hops: [String]? = nil,
        issuer: String, keyID: String, expiresAt: Int64, requestDigest: [UInt8], signature: [UInt8],
        partyTag: [UInt8] = []
    ) {
        self.partyTag = partyTag
        self.jobID = jobID
        self.requestID = requestID
        self.correlationID = correlationID
        self.path = path
        self.hops = hops ?? path
        self.issuer = issuer
        self.keyID = keyID
        self.expiresAt = expiresAt
        self.requestDigest = requestDigest
        self.signature = signature
    }

    /// The queue this message goes to next, if any.
    public var nextHop: String? { hops.first }

    /// The route as seen by the next hop: the first hop removed.
    public func advanced() -> SignedRoute {
        var next = self
        next.hops = Array(hops.dropFirst())
        return next
    }

    /// The route reduced to its last hop, the result recipient: where an error result goes.
    public func toRecipient() -> SignedRoute {
        var recipient = self
        recipient.hops = Array(hops.suffix(1))
        return recipient
    }

    /// The party a queue name `dynamos.<party>.<service>` belongs to, or nil for a name of another shape.
    public static func party(ofQueue queue: String) -> String? {
        let parts = queue.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0] == "dynamos", !parts[1].isEmpty else { return nil }
        return String(parts[1])
    }
}
