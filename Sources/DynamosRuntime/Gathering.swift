import DynamosBus

/// One request being gathered by a ``PartGatherer``: its manifest and parts so far, all unacknowledged.
struct Gathering: Sendable {
    /// Identifies a request across parties: parts and manifest share job and request id.
    struct Key: Hashable, Sendable, CustomStringConvertible {
        let jobID: String
        let requestID: String
        var description: String { "\(jobID)/\(requestID)" }
    }

    /// The manifest, once it arrived, and the providers it names.
    var manifest: AdmittedMessage?
    var providers: [String] = []
    /// At most one part per provider; a redelivered copy replaces the one held.
    var parts: [String: AdmittedMessage] = [:]
    /// When the first message of the request arrived (microseconds since the Unix epoch).
    let firstArrival: Int64
    /// The worker's start-up when any message of the request waited for it, else 0: the hop's cold start.
    var coldStartMicros: Int64 = 0
    /// Set when a part was refused for the gatherer's byte budget: the request fails with it once the manifest is here.
    var budgetFailure: String?
    /// Fires ``PartGatherer`` expiry; cancelled when the request completes.
    var timer: Task<Void, Never>?

    init(firstArrival: Int64) {
        self.firstArrival = firstArrival
    }

    /// Every delivery held for this request.
    var deliveries: [Delivery] { ([manifest].compactMap { $0 } + sortedParts).map(\.delivery) }

    /// The bytes of every message held for this request.
    var bytes: Int {
        parts.values.reduce(manifest?.delivery.body.count ?? 0) { $0 + $1.delivery.body.count }
    }

    /// The parts in provider-name order.
    var sortedParts: [AdmittedMessage] { parts.values.sorted { $0.route.issuer < $1.route.issuer } }

    /// Providers named by the manifest that have not sent their part yet.
    var missing: [String] { providers.filter { parts[$0] == nil } }

    /// Parts from parties the manifest does not name.
    var strangers: [String] { manifest == nil ? [] : parts.keys.filter { !providers.contains($0) }.sorted() }

    /// The first part that is an error result, if any: the request then fails at once.
    var failedPart: AdmittedMessage? {
        sortedParts.first { $0.message.hasError }
    }

    /// Whether the manifest and a part of every named provider are here.
    var isComplete: Bool { manifest != nil && missing.isEmpty }
}
