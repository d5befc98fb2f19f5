public import DynamosControl
public import DynamosKnowledge
public import DynamosRouting
public import Foundation

/// The agents the orchestrator knows: who they are, where they listen, how loaded, and whether they are online.
///
/// An agent is online while its heartbeats keep arriving: one missed for longer than `offlineAfter` (three
/// heartbeat intervals by default) marks it offline, and so does the `stopping` heartbeat of a clean shutdown.
public actor AgentRegistry {
    /// What `GET /api/v1/agents` shows for one agent.
    public struct Entry: Sendable, Codable, Equatable {
        public var party: String
        public var inbox: String
        public var endpoint: String
        public var online: Bool
        public var cpu: Double
        public var memory: Double
        public var activeJobs: Int
        public var requestsInFlight: Int
        public var configVersion: Int
        /// Seconds since the last heartbeat.
        public var lastSeenSeconds: Double
    }

    private struct Sighting {
        var heartbeat: AgentHeartbeat
        var at: ContinuousClock.Instant
    }

    private var sightings: [String: Sighting] = [:]
    public let offlineAfter: Duration

    public init(offlineAfter: Duration = .seconds(3)) {
        self.offlineAfter = offlineAfter
    }

    /// Records a heartbeat; one sent longer than `offlineAfter` ago (it waited in the queue) is ignored.
    /// - Returns: true when the agent is new or was offline, so it should get the current config.
    @discardableResult
    public func record(
        _ heartbeat: AgentHeartbeat, at now: ContinuousClock.Instant = .now, wallClock: Date = Date()
    ) -> Bool {
        let age = wallClock.timeIntervalSince1970 - Double(heartbeat.sentUnixMicros) / 1_000_000
        guard age <= Double(offlineAfter.components.seconds) + 1 else { return false }
        let wasOnline = isOnline(heartbeat.party, now: now)
        sightings[heartbeat.party] = Sighting(heartbeat: heartbeat, at: now)
        return !wasOnline && !heartbeat.stopping
    }

    /// Whether `party`'s agent has sent a heartbeat recently and is not stopping.
    public func isOnline(_ party: String, now: ContinuousClock.Instant = .now) -> Bool {
        guard let sighting = sightings[party] else { return false }
        return !sighting.heartbeat.stopping && sighting.at.duration(to: now) <= offlineAfter
    }

    /// The base URL of `party`'s agent, if it has ever announced itself.
    public func endpoint(of party: String) -> String? { sightings[party]?.heartbeat.endpoint }

    /// Every one of `parties` with its liveness and load; parties never heard from are offline.
    public func status(of parties: [String], now: ContinuousClock.Instant = .now) -> [String: PartyStatus] {
        var status: [String: PartyStatus] = [:]
        for party in parties {
            let heartbeat = sightings[party]?.heartbeat
            status[party] = PartyStatus(
                online: isOnline(party, now: now), cpu: heartbeat?.cpu ?? 0, memory: heartbeat?.memory ?? 0)
        }
        return status
    }

    /// The parties whose agents are online now.
    public func onlineParties(now: ContinuousClock.Instant = .now) -> [String] {
        sightings.keys.filter { isOnline($0, now: now) }.sorted()
    }

    /// Every agent ever heard from, by party.
    public func entries(now: ContinuousClock.Instant = .now) -> [Entry] {
        sightings.keys.sorted().map { party in
            let sighting = sightings[party]!
            let heartbeat = sighting.heartbeat
            let age = sighting.at.duration(to: now)
            return Entry(
                party: party, inbox: heartbeat.inbox, endpoint: heartbeat.endpoint,
                online: isOnline(party, now: now), cpu: heartbeat.cpu, memory: heartbeat.memory,
                activeJobs: heartbeat.activeJobs, requestsInFlight: heartbeat.requestsInFlight,
                configVersion: heartbeat.configVersion,
                lastSeenSeconds: Double(age.components.seconds) + Double(age.components.attoseconds) / 1e18)
        }
    }
}
