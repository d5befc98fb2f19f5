public import DynamosMessages

/// What a steward does to each of its tables before any analyst's SQL can see it: its enforced anonymization,
/// applied once per dataset version at import, so no alias, expression, function, subquery, join, union, window
/// or CTE can reach a raw value of a ruled column.
///
/// The import cache keys entries by ``identity`` too, so a changed rule or key is a new import, never a stale one.
public struct SourceTransform: Sendable {
    /// Names the transform and everything it depends on (rules, key), for the import cache.
    public let identity: String
    let apply: @Sendable (_ table: String, _ data: DataTable) throws -> DataTable

    public init(identity: String, apply: @escaping @Sendable (_ table: String, _ data: DataTable) throws -> DataTable) {
        self.identity = identity
        self.apply = apply
    }
}
