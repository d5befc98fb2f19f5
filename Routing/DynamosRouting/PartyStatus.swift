/// What the control plane knows about a party right now: whether its agent answers, and how loaded it is.
///
/// Load is a fraction (0...1) of CPU and memory; selection compares it with the party's `loadThresholds`.
public struct PartyStatus: Sendable, Codable, Equatable {
    public var online: Bool
    public var cpu: Double
    public var memory: Double

    public init(online: Bool = true, cpu: Double = 0, memory: Double = 0) {
        self.online = online
        self.cpu = cpu
        self.memory = memory
    }

    /// A party the control plane has no news of counts as online and idle.
    public static let unknown = PartyStatus()
}
