import DynamosControl
import DynamosControlBus
import DynamosKnowledge
import DynamosQueues

extension Orchestrator {
    /// Handles one message from the orchestrator's inbox: heartbeats feed the registry (a new or returning agent
    /// gets the current config), receipts settle approvals. Each counts only when the party it names sent it: a
    /// heartbeat another party forged would move the endpoint approvals hand to analysts.
    func receive(_ message: ControlMessage, from sender: ControlSender) async -> ControlDisposition {
        switch message {
        case .heartbeat(let heartbeat):
            guard sender.isParty(heartbeat.party) else {
                return .refused("a heartbeat for \(heartbeat.party) sent by \(sender); only \(heartbeat.party)'s agent may send it")
            }
            guard heartbeat.inbox == QueueNames.agent(party: heartbeat.party) else {
                return .refused("a heartbeat of \(heartbeat.party) names inbox \(heartbeat.inbox), not \(QueueNames.agent(party: heartbeat.party))")
            }
            let arrived = await registry.record(heartbeat)
            if arrived {
                logger.info("agent online", metadata: ["party": "\(heartbeat.party)", "endpoint": "\(heartbeat.endpoint)"])
            }
            if !heartbeat.stopping, let snapshot = try? await snapshot(),
                arrived || heartbeat.configVersion < snapshot.version
            {
                await pushConfig(snapshot, to: [heartbeat.party])
            }
            if heartbeat.stopping {
                logger.info("agent stopping", metadata: ["party": "\(heartbeat.party)"])
            }
        case .compositionAccepted(let receipt):
            guard sender.isParty(receipt.party) else {
                return .refused("a receipt for \(receipt.party) sent by \(sender); only \(receipt.party)'s agent may send it")
            }
            await receipts.receive(receipt)
        case .composition, .configChanged, .jobRevoked, .forwardedRequest, .signed:
            return .refused("a \(message.kind.rawValue) message is meant for agents, not the orchestrator")
        }
        return .handled
    }
}
