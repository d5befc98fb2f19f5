public import DynamosMessages
import Foundation

extension Dynamos_MicroserviceCommunication {
    /// The message's route as a `SignedRoute`: `routing_data`, the job/request/correlation ids of
    /// `request_metadata`, and `route_signature` (whose `hmac` is the concatenated 32-byte tags).
    public var signedRoute: SignedRoute {
        let bytes = Array(routeSignature.hmac)
        let tags = stride(from: 0, to: bytes.count, by: 32).map { Array(bytes[$0..<min($0 + 32, bytes.count)]) }
        return SignedRoute(
            jobID: requestMetadata.jobID, requestID: requestMetadata.requestID,
            correlationID: requestMetadata.correlationID, hops: routingData, issuer: routeSignature.issuer,
            keyID: routeSignature.keyID, tags: tags)
    }

    /// Writes `route` into `routing_data`, `route_signature` and the ids of `request_metadata`.
    public mutating func setSignedRoute(_ route: SignedRoute) {
        routingData = route.hops
        requestMetadata.jobID = route.jobID
        requestMetadata.requestID = route.requestID
        requestMetadata.correlationID = route.correlationID
        routeSignature.issuer = route.issuer
        routeSignature.keyID = route.keyID
        routeSignature.hmac = Data(route.tags.joined())
    }
}

extension RouteTicket {
    /// The ticket as it travels in `route_tickets`.
    public var proto: Dynamos_RouteTicket {
        .with {
            $0.jobID = jobID
            $0.party = party
            $0.queue = queue
            $0.expectedParts = Int64(expectedParts)
            $0.keyID = keyID
            $0.tag = Data(tag)
        }
    }

    /// A ticket read from a message; its tag is checked only when a route is verified against it.
    public init(proto: Dynamos_RouteTicket) {
        self.init(
            jobID: proto.jobID, party: proto.party, queue: proto.queue,
            expectedParts: Int(clamping: proto.expectedParts), keyID: proto.keyID, tag: Array(proto.tag))
    }
}

extension Dynamos_MicroserviceCommunication {
    /// The tickets the message carries for hops that leave its route's issuer.
    public var tickets: [RouteTicket] { routeTickets.map(RouteTicket.init(proto:)) }
}
