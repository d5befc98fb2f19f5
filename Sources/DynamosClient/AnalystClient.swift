public import AsyncHTTPClient
public import DynamosControl
public import Foundation
import NIOCore
public import NIOHTTP1

/// The analyst's side of the control plane over HTTP: ask the orchestrator for approval, then send data requests
/// to the agents it names.
///
/// Every non-2xx answer becomes the `ControlError` its JSON body describes, so callers see the refusing party,
/// service and reason. Calls to the orchestrator carry `credential` (an API key or a token); data requests carry
/// the approval's access token.
public struct AnalystClient: Sendable {
    public let orchestratorURL: String
    /// The caller's credential for the orchestrator: an API key (`dyn_...`), a session or an OpenID Connect token.
    public var credential: String?
    private let http: HTTPClient
    public var timeout: Duration

    public init(
        orchestratorURL: String, credential: String? = nil, http: HTTPClient = .shared,
        timeout: Duration = .seconds(120)
    ) {
        self.orchestratorURL = orchestratorURL.hasSuffix("/") ? String(orchestratorURL.dropLast()) : orchestratorURL
        self.credential = credential
        self.http = http
        self.timeout = timeout
    }

    /// `POST /api/v1/requestApproval`: the request of the authenticated caller.
    public func requestApproval(_ request: ApprovalRequest) async throws(ControlError) -> ApprovalResponse {
        let (_, body) = try await send(.POST, orchestratorURL + "/api/v1/requestApproval", json: request, token: credential)
        return try Self.decode(ApprovalResponse.self, body)
    }

    /// `POST /api/v1/token?party=`: a session token for the caller at `party`'s agent, for its pools.
    public func session(at party: String) async throws(ControlError) -> SessionToken {
        let (_, body) = try await send(.POST, orchestratorURL + "/api/v1/token?party=\(party)", token: credential)
        return try Self.decode(SessionToken.self, body)
    }

    /// `GET` of an orchestrator path (`/api/v1/...`) with the caller's credential.
    public func get(_ path: String) async throws(ControlError) -> Data {
        try await send(.GET, orchestratorURL + path, token: credential).body
    }

    /// `POST <endpoint>` (an agent's `/agent/v1/sqlDataRequest/<party>`) with the approval's token.
    /// - Returns: the decoded answer and the JSON exactly as the agent sent it.
    public func dataRequest(
        _ request: DataRequest, at endpoint: String, token: String
    ) async throws(ControlError) -> (response: DataResponse, json: Data) {
        let (_, body) = try await send(.POST, endpoint, json: request, token: token)
        return (try Self.decode(DataResponse.self, body), body)
    }

    /// Any call: the status and body of a 2xx answer.
    /// - Throws: `ControlError` from the error body of any other status, `.unavailable` when nobody answers.
    public func send(
        _ method: HTTPMethod, _ url: String, json: (some Encodable)? = Optional<String>.none, token: String? = nil,
        rawBody: Data? = nil
    ) async throws(ControlError) -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let rawBody {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: rawBody))
        } else if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            do {
                request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(json)))
            } catch {
                throw ControlError(.badRequest, "the request could not be encoded", cause: error)
            }
        }
        let status: Int
        let body: Data
        let retryAfter: Int?
        do {
            let response = try await http.execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
            status = Int(response.status.code)
            retryAfter = response.headers.first(name: "Retry-After").flatMap { Int($0) }
            body = Data((try await response.body.collect(upTo: 256 << 20)).readableBytesView)
        } catch {
            throw ControlError(.unavailable, "\(url) did not answer", cause: error)
        }
        guard (200..<300).contains(status) else {
            if let error = try? JSONDecoder().decode(ErrorBody.self, from: body) {
                var failure = error.controlError
                failure.retryAfterSeconds = retryAfter
                throw failure
            }
            throw ControlError(
                .internalError, "\(url) answered \(status): \(String(decoding: body.prefix(500), as: UTF8.self))")
        }
        return (status, body)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ body: Data) throws(ControlError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: body)
        } catch {
            throw ControlError(.internalError, "an answer could not be read as \(T.self)", cause: error)
        }
    }
}
