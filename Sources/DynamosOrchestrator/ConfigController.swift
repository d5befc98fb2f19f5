import DynamosControl
import DynamosHTTP
import DynamosKnowledge
import DynamosStewardConfig
import Foundation
import HTTPTypes
import Hummingbird

/// The config API: `GET/PUT /api/v1/<section>` and `GET/PUT/DELETE /api/v1/<section>/{name}` for every
/// ``ConfigSection``, each checked against ``ConfigAccess`` before anything is read or changed.
struct ConfigController {
    let orchestrator: Orchestrator

    func addRoutes(to group: RouterGroup<PrincipalRequestContext>) {
        for section in ConfigSection.allCases {
            addRoutes(section, to: group)
        }
    }

    private func addRoutes(_ section: ConfigSection, to group: RouterGroup<PrincipalRequestContext>) {
        let path = RouterPath(section.rawValue)
        let entryPath = RouterPath("\(section.rawValue)/:name")
        let orchestrator = orchestrator
        group.get(path) { _, context in
            let (body, version) = try await orchestrator.read(section, for: try context.principal())
            return Self.configResponse(body, version: version)
        }
        group.get(entryPath) { _, context in
            let name = try Self.name(in: context)
            try ConfigAccess.checkRead(section, entry: name, by: try context.principal())
            let (body, version) = try await orchestrator.read(section, entry: name)
            return Self.configResponse(body, version: version)
        }
        group.put(path) { request, context in
            let principal = try context.principal()
            try ConfigAccess.checkWrite(section, entry: nil, by: principal)
            let body = try await Self.rawBody(request)
            let version = try await orchestrator.change(section, summary: "PUT \(section.rawValue) by \(principal.name)") {
                try section.replaceAll(in: &$0, with: body)
            }
            return try JSONResponse.make(["version": version])
        }
        group.put(entryPath) { request, context in
            let principal = try context.principal()
            let name = try Self.name(in: context)
            try ConfigAccess.checkWrite(section, entry: name, by: principal)
            let body = try await Self.rawBody(request)
            if section == .stewards, principal.role != .operator,
                let proposed = try? JSONDecoder().decode(StewardSettings.self, from: body),
                proposed.kind != (try await orchestrator.snapshot()).knowledgeBase.stewards.first(where: { $0.name == name })?.kind
            {
                throw ControlError(.forbidden, "only an operator changes whether \(name) is a steward or a third party")
            }
            let version = try await orchestrator.change(
                section, summary: "PUT \(section.rawValue)/\(name) by \(principal.name)"
            ) { try section.upsert(name, in: &$0, with: body) }
            return try JSONResponse.make(["version": version])
        }
        group.delete(entryPath) { _, context in
            let principal = try context.principal()
            let name = try Self.name(in: context)
            try ConfigAccess.checkWrite(section, entry: name, deleting: true, by: principal)
            _ = try await orchestrator.read(section, entry: name)
            let version = try await orchestrator.change(
                section, summary: "DELETE \(section.rawValue)/\(name) by \(principal.name)"
            ) { _ = section.remove(name, from: &$0) }
            return try JSONResponse.make(["version": version])
        }
    }

    private static func name(in context: PrincipalRequestContext) throws(ControlError) -> String {
        guard let name = context.parameters.get("name"), !name.isEmpty else {
            throw ControlError(.badRequest, "the entry name is missing from the path")
        }
        return name
    }

    private static func rawBody(_ request: Request) async throws(ControlError) -> Data {
        do {
            return Data(buffer: try await request.body.collect(upTo: JSONResponse.maximumBodyBytes))
        } catch {
            throw ControlError(.badRequest, "the request body could not be read", cause: error)
        }
    }

    private static func configResponse(_ body: Data, version: Int) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[HTTPField.Name("X-Dynamos-Config-Version")!] = String(version)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
