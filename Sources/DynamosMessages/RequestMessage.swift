public import DynamosRouteSigning
import Foundation
import SwiftProtobuf

/// Builds and signs the first message an agent publishes for one party's part of a request: the analyst's
/// `SqlDataRequest` in `original_request`, the route signed over it, and the tickets for its hops at other parties.
///
/// Agents, the benchmark and the integration tests all start requests this way, so every worker sees the same
/// shape. A compute provider's first message is the aggregate's *manifest*: ``providers`` names the stewards
/// whose parts it waits for.
public struct RequestMessage: Sendable {
    /// The metadata key naming, in a manifest, the providers an aggregate waits for (comma-separated).
    public static let providersKey = "dynamos.aggregate.providers"
    /// The metadata key holding when the first message was built (microseconds since the Unix epoch), so the first
    /// hop can tell how long the message waited in its queue.
    public static let publishedKey = "dynamos.publishedUnixMicros"

    public var request: Dynamos_SqlDataRequest
    public var jobID: String
    public var requestID: String
    public var hops: [String]
    public var tickets: [RouteTicket]
    /// Set on a compute provider's manifest: the stewards that send parts.
    public var providers: [String]
    /// Extra `metadata` entries.
    public var metadata: [String: String]

    public init(
        request: Dynamos_SqlDataRequest, jobID: String, requestID: String, hops: [String],
        tickets: [RouteTicket] = [], providers: [String] = [], metadata: [String: String] = [:]
    ) {
        self.request = request
        self.jobID = jobID
        self.requestID = requestID
        self.hops = hops
        self.tickets = tickets
        self.providers = providers
        self.metadata = metadata
    }

    /// The message, its route signed by `signer` over the packed request, ready to publish to `hops[0]`.
    /// - Parameter expiresAt: seconds since the Unix epoch after which no hop accepts the route.
    /// - Throws: `RouteSigningError`: `.invalidRoute` for an empty route, `.missingTicket` for a hop at another
    ///   party without its ticket.
    public func message(
        signedBy signer: RouteSigner, expiresAt: Int64
    ) throws(RouteSigningError) -> Dynamos_MicroserviceCommunication {
        guard !hops.isEmpty else {
            throw RouteSigningError(.invalidRoute, "the route of request '\(requestID)' has no hops")
        }
        var message = Dynamos_MicroserviceCommunication()
        message.type = "microserviceCommunication"
        message.requestType = request.type.isEmpty ? "sqlDataRequest" : request.type
        do {
            message.originalRequest = try Google_Protobuf_Any(message: request)
        } catch {
            throw RouteSigningError(.invalidRoute, "could not pack the SqlDataRequest of '\(requestID)'", cause: error)
        }
        message.metadata = metadata
        message.metadata[Self.publishedKey] = String(Int64(Date().timeIntervalSince1970 * 1_000_000))
        if !providers.isEmpty {
            message.metadata[Self.providersKey] = providers.joined(separator: ",")
        }
        message.routeTickets = tickets.map(\.proto)
        let route = try signer.sign(
            jobID: jobID, requestID: requestID, correlationID: requestID, hops: hops,
            requestDigest: message.requestDigest, expiresAt: expiresAt, tickets: tickets)
        message.setSignedRoute(route)
        return message
    }
}
