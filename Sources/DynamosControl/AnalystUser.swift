/// The analyst a request is for, in the thesis shape `{"id", "userName"}`; agreements name users by `userName`.
public struct AnalystUser: Sendable, Codable, Equatable {
    public var id: String
    public var userName: String

    public init(id: String, userName: String) {
        self.id = id
        self.userName = userName
    }
}
