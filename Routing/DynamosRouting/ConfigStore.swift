public import DynamosKnowledge
/// Where the knowledge base lives between restarts: versioned, so every change can be seen and re-planned on.
///
/// `SQLiteConfigStore` is the implementation here; an etcd-backed one (as in DYNAMOS) would slot in beside it.
public protocol ConfigStore: Sendable {
    /// The current knowledge base and its version.
    func snapshot() async throws(RoutingError) -> VersionedKnowledgeBase

    /// Validates and stores `knowledgeBase`; the version goes up by one if anything changed.
    /// - Returns: the version now current.
    @discardableResult
    func save(_ knowledgeBase: KnowledgeBase, summary: String) async throws(RoutingError) -> Int

    /// Applies `change` to the current knowledge base and saves the result, atomically; an invalid result is
    /// refused and leaves the store as it was.
    /// - Returns: the version now current.
    @discardableResult
    func update(
        summary: String, _ change: @escaping @Sendable (inout KnowledgeBase) throws(RoutingError) -> Void
    ) async throws(RoutingError) -> Int
}

/// A knowledge base together with the store version it was read at.
public struct VersionedKnowledgeBase: Sendable, Equatable {
    public var version: Int
    public var knowledgeBase: KnowledgeBase

    public init(version: Int, knowledgeBase: KnowledgeBase) {
        self.version = version
        self.knowledgeBase = knowledgeBase
    }
}
