public import AsyncHTTPClient
public import DynamosControl
public import Foundation
public import NIOHTTP1

/// An operator's or steward admin's client for the agents' pool endpoints: signs in at the orchestrator with its
/// credential (an API key or a token), takes a session token there (`POST /api/v1/token`), and sends it to agents,
/// taking a new one shortly before it expires.
public actor OperatorClient {
    private let orchestrator: AnalystClient
    private var session: SessionToken?

    public init(
        orchestratorURL: String, credential: String, http: HTTPClient = .shared, timeout: Duration = .seconds(15)
    ) {
        orchestrator = AnalystClient(orchestratorURL: orchestratorURL, credential: credential, http: http, timeout: timeout)
    }

    /// A call to an agent (`url` in full) with the session token.
    public func send(
        _ method: HTTPMethod, _ url: String, json: (some Encodable & Sendable)? = Optional<String>.none
    ) async throws(ControlError) -> Data {
        try await orchestrator.send(method, url, json: json, token: try await token()).body
    }

    /// The session token, renewed when it has less than a minute left.
    public func token() async throws(ControlError) -> String {
        if let session, Double(session.expiresAt) - Date().timeIntervalSince1970 > 60 { return session.token }
        let fresh = try await orchestrator.session()
        session = fresh
        return fresh.token
    }
}
