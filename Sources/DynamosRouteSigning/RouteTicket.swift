/// A party's permission for another party's route of one request to end at one of its queues.
///
/// In `dataThroughTtp` the compute provider issues a ticket for its `aggregate` queue, signed with its own key; a
/// steward signs a route that leaves it only with such a ticket, and the receiving worker checks the ticket again.
/// `expectedParts` tells the aggregating service how many parts to wait for.
public struct RouteTicket: Sendable, Codable, Equatable {
    public var jobID: String
    public var requestID: String
    /// The party that issued the ticket and owns ``queue``.
    public var party: String
    public var queue: String
    public var expectedParts: Int
    /// Seconds since the Unix epoch after which the ticket no longer counts.
    public var expiresAt: Int64
    public var keyID: String
    /// The issuing party's Ed25519 signature (64 bytes).
    public var signature: [UInt8]

    public init(
        jobID: String, requestID: String, party: String, queue: String, expectedParts: Int, expiresAt: Int64,
        keyID: String, signature: [UInt8]
    ) {
        self.jobID = jobID
        self.requestID = requestID
        self.party = party
        self.queue = queue
        self.expectedParts = expectedParts
        self.expiresAt = expiresAt
        self.keyID = keyID
        self.signature = signature
    }
}
