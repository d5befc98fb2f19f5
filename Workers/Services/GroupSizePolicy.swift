public import DynamosStewardConfig

/// Which k applies where: a party's own for its own data, and the largest of the stewards' whose data a result
/// holds when a third party computes or merges.
///
/// A steward computes over its own tables only, so its own k applies. A compute provider's table comes from its
/// aggregate, which names each row's provider; without that column it could hold any steward's data, so the
/// largest k of all stewards applies.
public struct GroupSizePolicy: Sendable, Equatable {
    /// This party's k, 1 when it sets none.
    public let own: Int
    /// Each steward's k.
    public let stewards: [String: Int]

    public init(party: String, parties: [StewardSettings]) {
        own = parties.first { $0.name == party }?.minimumGroupSize ?? 1
        stewards = Dictionary(
            parties.filter { $0.kind == .steward }.map { ($0.name, $0.minimumGroupSize ?? 1) },
            uniquingKeysWith: max)
    }

    /// The k for a result built from `providers`' data here (an unknown provider counts as the strictest).
    public func minimumGroupSize(providers: some Sequence<String>) -> Int {
        let strictest = stewards.values.max() ?? 1
        return providers.reduce(own) { k, provider in max(k, stewards[provider] ?? strictest) }
    }

    /// The k when which stewards' data a result holds is not known: the largest of all.
    public var strictest: Int { max(own, stewards.values.max() ?? 1) }
}
