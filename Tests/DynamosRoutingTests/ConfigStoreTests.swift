import DynamosRouting
import Foundation
import Testing

/// The SQLite store: seeded once, versioned, refusing invalid changes, durable across reopen.
@Suite("SQLite config store")
struct ConfigStoreTests {
    @Test("first start seeds from the files; every change bumps the version; no-op saves do not")
    func versioning() throws {
        let store = try SQLiteConfigStore(path: nil)
        #expect(try store.snapshot().version == 0)
        #expect(try store.seedIfEmpty(directory: Fixtures.configDirectory) == 1)
        #expect(try store.seedIfEmpty(directory: Fixtures.configDirectory) == 1)
        #expect(try store.snapshot().knowledgeBase == Fixtures.seed())
        let version = try store.update(summary: "VU enforces anonymize") { knowledgeBase in
            knowledgeBase.stewards[0].enforcedServices["sqlDataRequest"] = ["anonymize"]
        }
        #expect(version == 2)
        #expect(try store.save(store.snapshot().knowledgeBase, summary: "same") == 2)
        #expect(try store.snapshot().knowledgeBase.enforcedServices(of: "VU", for: "sqlDataRequest") == ["anonymize"])
        #expect(try store.history().map(\.summary).last == "VU enforces anonymize")
    }

    @Test("an invalid change is refused and leaves the store as it was")
    func refusesInvalid() throws {
        let store = try SQLiteConfigStore(path: nil)
        try store.seedIfEmpty(directory: Fixtures.configDirectory)
        let error = #expect(throws: RoutingError.self) {
            try store.update(summary: "bad") { $0.microservices[0].allowedOutputs.append("ghost") }
        }
        #expect(error?.code == .danglingOutput)
        #expect(try store.snapshot().version == 1)
    }

    @Test("the store survives a reopen")
    func reopen() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("dynamos-config-\(UInt64.random(in: 0...UInt64.max)).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let store = try SQLiteConfigStore(path: path)
            try store.seedIfEmpty(directory: Fixtures.configDirectory)
            try store.update(summary: "RUG idles faster") { $0.stewards[2].idleTimeoutSeconds = 60 }
        }
        let reopened = try SQLiteConfigStore(path: path)
        #expect(try reopened.seedIfEmpty(directory: Fixtures.configDirectory) == 2)
        #expect(try reopened.snapshot().knowledgeBase.settings(of: "RUG")?.idleTimeoutSeconds == 60)
    }
}
