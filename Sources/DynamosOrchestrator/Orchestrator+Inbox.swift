import DynamosControl
import DynamosRouting

extension Orchestrator {
    /// Handles one message from the orchestrator's inbox: heartbeats feed the registry (a new or returning agent
    /// gets the current config), receipts settle approvals.
    func receive(_ message: ControlMessage) async {
        switch message {
        case .heartbeat(let heartbeat):
            let arrived = await registry.record(heartbeat)
            if arrived {
                logger.info("agent online", metadata: ["party": "\(heartbeat.party)", "endpoint": "\(heartbeat.endpoint)"])
            }
            if !heartbeat.stopping, let snapshot = try? snapshot(),
                arrived || heartbeat.configVersion < snapshot.version
            {
                await pushConfig(snapshot, to: [heartbeat.party])
            }
            if heartbeat.stopping {
                logger.info("agent stopping", metadata: ["party": "\(heartbeat.party)"])
            }
        case .compositionAccepted(let receipt):
            await receipts.receive(receipt)
        case .composition, .configChanged, .jobRevoked, .forwardedRequest, .signed:
            logger.warning("ignoring a control message meant for agents", metadata: ["kind": "\(message.kind)"])
        }
    }
}
