/// The analyst a request is for, in the thesis shape `{"id", "userName"}`; agreements name users by `userName`.
public struct AnalystUser: Sendable, Codable, Equatable {
    public var id: String
    public var userName: String

    public init(id: String, userName: String) {
        self.id = id
        self.userName = userName
    }

    /// A body that named no user: the authenticated one fills it in.
    public static let unnamed = AnalystUser(id: "", userName: "")

    /// `self` checked against the authenticated user `name`: the body's id is kept, the name is the caller's.
    /// - Throws: `ControlError` `.forbidden` when the body names someone else.
    public func resolved(as name: String) throws(ControlError) -> AnalystUser {
        guard userName.isEmpty || userName == name else {
            throw ControlError(
                .forbidden, "the body names user '\(userName)' but you are authenticated as '\(name)'; leave 'user' "
                    + "out or name yourself")
        }
        return AnalystUser(id: id.isEmpty ? name : id, userName: name)
    }
}
