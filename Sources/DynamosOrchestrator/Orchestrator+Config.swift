import DynamosControl
import DynamosKnowledge
import DynamosQueues
import DynamosRouting
import Foundation

extension Orchestrator {
    /// The section's entries `principal` may see, as JSON, and the config version.
    func read(_ section: ConfigSection, for principal: Principal) async throws(ControlError) -> (body: Data, version: Int) {
        try ConfigAccess.checkRead(section, entry: nil, by: principal)
        let snapshot = try await snapshot()
        do {
            return (try section.list(in: ConfigAccess.visible(snapshot.knowledgeBase, to: principal)), snapshot.version)
        } catch {
            throw ControlError(.internalError, "the \(section.rawValue) section cannot be encoded", cause: error)
        }
    }

    /// The entry `name` of the section as JSON, and the config version.
    /// - Throws: `ControlError` `.notFound` naming the known entries.
    func read(_ section: ConfigSection, entry name: String) async throws(ControlError) -> (body: Data, version: Int) {
        let snapshot = try await snapshot()
        let found: Data?
        do {
            found = try section.entry(name, in: snapshot.knowledgeBase)
        } catch {
            throw ControlError(.internalError, "the \(section.rawValue) entry cannot be encoded", cause: error)
        }
        guard let found else {
            let known = Set(snapshot.knowledgeBase.names(of: section.kind).map { $0.split(separator: "/")[0] })
            throw ControlError(
                .notFound, "no \(section.rawValue) entry '\(name)'; known: \(known.sorted().joined(separator: ", "))")
        }
        return (found, snapshot.version)
    }

    /// Applies a change to one section, validated as a whole; on success pushes the new config to every agent
    /// and re-plans active jobs.
    /// - Returns: the config version now current.
    /// - Throws: `ControlError` `.badRequest` saying what is invalid; the store is left as it was.
    func change(
        _ section: ConfigSection, summary: String,
        _ edit: @escaping @Sendable (inout KnowledgeBase) throws -> Void
    ) async throws(ControlError) -> Int {
        let result: Result<VersionedKnowledgeBase, ControlError> = await configLock.withLock {
            do throws(RoutingError) {
                let before = try await self.store.snapshot().version
                let version = try await self.store.update(summary: summary) { (knowledgeBase) throws(RoutingError) in
                    do {
                        try edit(&knowledgeBase)
                    } catch let error as RoutingError {
                        throw error
                    } catch let error as DecodingError {
                        throw RoutingError(.invalidConfig, "malformed \(section.rawValue) body", cause: error)
                    } catch {
                        throw RoutingError(.invalidConfig, "", cause: error)
                    }
                }
                let snapshot = VersionedKnowledgeBase(version: version, knowledgeBase: try await self.store.snapshot().knowledgeBase)
                if version != before {
                    await self.pushConfig(snapshot)
                    await self.replanJobs(knowledgeBase: snapshot.knowledgeBase)
                }
                return .success(snapshot)
            } catch {
                let code: ControlError.Code = error.code == .storage ? .internalError : .badRequest
                return .failure(ControlError(code, error.explanation))
            }
        }
        return try result.get().version
    }

    /// Sends `snapshot` to every online agent (or only to `parties`).
    func pushConfig(_ snapshot: VersionedKnowledgeBase, to parties: [String]? = nil) async {
        let push: ControlMessage
        do {
            push = try await tokens.sign(
                control: .configChanged(ConfigPush(version: snapshot.version, knowledgeBase: snapshot.knowledgeBase)))
        } catch {
            logger.error("config push not signed", metadata: ["error": "\(error)"])
            return
        }
        var targets: [String] = []
        if let parties { targets = parties } else { targets = await registry.onlineParties() }
        for party in targets {
            do {
                try await bus.send(push, to: QueueNames.agent(party: party))
            } catch {
                logger.error("config push failed", metadata: ["party": "\(party)", "error": "\(error)"])
            }
        }
        logger.info("config pushed", metadata: ["config.version": "\(snapshot.version)", "parties": "\(targets)"])
    }
}
