/// A way of placing a request's services over the parties, as in the DYNAMOS thesis.
///
/// `computeProvider` says who computes: the data provider itself (`computeToData`) or another party
/// (`dataThroughTtp`). Lower `weight` is preferred. `impliedServices` are added to every chain of the archetype
/// (`dataThroughTtp` implies `aggregate`, which combines the stewards' parts at the third party).
public struct Archetype: Sendable, Codable, Equatable {
    /// Who runs the `computeProvider` services.
    public enum ComputeProvider: String, Sendable, Codable {
        case dataProvider
        case other
    }

    public var name: String
    public var computeProvider: ComputeProvider
    public var resultRecipient: String
    public var weight: Int
    public var impliedServices: [String]

    public init(
        name: String, computeProvider: ComputeProvider, resultRecipient: String = "requestor", weight: Int,
        impliedServices: [String] = []
    ) {
        self.name = name
        self.computeProvider = computeProvider
        self.resultRecipient = resultRecipient
        self.weight = weight
        self.impliedServices = impliedServices
    }

    /// The role a steward plays under this archetype.
    public var stewardRole: PartyRole { computeProvider == .dataProvider ? .all : .dataProvider }

    private enum CodingKeys: String, CodingKey {
        case name, computeProvider, resultRecipient, weight, impliedServices
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        computeProvider = try container.decode(ComputeProvider.self, forKey: .computeProvider)
        resultRecipient = try container.decodeIfPresent(String.self, forKey: .resultRecipient) ?? "requestor"
        weight = try container.decode(Int.self, forKey: .weight)
        impliedServices = try container.decodeIfPresent([String].self, forKey: .impliedServices) ?? []
    }
}
