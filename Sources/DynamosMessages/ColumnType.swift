/// The type of a column's values, so code can branch on a column without unpacking its values.
///
/// It mirrors `Dynamos_ColumnType` on the wire; `null` is a column whose every row is null.
public enum ColumnType: String, Sendable, Hashable, CaseIterable {
    case integer
    case real
    case text
    case blob
    case null

    /// The wire form of this type.
    public var proto: Dynamos_ColumnType {
        switch self {
        case .integer: .integer
        case .real: .real
        case .text: .text
        case .blob: .blob
        case .null: .null
        }
    }
}
