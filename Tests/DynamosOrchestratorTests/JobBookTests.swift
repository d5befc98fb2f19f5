import DynamosControl
import DynamosOrchestrator
import Foundation
import Testing

@Suite("Job book")
struct JobBookTests {
    static func job(_ id: String, created: Double, expires: Double) -> JobRecord {
        JobRecord(
            jobId: id, request: ApprovalRequest(type: "sqlDataRequest", user: OrchestratorFixture.analyst, dataProviders: ["UVA"]),
            revision: 1, archetype: "computeToData", computeProvider: nil, assignments: ["UVA": "computeToData"],
            roles: ["UVA": .all], reasons: [], createdAt: Date(timeIntervalSince1970: created),
            expiresAt: Date(timeIntervalSince1970: expires))
    }

    @Test("jobs are listed oldest first until their token expires, and survive a restart")
    func persists() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dynamos-jobbook-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("jobs.sqlite").path
        let book = try JobBook(path: path)
        try book.add(Self.job("b", created: 20, expires: 1_000))
        try book.add(Self.job("a", created: 10, expires: 100))
        try book.add(Self.job("c", created: 30, expires: 1_000))
        try book.remove("c")
        #expect(try book.active(now: Date(timeIntervalSince1970: 50)).map(\.jobId) == ["a", "b"])
        let reopened = try JobBook(path: path)
        #expect(try reopened.active(now: Date(timeIntervalSince1970: 200)).map(\.jobId) == ["b"])
        #expect(try reopened.job("b") == Self.job("b", created: 20, expires: 1_000))
        #expect(try reopened.job("a") == nil)
    }
}
