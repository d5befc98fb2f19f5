import Crypto
import Foundation

/// Checks routes and tickets with public keys only: what every worker does before it acts on a message, and what
/// an agent does with results and tickets.
///
/// A route passes when a key of its issuer (by the keyring, not by the route's own word) signed exactly its ids,
/// expiry, request digest and path; when the hops left are a suffix of that path; when it has not expired; when it
/// was signed for the request the message carries; and when the next hop, if it belongs to another party, is
/// covered by that party's ticket for this request.
///
/// A route this party issued itself is checked with its ``PartySecret`` when it carries a tag and the verifier has
/// the secret (an HMAC instead of an Ed25519 verification, the same bytes covered); any other route, and one without
/// a tag, by its signature.
public struct RouteVerifier: Sendable {
    /// The party doing the checking (named in error messages).
    public let party: String
    public let keyring: RouteKeyring
    /// This party's own secret, for its own routes.
    public let partySecret: PartySecret?

    public init(party: String, keyring: RouteKeyring, partySecret: PartySecret? = nil) {
        self.party = party
        self.keyring = keyring
        self.partySecret = partySecret
    }

    /// Accepts `route` for a message whose request has digest `requestDigest`, or says why not.
    /// - Throws: `RouteSigningError`: `.foreignRoute` (unknown key, or a key of another party than the issuer),
    ///   `.invalidRoute` (altered), `.expired`, `.requestMismatch` (another request under a valid signature),
    ///   `.missingTicket` (the next hop leaves the issuer without its receiver's ticket).
    public func verify(
        _ route: SignedRoute, requestDigest: [UInt8], tickets: [RouteTicket] = [], now: Int64 = UnixTime.now
    ) throws(RouteSigningError) {
        let what = "route of request '\(route.requestID)' (job '\(route.jobID)')"
        guard let (owner, key) = keyring.key(route.keyID), owner == route.issuer else {
            let known = keyring.key(route.keyID).map { "a key of \($0.party)" } ?? "a key \(party) does not know"
            throw RouteSigningError(
                .foreignRoute,
                "\(what) claims issuer \(route.issuer) but is signed with '\(route.keyID)', \(known); drop the message")
        }
        guard route.hops.count <= route.path.count, route.path.suffix(route.hops.count).elementsEqual(route.hops),
            !route.hops.isEmpty
        else {
            throw RouteSigningError(
                .invalidRoute, "\(what): its hops \(route.hops) are not the end of the signed path; it was altered")
        }
        let input = SigningInput.route(route)
        let intact: Bool
        if route.issuer == party, let partySecret, !route.partyTag.isEmpty {
            intact = partySecret.isValid(route.partyTag, for: input)
        } else {
            intact = key.isValidSignature(route.signature, for: input)
        }
        guard intact else {
            throw RouteSigningError(
                .invalidRoute, "\(what) does not match \(route.issuer)'s signature; it was tampered with")
        }
        guard route.expiresAt >= now else {
            throw RouteSigningError(
                .expired, "\(what) expired \(now - route.expiresAt) s ago; the analyst must send the request again")
        }
        guard route.requestDigest == requestDigest else {
            throw RouteSigningError(
                .requestMismatch,
                "\(what) was signed by \(route.issuer) for another request than the message carries (its SQL was "
                    + "changed)")
        }
        try checkTicket(for: route.hops[0], of: route, tickets: tickets, now: now)
    }

    /// Nothing when `hop` belongs to the route's issuer; otherwise a valid ticket of the hop's owner for this job,
    /// request and queue must be among `tickets`.
    func checkTicket(
        for hop: String, of route: SignedRoute, tickets: [RouteTicket], now: Int64
    ) throws(RouteSigningError) {
        guard let owner = SignedRoute.party(ofQueue: hop) else {
            throw RouteSigningError(.invalidRoute, "hop '\(hop)' is not a Dynamos queue (dynamos.<party>.<name>)")
        }
        guard owner != route.issuer else { return }
        let valid = tickets.contains { ticket in
            ticket.jobID == route.jobID && ticket.requestID == route.requestID && ticket.queue == hop
                && ticket.party == owner && ticket.expiresAt >= now && isValid(ticket)
        }
        guard valid else {
            throw RouteSigningError(
                .missingTicket,
                "hop '\(hop)' leaves \(route.issuer) for \(owner), but \(owner) issued no valid ticket for request "
                    + "'\(route.requestID)' of job '\(route.jobID)'; have \(owner)'s agent issue one before signing")
        }
    }

    /// Whether a key of the ticket's party signed it (expiry and scope aside).
    public func isValid(_ ticket: RouteTicket) -> Bool {
        guard let (owner, key) = keyring.key(ticket.keyID), owner == ticket.party else { return false }
        return key.isValidSignature(ticket.signature, for: SigningInput.ticket(ticket))
    }
}

/// Seconds since the Unix epoch, the unit of route and ticket expiry.
public enum UnixTime {
    public static var now: Int64 { Int64(Date().timeIntervalSince1970) }
}
