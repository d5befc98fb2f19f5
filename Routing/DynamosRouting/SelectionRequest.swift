/// What an analyst asks for, as far as archetype selection cares: who, what, from which stewards, with which options.
public struct SelectionRequest: Sendable, Codable, Equatable {
    public var user: String
    public var requestType: String
    public var providers: [String]
    public var options: Set<String>
    public var dataSets: [String]

    public init(user: String, requestType: String, providers: [String], options: Set<String> = [],
        dataSets: [String] = [])
    {
        self.user = user
        self.requestType = requestType
        self.providers = providers
        self.options = options
        self.dataSets = dataSets
    }
}
