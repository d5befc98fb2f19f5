import DynamosControl
public import DynamosSupervisor
public import DynamosHTTP
import DynamosTokens
import Foundation
public import Hummingbird

/// The agent's HTTP API on Hummingbird: `POST /agent/v1/sqlDataRequest/{party}` and `GET /agent/v1/jobs/{jobId}`
/// with an analyst's access token, the pools under `/agent/v1/workers` with an operator's or this party's steward
/// admin's session token, the dead-letter queue under `/agent/v1/dead-letters` (``DeadLetterController``) likewise,
/// `GET /metrics` and `GET /health` (the party and the config version it runs on).
public enum AgentHTTP {
    /// The router with every route of `agent`, and the worker routes of `supervisor` when it has one.
    public static func router(_ agent: Agent, supervisor: Supervisor? = nil) -> Router<PrincipalRequestContext> {
        let router = Router(context: PrincipalRequestContext.self)
        router.add(middleware: ControlErrorMiddleware())
        router.get("/health") { _, _ in
            try JSONResponse.make(AgentHealth(party: agent.party, configVersion: await agent.config.current.version))
        }
        router.post("/agent/v1/sqlDataRequest/:party") { request, context in
            let party = context.parameters.get("party") ?? ""
            let body = try await JSONResponse.decode(DataRequest.self, from: request, context: context)
            let answer = try await agent.serve(
                body, for: party, authorization: request.headers[.authorization])
            return try JSONResponse.make(answer)
        }
        router.get("/agent/v1/jobs/:jobId") { request, context in
            let jobId = context.parameters.get("jobId") ?? ""
            let claims = try await agent.verifier.verify(
                try TokenVerifier.bearerToken(from: request.headers[.authorization]))
            guard claims.job == jobId else {
                throw ControlError(.forbidden, "the token is for job \(claims.job), not \(jobId)")
            }
            guard let job = try await agent.registry.job(jobId), job.composition.revision > 0 else {
                throw ControlError(.notFound, "job \(jobId) is not known here")
            }
            return try JSONResponse.make(job)
        }
        if let supervisor { addWorkerRoutes(supervisor, agent: agent, to: router) }
        DeadLetterController(desk: agent.deadLetters, verifier: agent.verifier).addRoutes(to: router)
        return router
    }

    /// `GET /agent/v1/workers` (every pool and worker), `PUT /agent/v1/workers/{service}` with `{"min", "max"}` and
    /// optionally `"desired"` and `"autoscale"`, both for operators and this party's steward admins (a session token
    /// for this party from the orchestrator's `POST /api/v1/token?party=`), and `GET /metrics` (Prometheus text, open like any exporter:
    /// counts only, no users or jobs).
    static func addWorkerRoutes(_ supervisor: Supervisor, agent: Agent, to router: Router<PrincipalRequestContext>) {
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            let text = supervisor.metrics.exposition() + agent.metricsExposition()
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        let verifier = agent.verifier
        let party = agent.party
        let workers = router.group("/agent/v1/workers")
            .add(middleware: BearerAuthenticator { token throws(ControlError) in
                try await verifier.verifySession(token, at: party)
            })
        workers.get { _, context in
            _ = try administrator(context, of: agent.party, for: "the worker listing")
            return try JSONResponse.make(await supervisor.snapshot())
        }
        workers.put(":service") { request, context in
            _ = try administrator(context, of: agent.party, for: "changing worker counts")
            let service = context.parameters.get("service") ?? ""
            let change = try await JSONResponse.decode(PoolChange.self, from: request, context: context)
            do {
                try await supervisor.change(
                    service, limits: PoolLimits(min: change.min, max: change.max), desired: change.desired,
                    autoscale: change.autoscale.map(\.policy))
            } catch {
                throw ControlError(.badRequest, "", cause: error)
            }
            return try JSONResponse.make(await supervisor.snapshot())
        }
    }

    /// The caller, who must administer `party`: an operator, or its steward admin.
    static func administrator(
        _ context: PrincipalRequestContext, of party: String, for what: String
    ) throws(ControlError) -> Principal {
        let principal = try context.principal()
        guard principal.administers(party) else {
            throw ControlError(.forbidden, "\(what) at \(party) needs an operator or \(party)'s steward admin; you are \(principal)")
        }
        return principal
    }
}

extension PoolChange.AutoscaleChange {
    /// The supervisor's policy, or nil to turn autoscaling off.
    var policy: AutoscalePolicy? {
        guard off != true, let targetPerWorker else { return nil }
        return AutoscalePolicy(targetPerWorker: targetPerWorker, stableWindowSeconds: stableWindowSeconds ?? 60)
    }
}
