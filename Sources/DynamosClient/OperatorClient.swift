public import AsyncHTTPClient
public import DynamosControl
public import Foundation
public import NIOHTTP1

/// An operator's or steward admin's client for the agents' pool endpoints: signs in at the orchestrator with its
/// credential (an API key or an OIDC token), takes a session token there for each party's agent
/// (`POST /api/v1/token?party=`; one agent cannot replay it at another), and sends it to that agent, taking a new
/// one shortly before it expires.
public actor OperatorClient {
    private let orchestrator: AnalystClient
    private var sessions: [String: SessionToken] = [:]

    public init(
        orchestratorURL: String, credential: String, http: HTTPClient = .shared, timeout: Duration = .seconds(15)
    ) {
        orchestrator = AnalystClient(orchestratorURL: orchestratorURL, credential: credential, http: http, timeout: timeout)
    }

    /// A call to `party`'s agent (`url` in full) with a session token for it.
    public func send(
        _ method: HTTPMethod, _ url: String, to party: String, json: (some Encodable & Sendable)? = Optional<String>.none
    ) async throws(ControlError) -> Data {
        try await orchestrator.send(method, url, json: json, token: try await token(for: party)).body
    }

    /// The session token for `party`'s agent, renewed when it has less than a minute left.
    public func token(for party: String) async throws(ControlError) -> String {
        if let session = sessions[party], Double(session.expiresAt) - Date().timeIntervalSince1970 > 60 {
            return session.token
        }
        let fresh = try await orchestrator.session(at: party)
        sessions[party] = fresh
        return fresh.token
    }
}
