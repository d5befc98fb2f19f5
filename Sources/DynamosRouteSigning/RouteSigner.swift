/// Signs one party's routes and tickets with its own private key: what a party's agent does before it publishes a
/// request's first message, or lets another party's route end at one of its queues.
public struct RouteSigner: Sendable {
    public let key: RouteSigningKey
    /// Checks, before signing, that every hop leaving this party carries a valid ticket of its receiver.
    public let verifier: RouteVerifier

    /// A signer with `key`, checking foreign tickets against `keyring`.
    public init(key: RouteSigningKey, keyring: RouteKeyring) {
        self.key = key
        self.verifier = RouteVerifier(party: key.party, keyring: keyring)
    }

    public var party: String { key.party }

    /// Signs `hops` for one request.
    /// - Parameters:
    ///   - requestDigest: ``RequestDigest`` of the request the message will carry.
    ///   - expiresAt: seconds since the Unix epoch after which no hop accepts the route.
    /// - Throws: `RouteSigningError` `.missingTicket` when a hop leaves this party without a valid ticket of its
    ///   receiver for this request, `.invalidRoute` for a hop that is not a Dynamos queue.
    public func sign(
        jobID: String, requestID: String, correlationID: String, hops: [String], requestDigest: [UInt8],
        expiresAt: Int64, tickets: [RouteTicket] = [], now: Int64 = UnixTime.now
    ) throws(RouteSigningError) -> SignedRoute {
        var route = SignedRoute(
            jobID: jobID, requestID: requestID, correlationID: correlationID, path: hops, issuer: party,
            keyID: key.keyID, expiresAt: expiresAt, requestDigest: requestDigest, signature: [])
        for hop in hops {
            try verifier.checkTicket(for: hop, of: route, tickets: tickets, now: now)
        }
        route.signature = try key.signature(for: SigningInput.route(route))
        return route
    }

    /// Lets other parties' routes of one request end at this party's `queue`, expecting `expectedParts` parts.
    /// - Throws: `RouteSigningError` `.invalidRoute` when `queue` is not this party's.
    public func issueTicket(
        jobID: String, requestID: String, queue: String, expectedParts: Int, expiresAt: Int64
    ) throws(RouteSigningError) -> RouteTicket {
        guard SignedRoute.party(ofQueue: queue) == party else {
            throw RouteSigningError(.invalidRoute, "\(party) can only issue tickets for its own queues, not '\(queue)'")
        }
        var ticket = RouteTicket(
            jobID: jobID, requestID: requestID, party: party, queue: queue, expectedParts: expectedParts,
            expiresAt: expiresAt, keyID: key.keyID, signature: [])
        ticket.signature = try key.signature(for: SigningInput.ticket(ticket))
        return ticket
    }
}
