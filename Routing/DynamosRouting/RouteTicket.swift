/// A party's permission for another party's route to end at one of its queues, for one job.
///
/// In `dataThroughTtp` the compute provider issues a ticket for its `aggregate` queue; a steward signs a route
/// that leaves it only with such a ticket, and the receiver checks it again. `expectedParts` tells the
/// aggregating service how many parts to wait for.
public struct RouteTicket: Sendable, Codable, Equatable {
    public var jobID: String
    public var party: String
    public var queue: String
    public var expectedParts: Int
    public var keyID: String
    public var tag: [UInt8]

    public init(jobID: String, party: String, queue: String, expectedParts: Int, keyID: String, tag: [UInt8]) {
        self.jobID = jobID
        self.party = party
        self.queue = queue
        self.expectedParts = expectedParts
        self.keyID = keyID
        self.tag = tag
    }
}
