import DequeModule

/// The keys of the most recently finished requests, up to a capacity, so late or duplicate parts are recognised
/// without keeping every request ever seen.
struct RecentKeys<Key: Hashable & Sendable>: Sendable {
    private var order: Deque<Key> = []
    private var members: Set<Key> = []
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
    }

    func contains(_ key: Key) -> Bool { members.contains(key) }

    mutating func insert(_ key: Key) {
        guard members.insert(key).inserted else { return }
        order.append(key)
        if order.count > capacity, let oldest = order.popFirst() {
            members.remove(oldest)
        }
    }
}
