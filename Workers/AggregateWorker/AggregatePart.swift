public import DynamosMessages

/// One provider's contribution to an aggregate: the table its algorithm or query worker sent.
///
/// The provider name is kept so merged row data can say where each row came from and errors can name the
/// provider whose table does not fit.
public struct AggregatePart: Sendable, Equatable {
    /// The provider (data steward) that produced the table, e.g. `UVA`.
    public var provider: String
    /// The table: row data, or a grouped algorithm result computed with `partial: true`.
    public var table: DataTable

    /// A part from a provider name and its table.
    public init(provider: String, table: DataTable) {
        self.provider = provider
        self.table = table
    }
}
