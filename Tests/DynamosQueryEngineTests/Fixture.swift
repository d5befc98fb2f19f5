import DynamosDatagen
import DynamosMessages
import DynamosQueryEngine
import Foundation
import Testing

/// A temporary dataset tree (`root/<party>/<table>.csv`) plus a database directory, removed by `remove()`.
struct Fixture {
    static let party = "UVA"

    let root: URL
    let databases: URL
    let dataset: UNLDataset

    /// Writes the UVA dataset of `personCount` people with `lineEnding` line ends.
    init(personCount: Int = 150, lineEnding: CSVLineEnding = .lf) throws {
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("dynamos-query-\(UUID().uuidString)", isDirectory: true)
        root = base.appendingPathComponent("datasets", isDirectory: true)
        databases = base.appendingPathComponent("databases", isDirectory: true)
        try FileManager.default.createDirectory(at: databases, withIntermediateDirectories: true)
        dataset = UNLDataGenerator(seed: 7, personCount: personCount).dataset(for: Steward.named("UVA")!)
        try write(lineEnding: lineEnding)
    }

    var partyDirectory: URL { root.appendingPathComponent(Self.party, isDirectory: true) }

    /// (Re)writes both UNL files.
    func write(lineEnding: CSVLineEnding) throws {
        try FileManager.default.createDirectory(at: partyDirectory, withIntermediateDirectories: true)
        for file in dataset.csvFiles(lineEnding: lineEnding) {
            try writeFile(file.fileName, file.text)
        }
    }

    /// Writes one file of the party's dataset.
    func writeFile(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: partyDirectory.appendingPathComponent(name))
    }

    func engine(separator: Unicode.Scalar = ";", indexes: [String: [String]] = [:]) -> QueryEngine {
        QueryEngine(datasetDirectory: root, databaseDirectory: databases, separator: separator, indexes: indexes)
    }

    func remove() {
        try? FileManager.default.removeItem(at: root.deletingLastPathComponent())
    }
}

/// Runs `body` and returns the `QueryWorkerError` it threw, or nil when it did not throw.
func queryError(_ body: () async throws -> Void) async -> QueryWorkerError? {
    do {
        try await body()
        return nil
    } catch let error as QueryWorkerError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}
