public import DynamosRouteSigning
import Foundation

extension Dynamos_MicroserviceCommunication {
    /// The message's route as a `SignedRoute`: `routing_data`, the job/request/correlation ids of
    /// `request_metadata`, and `route_signature`.
    public var signedRoute: SignedRoute {
        SignedRoute(
            jobID: requestMetadata.jobID, requestID: requestMetadata.requestID,
            correlationID: requestMetadata.correlationID, path: routeSignature.path, hops: routingData,
            issuer: routeSignature.issuer, keyID: routeSignature.keyID, expiresAt: routeSignature.expiresUnix,
            requestDigest: Array(routeSignature.requestDigest), signature: Array(routeSignature.signature),
            partyTag: Array(routeSignature.partyTag))
    }

    /// Writes `route` into `routing_data`, `route_signature` and the ids of `request_metadata`.
    public mutating func setSignedRoute(_ route: SignedRoute) {
        routingData = route.hops
        requestMetadata.jobID = route.jobID
        requestMetadata.requestID = route.requestID
        requestMetadata.correlationID = route.correlationID
        routeSignature.issuer = route.issuer
        routeSignature.keyID = route.keyID
        routeSignature.path = route.path
        routeSignature.expiresUnix = route.expiresAt
        routeSignature.requestDigest = Data(route.requestDigest)
        routeSignature.signature = Data(route.signature)
        routeSignature.partyTag = Data(route.partyTag)
    }

    /// The digest of the request the message carries (`original_request`), which its route must have been signed
    /// for.
    public var requestDigest: [UInt8] {
        RequestDigest.of(typeURL: originalRequest.typeURL, value: originalRequest.value)
    }

    /// The tickets the message carries for hops that leave its route's issuer.
    public var tickets: [RouteTicket] { routeTickets.map(RouteTicket.init(proto:)) }
}

extension RouteTicket {
    /// The ticket as it travels in `route_tickets`.
    public var proto: Dynamos_RouteTicket {
        .with {
            $0.jobID = jobID
            $0.requestID = requestID
            $0.party = party
            $0.queue = queue
            $0.expectedParts = Int64(expectedParts)
            $0.expiresUnix = expiresAt
            $0.keyID = keyID
            $0.signature = Data(signature)
        }
    }

    /// A ticket read from a message; its signature is checked only when a route is verified against it.
    public init(proto: Dynamos_RouteTicket) {
        self.init(
            jobID: proto.jobID, requestID: proto.requestID, party: proto.party, queue: proto.queue,
            expectedParts: Int(clamping: proto.expectedParts), expiresAt: proto.expiresUnix, keyID: proto.keyID,
            signature: Array(proto.signature))
    }
}
