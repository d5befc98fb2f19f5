/// Signs one party's routes and tickets with its own private key: what a party's agent does before it publishes a
/// request's first message, or lets another party's route end at one of its queues.
public struct RouteSigner: Sendable {
    public let key: RouteSigningKey
    /// Checks, before signing, that every hop leaving this party carries a valid ticket of its receiver; checks
    /// this party's own routes (its results) with `partySecret`.
    public let verifier: RouteVerifier
    /// Tags each route for this party's own workers, when set.
    public let partySecret: PartySecret?

    /// A signer with `key`, checking foreign tickets against `keyring`, tagging routes with `partySecret`.
    public init(key: RouteSigningKey, keyring: RouteKeyring, partySecret: PartySecret? = nil) {
        self.key = key
        self.partySecret = partySecret
        self.verifier = RouteVerifier(party: key.party, keyring: keyring, partySecret: partySecret)
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
        let input = SigningInput.route(route)
        route.signature = try key.signature(for: input)
        route.partyTag = partySecret?.tag(input) ?? []
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
