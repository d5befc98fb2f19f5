/// A data steward (a university) of the UNL use case: its party name and the `Instcode` in its files.
public struct Steward: Sendable, Hashable {
    /// The party name, as used in queue names (`UVA`, `VU`, `RUG`, ...).
    public let name: String
    /// The institution code written in every row of the steward's tables.
    public let instcode: Int64

    /// A steward with the given party name and institution code.
    public init(name: String, instcode: Int64) {
        self.name = name
        self.instcode = instcode
    }

    /// The Dutch research universities, with fixed codes.
    public static let known: [Steward] = [
        Steward(name: "LEI", instcode: 1),
        Steward(name: "UU", instcode: 2),
        Steward(name: "RUG", instcode: 3),
        Steward(name: "EUR", instcode: 4),
        Steward(name: "UM", instcode: 5),
        Steward(name: "UVA", instcode: 6),
        Steward(name: "VU", instcode: 7),
        Steward(name: "RU", instcode: 8),
        Steward(name: "TUD", instcode: 9),
        Steward(name: "TUE", instcode: 10),
        Steward(name: "UT", instcode: 11),
        Steward(name: "WUR", instcode: 12),
        Steward(name: "TIU", instcode: 13),
        Steward(name: "OU", instcode: 14),
    ]

    /// The known steward with this party name, ignoring case.
    public static func named(_ name: String) -> Steward? {
        let wanted = name.uppercased()
        return known.first { $0.name == wanted }
    }
}
