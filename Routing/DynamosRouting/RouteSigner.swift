import Crypto

/// Signs and verifies routes for one party, so a worker only forwards to hops a trusted party put there.
///
/// A route is signed by the party that issued it (its agent). A hop that leaves the issuing party must be covered
/// by a `RouteTicket` the receiving party issued for the same job; the signer refuses to sign without one and the
/// verifier rejects the route without one.
public struct RouteSigner: Sendable {
    public let party: String
    public let keyring: RouteKeyring

    public init(party: String, keyring: RouteKeyring) {
        self.party = party
        self.keyring = keyring
    }

    /// Signs `hops` for one job and request.
    /// - Throws: `RoutingError` when this party has no key or a foreign hop has no valid ticket.
    public func sign(
        jobID: String, requestID: String, correlationID: String, hops: [String], tickets: [RouteTicket] = []
    ) throws(RoutingError) -> SignedRoute {
        let (keyID, key) = try signingKey()
        try checkTickets(hops: hops, issuer: party, jobID: jobID, tickets: tickets)
        var route = SignedRoute(
            jobID: jobID, requestID: requestID, correlationID: correlationID, hops: hops, issuer: party, keyID: keyID,
            tags: [])
        route.tags = hops.indices.map { Self.tag(route, from: $0, key: key) }
        return route
    }

    /// Accepts `route` only if a known key of its issuer signed exactly these hops for this job and request.
    /// - Throws: `RoutingError` `.foreignRoute` for an unknown key or issuer, `.invalidRoute` for a tampered
    ///   route, `.missingTicket` for a hop that leaves the issuer without a ticket.
    public func verify(_ route: SignedRoute, tickets: [RouteTicket] = []) throws(RoutingError) {
        guard let (owner, key) = keyring.key(route.keyID), owner == route.issuer else {
            throw RoutingError(
                .foreignRoute,
                "route of job '\(route.jobID)' is signed with key '\(route.keyID)' for '\(route.issuer)', which "
                    + "\(party) does not trust; add that party's key to the keyring or drop the message")
        }
        guard route.tags.count == route.hops.count else {
            throw RoutingError(
                .invalidRoute,
                "route of job '\(route.jobID)' has \(route.hops.count) hops but \(route.tags.count) tags; "
                    + "it was altered, drop the message")
        }
        for index in route.hops.indices {
            let message = Self.message(route, from: index)
            guard HMAC<SHA256>.isValidAuthenticationCode(route.tags[index], authenticating: message, using: key)
            else {
                throw RoutingError(
                    .invalidRoute,
                    "route of job '\(route.jobID)' does not match its signature at hop \(index + 1); it was "
                        + "tampered with, drop the message")
            }
        }
        try checkTickets(hops: route.hops, issuer: route.issuer, jobID: route.jobID, tickets: tickets)
    }

    /// Lets other parties' routes of `jobID` end at this party's `queue`, expecting `expectedParts` parts.
    /// - Throws: `RoutingError` when `queue` is not this party's or this party has no key.
    public func issueTicket(jobID: String, queue: String, expectedParts: Int) throws(RoutingError) -> RouteTicket {
        guard SignedRoute.party(ofQueue: queue) == party else {
            throw RoutingError(.invalidRequest, "\(party) can only issue tickets for its own queues, not '\(queue)'")
        }
        let (keyID, key) = try signingKey()
        var ticket = RouteTicket(
            jobID: jobID, party: party, queue: queue, expectedParts: expectedParts, keyID: keyID, tag: [])
        ticket.tag = Array(HMAC<SHA256>.authenticationCode(for: Self.message(ticket), using: key))
        return ticket
    }

    private func signingKey() throws(RoutingError) -> (String, SymmetricKey) {
        guard let keyID = keyring.signingKeyID(of: party), let (_, key) = keyring.key(keyID) else {
            throw RoutingError(
                .missingKey,
                "no route key for \(party); set \(RouteKeyring.environmentPrefix)\(party)=<keyId>:<base64 secret> "
                    + "or add it to the key file")
        }
        return (keyID, key)
    }

    private func checkTickets(
        hops: [String], issuer: String, jobID: String, tickets: [RouteTicket]
    ) throws(RoutingError) {
        for hop in hops {
            guard let owner = SignedRoute.party(ofQueue: hop) else {
                throw RoutingError(.invalidRoute, "hop '\(hop)' is not a Dynamos queue (dynamos.<party>.<name>)")
            }
            guard owner != issuer else { continue }
            let valid = tickets.contains { ticket in
                guard ticket.jobID == jobID, ticket.queue == hop, ticket.party == owner,
                    let (keyOwner, key) = keyring.key(ticket.keyID), keyOwner == owner
                else { return false }
                return HMAC<SHA256>.isValidAuthenticationCode(
                    ticket.tag, authenticating: Self.message(ticket), using: key)
            }
            guard valid else {
                throw RoutingError(
                    .missingTicket,
                    "hop '\(hop)' leaves \(issuer) for \(owner), but \(owner) issued no valid ticket for job "
                        + "'\(jobID)'; have \(owner)'s agent issue one before signing")
            }
        }
    }

    static func tag(_ route: SignedRoute, from index: Int, key: SymmetricKey) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message(route, from: index), using: key))
    }

    /// Length-prefixed fields, so no two different routes encode alike.
    static func message(_ route: SignedRoute, from index: Int) -> [UInt8] {
        encode(
            ["dynamos.route.v1", route.issuer, route.keyID, route.jobID, route.requestID, route.correlationID]
                + route.hops[index...])
    }

    static func message(_ ticket: RouteTicket) -> [UInt8] {
        encode(["dynamos.ticket.v1", ticket.party, ticket.keyID, ticket.jobID, ticket.queue, "\(ticket.expectedParts)"])
    }

    private static func encode(_ fields: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        for field in fields {
            let utf8 = Array(field.utf8)
            let count = UInt32(utf8.count)
            bytes += [UInt8(count >> 24), UInt8((count >> 16) & 0xff), UInt8((count >> 8) & 0xff), UInt8(count & 0xff)]
            bytes += utf8
        }
        return bytes
    }
}
