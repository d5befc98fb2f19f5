import DynamosControl
import DynamosHTTP
import Foundation
import HTTPTypes
public import Hummingbird

/// The orchestrator's HTTP API on Hummingbird: approval, the config sections and the agent registry.
///
/// `POST /api/v1/requestApproval`; `GET/PUT /api/v1/<section>` and `GET/PUT/DELETE /api/v1/<section>/{name}` for
/// `archetypes`, `requestTypes`, `microservices`, `policyEnforcer`, `datasets`, `stewards`; `GET /api/v1/agents`;
/// `GET /api/v1/jobs`; `GET /health`. Config reads carry the version in `X-Dynamos-Config-Version`.
public enum OrchestratorHTTP {
    /// The router with every route of `orchestrator`.
    public static func router(_ orchestrator: Orchestrator) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ControlErrorMiddleware())
        router.get("/health") { _, _ in try JSONResponse.make(["status": "ok"]) }
        router.post("/api/v1/requestApproval") { request, context in
            let approval = try await JSONResponse.decode(ApprovalRequest.self, from: request, context: context)
            return try JSONResponse.make(try await orchestrator.approve(approval))
        }
        router.get("/api/v1/agents") { _, _ in try JSONResponse.make(await orchestrator.registry.entries()) }
        router.get("/api/v1/jobs") { _, _ in try JSONResponse.make(try orchestrator.jobs.active()) }
        for section in ConfigSection.allCases {
            addConfigRoutes(section, to: router, orchestrator: orchestrator)
        }
        return router
    }

    private static func addConfigRoutes(
        _ section: ConfigSection, to router: Router<BasicRequestContext>, orchestrator: Orchestrator
    ) {
        let path = RouterPath("/api/v1/\(section.rawValue)")
        let entryPath = RouterPath("/api/v1/\(section.rawValue)/:name")
        router.get(path) { _, _ in
            let (body, version) = try orchestrator.read(section)
            return configResponse(body, version: version)
        }
        router.get(entryPath) { _, context in
            let (body, version) = try orchestrator.read(section, entry: try name(in: context))
            return configResponse(body, version: version)
        }
        router.put(path) { request, context in
            let body = try await rawBody(request)
            let version = try await orchestrator.change(section, summary: "PUT /api/v1/\(section.rawValue)") {
                try section.replaceAll(in: &$0, with: body)
            }
            return try JSONResponse.make(["version": version])
        }
        router.put(entryPath) { request, context in
            let name = try name(in: context)
            let body = try await rawBody(request)
            let version = try await orchestrator.change(section, summary: "PUT /api/v1/\(section.rawValue)/\(name)") {
                try section.upsert(name, in: &$0, with: body)
            }
            return try JSONResponse.make(["version": version])
        }
        router.delete(entryPath) { _, context in
            let name = try name(in: context)
            _ = try orchestrator.read(section, entry: name)
            let version = try await orchestrator.change(
                section, summary: "DELETE /api/v1/\(section.rawValue)/\(name)"
            ) { _ = section.remove(name, from: &$0) }
            return try JSONResponse.make(["version": version])
        }
    }

    private static func name(in context: BasicRequestContext) throws(ControlError) -> String {
        guard let name = context.parameters.get("name"), !name.isEmpty else {
            throw ControlError(.badRequest, "the entry name is missing from the path")
        }
        return name
    }

    private static func rawBody(_ request: Request) async throws(ControlError) -> Data {
        do {
            return Data(buffer: try await request.body.collect(upTo: JSONResponse.maximumBodyBytes))
        } catch {
            throw ControlError(.badRequest, "the request body could not be read: \(error)")
        }
    }

    private static func configResponse(_ body: Data, version: Int) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[HTTPField.Name("X-Dynamos-Config-Version")!] = String(version)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
