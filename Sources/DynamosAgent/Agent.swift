public import DynamosBus
public import DynamosKnowledge
import DynamosMessages
import DynamosControl
import DynamosDeadLetters
import DynamosControlBus
import DynamosQueues
public import DynamosRouteSigning
public import DynamosRouting
public import DynamosSupervisor
public import DynamosTokens
import Foundation
public import Logging
import Synchronization

/// One party's agent, without HTTP: runs data requests for approved jobs, keeps the job registry, follows the
/// orchestrator's compositions, config pushes and revocations, and forwards requests as a third party.
///
/// `AgentHTTP` puts routes in front of it; `AgentInboxService`, `AgentResultsService`, `AgentHeartbeatService`
/// and `AgentSweepService` run its bus and timer work.
public final class Agent: Sendable {
    public let settings: AgentSettings
    public let registry: JobRegistry
    public let config: ConfigHolder
    public let correlator = ResultCorrelator()
    let control: ControlBus
    let broker: any Broker
    let signer: RouteSigner
    let verifier: TokenVerifier
    let workers: any WorkerProvisioner
    let logger: Logger
    private let inFlight = Atomic<Int>(0)
    /// Results that reached the results queue when nobody waited for them: duplicates, or late after a timeout.
    private let unmatched = Atomic<Int>(0)
    /// Results that could not be acknowledged or dead-lettered (the broker redelivers them).
    private let unsettled = Atomic<Int>(0)
    let serving = ServingGate()
    /// Requests in flight per user and ephemeral runs at once, against this party's limits.
    let admission = AdmissionControl()
    /// The operator's tools for this party's dead-letter queue.
    let deadLetters: DeadLetterDesk

    public init(
        settings: AgentSettings, broker: any Broker, signingKey: RouteSigningKey, keyring: RouteKeyring,
        partySecret: PartySecret? = nil, verifier: TokenVerifier,
        registry: JobRegistry, config: VersionedKnowledgeBase, workers: any WorkerProvisioner, logger: Logger
    ) {
        self.settings = settings
        self.broker = broker
        self.control = ControlBus(broker: broker, logger: logger)
        self.signer = RouteSigner(key: signingKey, keyring: keyring, partySecret: partySecret)
        self.verifier = verifier
        self.registry = registry
        self.config = ConfigHolder(config)
        self.workers = workers
        self.logger = logger
        self.deadLetters = DeadLetterDesk(broker: broker, party: settings.party)
    }

    public var party: String { settings.party }

    /// The base URL this agent is reached at: `publicURL`, or the address the HTTP server bound.
    public var endpoint: String {
        settings.publicURL ?? serving.url ?? "http://\(settings.host):\(settings.port)"
    }

    /// Records the address the HTTP server bound (port 0 picks one), `http` or `https`.
    public func serverBound(scheme: String = "http", host: String, port: Int) {
        serving.open("\(scheme)://\(host):\(port)")
    }

    /// Counts a result nobody waited for.
    func resultUnmatched() {
        unmatched.add(1, ordering: .relaxed)
    }

    /// Acknowledges a result (`deadLetter` nil) or dead-letters it with that reason; a failure is logged and
    /// counted, never the end of the results service (the broker redelivers the message).
    func settle(_ delivery: Delivery, deadLetter reason: String?) async {
        do {
            if let reason {
                try await broker.deadLetter(
                    delivery, reason: reason, to: QueueNames.dead(party: party), exchange: DynamosTopology.exchangeName)
            } else {
                try await delivery.ack()
            }
        } catch {
            unsettled.add(1, ordering: .relaxed)
            logger.error("a result could not be settled; the broker redelivers it", metadata: ["error": "\(error)"])
        }
    }

    /// The agent's own metrics in Prometheus text: `dynamos_results_unmatched_total`, and the results and control
    /// messages that could not be settled (`dynamos_settle_failures_total`).
    public func metricsExposition() -> String {
        "# HELP dynamos_results_unmatched_total Results nobody waited for (duplicates, or late after a timeout)\n"
            + "# TYPE dynamos_results_unmatched_total counter\n"
            + "dynamos_results_unmatched_total{party=\"\(party)\"} \(unmatched.load(ordering: .relaxed))\n"
            + "# HELP dynamos_settle_failures_total Messages that could not be acknowledged or dead-lettered\n"
            + "# TYPE dynamos_settle_failures_total counter\n"
            + "dynamos_settle_failures_total{party=\"\(party)\",queue=\"results\"} \(unsettled.load(ordering: .relaxed))\n"
            + "dynamos_settle_failures_total{party=\"\(party)\",queue=\"agent\"} "
            + "\(control.settleFailures.count.load(ordering: .relaxed))\n"
    }

    /// How many data requests are being served now.
    public var requestsInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// Declares the agent's inbox and results queues (and its dead-letter queue).
    public func declareQueues() async throws(AMQPError) {
        try await DynamosTopology.declare(
            [QueueNames.agent(party: party), QueueNames.results(party: party)], party: party, on: broker)
    }

    func tracked<T>(_ body: () async throws(ControlError) -> T) async throws(ControlError) -> T {
        inFlight.add(1, ordering: .relaxed)
        defer { inFlight.subtract(1, ordering: .relaxed) }
        return try await body()
    }
}

extension Agent {
    /// Why a message on this party's results queue is not a result to trust, or nil when it is: its route must be
    /// one this party signed (every chain this agent starts is), unaltered.
    func checkResult(_ result: Dynamos_MicroserviceCommunication) -> String? {
        let route = result.signedRoute
        guard route.issuer == party else {
            return "a result whose route \(route.issuer.isEmpty ? "nobody" : route.issuer) signed, not \(party)"
        }
        do {
            try signer.verifier.verify(route, requestDigest: result.requestDigest, tickets: result.tickets)
        } catch {
            return "a result with a route that does not verify: \(error.explanation)"
        }
        return nil
    }
}
