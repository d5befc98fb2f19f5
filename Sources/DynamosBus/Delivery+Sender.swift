extension Delivery {
    /// The broker user that published this delivery, as RabbitMQ vouches for it: the bus stamps every publish with
    /// its connection's user and the broker refuses a publish whose `user_id` differs. Nil when the publisher set
    /// none, which a Dynamos process never does.
    public var sender: String? { properties.userID }

    /// Whether `party` published this delivery, by the convention that each party's broker user is named after the
    /// party, or a process that shares `ownUser`, the receiving connection's user: a fellow process of the same
    /// party, or, where a deployment gives every process one user, anyone (nobody can be told apart there).
    public func isSent(byParty party: String, orUser ownUser: String) -> Bool {
        guard let sender else { return false }
        return sender == party || sender == ownUser
    }

    /// Says who sent this delivery, for refusals: `user 'VU'` or `an unnamed sender`.
    public var senderDescription: String { sender.map { "user '\($0)'" } ?? "a sender that set no user_id" }
}
