/// The queue names the router writes into routes; they match the bus layer's `DynamosTopology`.
///
/// Duplicated on purpose (four one-line functions): the router must not depend on the bus module.
public enum QueueNames {
    /// `dynamos.<party>.<service>`: the queue a party's workers of one service consume.
    public static func worker(party: String, service: String) -> String { "dynamos.\(party).\(service)" }

    /// `dynamos.<party>.results`: where results come back to a party's agent.
    public static func results(party: String) -> String { "dynamos.\(party).results" }

    /// `dynamos.<party>.agent`: an agent's inbox.
    public static func agent(party: String) -> String { "dynamos.\(party).agent" }

    /// `dynamos.<party>.dead`: the party's dead letters.
    public static func dead(party: String) -> String { "dynamos.\(party).dead" }
}
