public import DynamosControl
import Foundation

/// A party's dead-letter queue through its agent (`/agent/v1/dead-letters`), for operators and its steward admin.
extension OperatorClient {
    /// The first `limit` letters at `party` (agent at `agentURL`) and how many its queue holds.
    public func deadLetters(at party: String, agentURL: String, limit: Int = 100) async throws(ControlError) -> DeadLetterListing {
        try decode(await send(.GET, "\(agentURL)/agent/v1/dead-letters?limit=\(limit)", to: party))
    }

    /// One letter, without the values it carries.
    public func deadLetter(_ id: String, at party: String, agentURL: String) async throws(ControlError) -> DeadLetterDetail {
        let escaped = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id
        return try decode(await send(.GET, "\(agentURL)/agent/v1/dead-letters/\(escaped)", to: party))
    }

    /// Replays the selected letters to the queues they came from.
    public func replayDeadLetters(
        _ selection: DeadLetterSelection, at party: String, agentURL: String
    ) async throws(ControlError) -> DeadLetterOutcome {
        try decode(await send(.POST, "\(agentURL)/agent/v1/dead-letters/replay", to: party, json: selection))
    }

    /// Removes the selected letters for good.
    public func purgeDeadLetters(
        _ selection: DeadLetterSelection, at party: String, agentURL: String
    ) async throws(ControlError) -> DeadLetterOutcome {
        try decode(await send(.POST, "\(agentURL)/agent/v1/dead-letters/purge", to: party, json: selection))
    }

    private func decode<Value: Decodable>(_ body: Data) throws(ControlError) -> Value {
        do {
            return try JSONDecoder().decode(Value.self, from: body)
        } catch {
            throw ControlError(.unavailable, "the agent's answer was not a \(Value.self)", cause: error)
        }
    }
}
