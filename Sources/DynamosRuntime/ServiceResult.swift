public import DynamosMessages

/// What a ``ServiceHandler`` produces for one request: the table the next hop receives and, for services whose
/// result is not only a table (the graph worker's PNG and SVG), named binary attachments that travel beside it.
public struct ServiceResult: Sendable, Equatable {
    /// Becomes the outgoing message's `data`.
    public var table: DataTable
    /// Added to the outgoing message's `attachments`, replacing entries of the same name.
    public var attachments: [String: [UInt8]]

    public init(table: DataTable, attachments: [String: [UInt8]] = [:]) {
        self.table = table
        self.attachments = attachments
    }
}
