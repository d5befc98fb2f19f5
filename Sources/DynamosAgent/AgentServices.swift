import DynamosBus
import DynamosControl
import DynamosControlBus
import DynamosKnowledge
import DynamosLifecycle
import DynamosMessages
import DynamosQueues
import Foundation
public import ServiceLifecycle

/// Serves the agent's inbox `dynamos.<party>.agent`: compositions, config pushes and revocations in order, forwarded
/// requests beside them (a forwarded request may wait for a worker to start; a revocation must not wait for it).
public struct AgentInboxService: Service {
    let agent: Agent

    public init(agent: Agent) {
        self.agent = agent
    }

    public func run() async throws {
        let agent = agent
        try await runUntilGracefulShutdown {
            try await agent.control.serve(
                QueueNames.agent(party: agent.party), deadLetterQueue: QueueNames.dead(party: agent.party),
                concurrently: { message in
                    if case .forwardedRequest = message { return true }
                    return false
                }
            ) { message, sender in
                await agent.receive(message, from: sender)
            }
        }
    }
}

/// Reads `dynamos.<party>.results` and hands each result to the request waiting for it.
///
/// Results are acknowledged once handed over. One that is undecodable, sent by another party's broker user, or whose
/// route this party did not sign, is dead-lettered with the reason; one nobody waits for (its
/// request timed out) is acknowledged and logged.
public struct AgentResultsService: Service {
    let agent: Agent

    public init(agent: Agent) {
        self.agent = agent
    }

    public func run() async throws {
        let agent = agent
        let queue = QueueNames.results(party: agent.party)
        let consumer = try await agent.broker.consume(queue: queue, prefetch: 64)
        try await runUntilGracefulShutdown {
            try await withTaskCancellationHandler {
                for try await delivery in consumer {
                    let result: Dynamos_MicroserviceCommunication
                    do {
                        result = try Dynamos_MicroserviceCommunication(serializedBytes: delivery.body)
                    } catch {
                        await agent.settle(delivery, deadLetter: "undecodable result: \(error)")
                        continue
                    }
                    if let refusal = delivery.isSent(byParty: agent.party, orUser: agent.broker.user)
                        ? agent.checkResult(result)
                        : "a result sent by \(delivery.senderDescription); only \(agent.party)'s own workers answer here"
                    {
                        await agent.settle(delivery, deadLetter: refusal)
                        continue
                    }
                    if await !agent.correlator.deliver(result) {
                        agent.resultUnmatched()
                        agent.logger.warning(
                            "a result nobody waits for was dropped",
                            metadata: ["request.id": "\(result.requestMetadata.requestID)"])
                    }
                    await agent.settle(delivery, deadLetter: nil)
                }
            } onCancel: {
                Task { try? await consumer.cancel() }
            }
        }
    }
}

/// Tells the orchestrator every heartbeat interval that this agent lives, where it listens and how loaded it is;
/// the last heartbeat, on graceful shutdown, says it is stopping.
public struct AgentHeartbeatService: Service {
    let agent: Agent
    let load = LoadProbe()

    public init(agent: Agent) {
        self.agent = agent
    }

    public func run() async throws {
        try await runUntilGracefulShutdown {
            if agent.settings.publicURL == nil, await agent.serving.wait() == nil { return }
            while !Task.isCancelled {
                await beat(stopping: false)
                try await Task.sleep(for: agent.settings.heartbeatInterval)
            }
        }
        await beat(stopping: true)
    }

    private func beat(stopping: Bool) async {
        let reading = load.read()
        let activeJobs = (try? await agent.registry.activeCount()) ?? 0
        let heartbeat = AgentHeartbeat(
            party: agent.party, inbox: QueueNames.agent(party: agent.party), endpoint: agent.endpoint,
            cpu: reading.cpu, memory: reading.memory, activeJobs: activeJobs,
            requestsInFlight: agent.requestsInFlight, configVersion: await agent.config.current.version,
            sentUnixMicros: Int64(Date().timeIntervalSince1970 * 1_000_000), stopping: stopping)
        do {
            try await agent.control.send(
                .heartbeat(heartbeat), to: ControlQueues.orchestrator, expiration: agent.settings.heartbeatInterval * 3)
        } catch {
            agent.logger.warning("heartbeat not delivered", metadata: ["error": "\(error)"])
        }
    }
}

/// Ends jobs whose lease lapsed, every sweep interval.
public struct AgentSweepService: Service {
    let agent: Agent

    public init(agent: Agent) {
        self.agent = agent
    }

    public func run() async throws {
        try await runUntilGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let ended = try await agent.registry.sweep()
                    if !ended.isEmpty {
                        agent.logger.info("job leases lapsed", metadata: ["jobs": "\(ended)"])
                    }
                } catch {
                    agent.logger.error("sweeping the job registry failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: agent.settings.sweepInterval)
            }
        }
    }
}
