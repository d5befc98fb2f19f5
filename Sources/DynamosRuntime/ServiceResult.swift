public import DynamosMessages
import Foundation

/// What a ``ServiceHandler`` produces for one request: the table the next hop receives and, for services whose
/// result is not only a table (the graph worker's PNG and SVG), named binary attachments that travel beside it.
public struct ServiceResult: Sendable, Equatable {
    /// Result groups the service left out because a party's k was not reached: how many, and the k.
    public struct SuppressedGroups: Sendable, Equatable {
        public var groups: Int
        public var minimumGroupSize: Int

        public init(groups: Int, minimumGroupSize: Int) {
            self.groups = groups
            self.minimumGroupSize = minimumGroupSize
        }
    }

    /// Becomes the outgoing message's `data`.
    public var table: DataTable
    /// Added to the outgoing message's `attachments`, replacing entries of the same name.
    public var attachments: [String: [UInt8]]
    /// Recorded in the outgoing message's `suppressions` under this worker's party and service, when any.
    public var suppressed: SuppressedGroups?

    public init(table: DataTable, attachments: [String: [UInt8]] = [:], suppressed: SuppressedGroups? = nil) {
        self.table = table
        self.attachments = attachments
        self.suppressed = suppressed
    }
}

extension Dynamos_MicroserviceCommunication {
    /// Takes `result`'s table, attachments and suppressed groups (recorded as `party`'s `service`) as its own.
    mutating func take(_ result: ServiceResult, party: String, service: String) {
        data = result.table.proto
        attachments.merge(result.attachments.mapValues { Data($0) }) { _, new in new }
        guard let suppressed = result.suppressed, suppressed.groups > 0 else { return }
        suppressions.append(
            .with {
                $0.party = party
                $0.service = service
                $0.groups = Int64(suppressed.groups)
                $0.minimumGroupSize = Int64(suppressed.minimumGroupSize)
            })
    }
}
