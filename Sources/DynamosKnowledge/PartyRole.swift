/// The part a party plays in one request; it decides which services of the chain the party runs.
///
/// `all` runs the whole chain (a steward in `computeToData`), `dataProvider` and `computeProvider` run only the
/// services with that label (stewards and the third party in `dataThroughTtp`).
public enum PartyRole: String, Sendable, Codable, CaseIterable {
    case all
    case dataProvider
    case computeProvider

    /// Whether a service with `label` runs at a party with this role.
    public func runs(_ label: ServiceLabel) -> Bool {
        switch self {
        case .all: true
        case .dataProvider: label == .dataProvider
        case .computeProvider: label == .computeProvider
        }
    }

    /// Decodes the raw value; an unknown one fails with a `DecodingError` that names it and the roles there are.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let value = try container.decode(String.self)
        guard let role = PartyRole(rawValue: value) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "unknown party role '\(value)'; use one of "
                    + Self.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self = role
    }
}

/// Where a microservice belongs: with the data (`dataProvider`) or with whoever computes (`computeProvider`).
public enum ServiceLabel: String, Sendable, Codable, CaseIterable {
    case dataProvider
    case computeProvider
}
