/// The one definition of Dynamos queue names: the router writes them into routes, the bus declares them, agents,
/// workers and operators' tools address them. A contract module of its own, so the router need not depend on the
/// bus nor the bus on the router.
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
