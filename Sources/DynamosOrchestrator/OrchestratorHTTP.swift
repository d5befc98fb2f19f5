import DynamosControl
public import DynamosHTTP
public import Hummingbird

/// The orchestrator's HTTP API on Hummingbird: every route but `GET /health` under `/api/v1`, behind the bearer
/// credentials the orchestrator accepts (API keys and OpenID Connect tokens).
///
/// `POST /api/v1/requestApproval`; `POST /api/v1/token?party=`, `GET /api/v1/whoami`; `GET/PUT /api/v1/<section>` and
/// `GET/PUT/DELETE /api/v1/<section>/{name}` for `archetypes`, `requestTypes`, `microservices`, `policyEnforcer`,
/// `datasets`, `stewards`; `GET /api/v1/agents`; `GET /api/v1/jobs`. Config reads carry the version in
/// `X-Dynamos-Config-Version`. Who may do what: ``ConfigAccess`` and each controller.
public enum OrchestratorHTTP {
    /// The router with every route of `orchestrator`.
    public static func router(_ orchestrator: Orchestrator) -> Router<PrincipalRequestContext> {
        let router = Router(context: PrincipalRequestContext.self)
        router.add(middleware: ControlErrorMiddleware())
        router.get("/health") { _, _ in try JSONResponse.make(["status": "ok"]) }
        let credentials = orchestrator.credentials
        let api = router.group("/api/v1")
            .add(middleware: BearerAuthenticator { credential throws(ControlError) in
                try await credentials.principal(for: credential)
            })
        ApprovalController(orchestrator: orchestrator).addRoutes(to: api)
        IdentityController(orchestrator: orchestrator).addRoutes(to: api)
        RegistryController(orchestrator: orchestrator).addRoutes(to: api)
        ConfigController(orchestrator: orchestrator).addRoutes(to: api)
        return router
    }
}

/// `POST /api/v1/requestApproval`: any authenticated caller asks for itself.
struct ApprovalController {
    let orchestrator: Orchestrator

    func addRoutes(to group: RouterGroup<PrincipalRequestContext>) {
        group.post("requestApproval") { request, context in
            let principal = try context.principal()
            let approval = try await JSONResponse.decode(ApprovalRequest.self, from: request, context: context)
            return try JSONResponse.make(try await orchestrator.approve(approval, by: principal))
        }
    }
}

/// `POST /api/v1/token?party=P` (a session token for the caller at P's agent) and `GET /api/v1/whoami`.
struct IdentityController {
    let orchestrator: Orchestrator

    func addRoutes(to group: RouterGroup<PrincipalRequestContext>) {
        group.post("token") { request, context in
            let principal = try context.principal()
            guard let party = request.uri.queryParameters.get("party"), !party.isEmpty else {
                throw ControlError(.badRequest, "name the agent the token is for: POST /api/v1/token?party=<party>")
            }
            return try JSONResponse.make(try await orchestrator.session(for: principal, at: party))
        }
        group.get("whoami") { _, context in try JSONResponse.make(try context.principal()) }
    }
}

/// `GET /api/v1/agents` (operators all, a steward admin its own) and `GET /api/v1/jobs` (operators all, a steward
/// admin the jobs its steward takes part in, an analyst its own).
struct RegistryController {
    let orchestrator: Orchestrator

    func addRoutes(to group: RouterGroup<PrincipalRequestContext>) {
        group.get("agents") { _, context in
            let principal = try context.principal(.operator, .stewardAdmin, for: "the agent listing")
            let entries = await orchestrator.registry.entries()
            return try JSONResponse.make(entries.filter { principal.administers($0.party) })
        }
        group.get("jobs") { _, context in
            let principal = try context.principal()
            let jobs = try await orchestrator.jobs.active().filter { job in
                switch principal.role {
                case .operator: true
                case .stewardAdmin: job.roles.keys.contains(principal.steward ?? "")
                case .analyst: job.request.user.userName == principal.name
                }
            }
            return try JSONResponse.make(jobs)
        }
    }
}
