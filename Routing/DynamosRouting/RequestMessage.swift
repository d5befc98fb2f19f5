public import DynamosMessages
import Foundation
import SwiftProtobuf

/// Builds the first message an agent publishes for one party's part of a request: the analyst's `SqlDataRequest`
/// in `original_request`, the signed route and the tickets for its hops at other parties.
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
    public var route: SignedRoute
    public var tickets: [RouteTicket]
    /// Set on a compute provider's manifest: the stewards that send parts.
    public var providers: [String]
    /// Extra `metadata` entries.
    public var metadata: [String: String]

    public init(
        request: Dynamos_SqlDataRequest, route: SignedRoute, tickets: [RouteTicket] = [], providers: [String] = [],
        metadata: [String: String] = [:]
    ) {
        self.request = request
        self.route = route
        self.tickets = tickets
        self.providers = providers
        self.metadata = metadata
    }

    /// The message, ready to publish to `route.hops[0]`.
    /// - Throws: `RoutingError` `.invalidRequest` when the request cannot be packed (it always can for a valid
    ///   `SqlDataRequest`) or the route is empty.
    public func message() throws(RoutingError) -> Dynamos_MicroserviceCommunication {
        guard !route.hops.isEmpty else {
            throw RoutingError(.invalidRequest, "the route of request '\(route.requestID)' has no hops")
        }
        var message = Dynamos_MicroserviceCommunication()
        message.type = "microserviceCommunication"
        message.requestType = request.type.isEmpty ? "sqlDataRequest" : request.type
        do {
            message.originalRequest = try Google_Protobuf_Any(message: request)
        } catch {
            throw RoutingError(.invalidRequest, "could not pack the SqlDataRequest: \(error)")
        }
        message.metadata = metadata
        message.metadata[Self.publishedKey] = String(Int64(Date().timeIntervalSince1970 * 1_000_000))
        if !providers.isEmpty {
            message.metadata[Self.providersKey] = providers.joined(separator: ",")
        }
        message.routeTickets = tickets.map(\.proto)
        message.setSignedRoute(route)
        return message
    }
}
