import Foundation

extension ControlMessage {
    /// The message as the JSON bytes sent over the bus.
    public func encoded() throws(ControlError) -> [UInt8] {
        do {
            return Array(try JSONEncoder().encode(self))
        } catch {
            throw ControlError(.internalError, "a control message could not be encoded", cause: error)
        }
    }

    /// Reads a control message from bus bytes.
    /// - Throws: `ControlError` `.badRequest` naming what is wrong with the JSON.
    public static func decode(_ bytes: [UInt8]) throws(ControlError) -> ControlMessage {
        do {
            return try JSONDecoder().decode(ControlMessage.self, from: Data(bytes))
        } catch {
            throw ControlError(.badRequest, "not a control message", cause: error)
        }
    }
}
