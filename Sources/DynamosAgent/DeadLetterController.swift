import DynamosControl
import DynamosDeadLetters
import DynamosHTTP
import DynamosTokens
import Hummingbird

/// The party's dead-letter queue over HTTP, for operators and this party's steward admins (a session token for the
/// party, as for the worker routes): `GET /agent/v1/dead-letters?limit=` lists the first letters with their
/// reasons and source queues, `GET /agent/v1/dead-letters/{id}` shows one without the values it carries,
/// `POST .../replay` and `POST .../purge` take `{"ids": [...]}` or `{"all": true}`.
struct DeadLetterController {
    let desk: DeadLetterDesk
    let verifier: TokenVerifier

    func addRoutes(to router: Router<PrincipalRequestContext>) {
        let party = desk.party
        let verifier = verifier
        let letters = router.group("/agent/v1/dead-letters")
            .add(middleware: BearerAuthenticator { token throws(ControlError) in
                try await verifier.verifySession(token, at: party)
            })
        letters.get { request, context in
            _ = try AgentHTTP.administrator(context, of: party, for: "the dead-letter listing")
            let limit = try Self.limit(request)
            return try JSONResponse.make(await desk.list(limit: limit))
        }
        letters.get(":id") { _, context in
            _ = try AgentHTTP.administrator(context, of: party, for: "reading dead letters")
            return try JSONResponse.make(await desk.detail(context.parameters.get("id") ?? ""))
        }
        letters.post("replay") { request, context in
            _ = try AgentHTTP.administrator(context, of: party, for: "replaying dead letters")
            let selection = try await JSONResponse.decode(DeadLetterSelection.self, from: request, context: context)
            return try JSONResponse.make(await desk.replay(selection))
        }
        letters.post("purge") { request, context in
            _ = try AgentHTTP.administrator(context, of: party, for: "purging dead letters")
            let selection = try await JSONResponse.decode(DeadLetterSelection.self, from: request, context: context)
            return try JSONResponse.make(await desk.purge(selection))
        }
    }

    /// `?limit=N`, 1 to the desk's scan limit, 100 when absent.
    static func limit(_ request: Request) throws(ControlError) -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return 100 }
        guard let limit = Int(text), (1...DeadLetterDesk.scanLimit).contains(limit) else {
            throw ControlError(.badRequest, "limit must be a number from 1 to \(DeadLetterDesk.scanLimit)")
        }
        return limit
    }
}
