import DynamosKnowledge
import DynamosRouting
import Foundation
import Testing

/// The SQLite store: seeded once, versioned, refusing invalid changes, durable across reopen.
@Suite("SQLite config store", .timeLimit(.minutes(1)))
struct ConfigStoreTests {
    @Test("first start seeds from the files; every change bumps the version; no-op saves do not")
    func versioning() async throws {
        let store = try SQLiteConfigStore(path: nil)
        #expect(try await store.snapshot().version == 0)
        #expect(try await store.seedIfEmpty(directory: Fixtures.configDirectory) == 1)
        #expect(try await store.seedIfEmpty(directory: Fixtures.configDirectory) == 1)
        #expect(try await store.snapshot().knowledgeBase == Fixtures.seed())
        let version = try await store.update(summary: "VU enforces anonymize") { knowledgeBase in
            knowledgeBase.stewards[0].enforcedServices["sqlDataRequest"] = ["anonymize"]
        }
        #expect(version == 2)
        let same = try await store.snapshot().knowledgeBase
        #expect(try await store.save(same, summary: "same") == 2)
        #expect(try await store.snapshot().knowledgeBase.enforcedServices(of: "VU", for: "sqlDataRequest") == ["anonymize"])
        #expect(try await store.history().map(\.summary).last == "VU enforces anonymize")
    }

    @Test("an invalid change is refused and leaves the store as it was")
    func refusesInvalid() async throws {
        let store = try SQLiteConfigStore(path: nil)
        try await store.seedIfEmpty(directory: Fixtures.configDirectory)
        let error = await #expect(throws: RoutingError.self) {
            try await store.update(summary: "bad") { $0.microservices[0].allowedOutputs.append("ghost") }
        }
        #expect(error?.code == .danglingOutput)
        #expect(try await store.snapshot().version == 1)
    }

    @Test("the store survives a reopen")
    func reopen() async throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("dynamos-config-\(UInt64.random(in: 0...UInt64.max)).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let store = try SQLiteConfigStore(path: path)
            try await store.seedIfEmpty(directory: Fixtures.configDirectory)
            try await store.update(summary: "RUG idles faster") { $0.stewards[2].idleTimeoutSeconds = 60 }
        }
        let reopened = try SQLiteConfigStore(path: path)
        #expect(try await reopened.seedIfEmpty(directory: Fixtures.configDirectory) == 2)
        #expect(try await reopened.snapshot().knowledgeBase.settings(of: "RUG")?.idleTimeoutSeconds == 60)
    }

    @Test("concurrent updates each apply to the one before: none is lost")
    func concurrentUpdates() async throws {
        let store = try SQLiteConfigStore(path: nil)
        try await store.seedIfEmpty(directory: Fixtures.configDirectory)
        let start = try await store.snapshot().knowledgeBase.stewards[0].idleTimeoutSeconds
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await store.update(summary: "idle +1 (\(index))") { $0.stewards[0].idleTimeoutSeconds += 1 }
                }
            }
            try await group.waitForAll()
        }
        let after = try await store.snapshot()
        #expect(after.version == 21)
        #expect(after.knowledgeBase.stewards[0].idleTimeoutSeconds == start + 20)
        #expect(try await store.history().count == 21)
    }
}
