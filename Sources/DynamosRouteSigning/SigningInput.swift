import Crypto
public import Foundation

/// The bytes a signature covers: length-prefixed fields behind a purpose tag, so no two different routes or
/// tickets encode alike and a route signature can never pass as a ticket signature.
struct SigningInput {
    private(set) var bytes: [UInt8] = []

    init(purpose: String) {
        append(purpose)
    }

    mutating func append(_ field: String) {
        append(bytes: Array(field.utf8))
    }

    mutating func append(_ number: Int64) {
        append(String(number))
    }

    mutating func append(bytes field: [UInt8]) {
        let count = UInt32(field.count)
        bytes += [UInt8(count >> 24), UInt8((count >> 16) & 0xff), UInt8((count >> 8) & 0xff), UInt8(count & 0xff)]
        bytes += field
    }

    static func route(_ route: SignedRoute) -> [UInt8] {
        var input = SigningInput(purpose: "dynamos.route.v2")
        for field in [route.issuer, route.keyID, route.jobID, route.requestID, route.correlationID] {
            input.append(field)
        }
        input.append(route.expiresAt)
        input.append(bytes: route.requestDigest)
        input.append(Int64(route.path.count))
        for hop in route.path { input.append(hop) }
        return input.bytes
    }

    static func ticket(_ ticket: RouteTicket) -> [UInt8] {
        var input = SigningInput(purpose: "dynamos.ticket.v2")
        for field in [ticket.party, ticket.keyID, ticket.jobID, ticket.requestID, ticket.queue] {
            input.append(field)
        }
        input.append(Int64(ticket.expectedParts))
        input.append(ticket.expiresAt)
        return input.bytes
    }
}

/// The digest a route signature covers for its request: SHA-256 over the packed request's type URL and bytes (the
/// `original_request` of a message), so changing the SQL under a valid signature is caught at the next hop.
public enum RequestDigest {
    public static func of(typeURL: String, value: some DataProtocol) -> [UInt8] {
        var hasher = SHA256()
        var input = SigningInput(purpose: "dynamos.request.v1")
        input.append(typeURL)
        hasher.update(data: input.bytes)
        hasher.update(data: value)
        return Array(hasher.finalize())
    }
}
