public import DynamosKnowledge
public import DynamosRouting

/// The knowledge base an agent plans with: the seed it started from, replaced by every newer orchestrator push.
public actor ConfigHolder {
    public private(set) var current: VersionedKnowledgeBase

    public init(_ initial: VersionedKnowledgeBase) {
        current = initial
    }

    /// Takes `snapshot` when it is newer. - Returns: whether it was taken.
    @discardableResult
    public func offer(_ snapshot: VersionedKnowledgeBase) -> Bool {
        guard snapshot.version > current.version else { return false }
        current = snapshot
        return true
    }
}
