import Crypto
import DynamosAggregateWorker
import DynamosAnonymizeWorker
public import DynamosBus
import DynamosQueryEngine
public import DynamosRouteSigning
public import DynamosRuntime
import DynamosStewardConfig
import Foundation
public import Logging

/// A service ready to run: a one-in-one-out handler or a combiner of parts.
public enum ServiceImplementation: Sendable {
    case handler(any ServiceHandler)
    case combiner(any PartCombiner)
}

/// Makes any Dynamos service by name, configured from a ``ServiceEnvironment``: what `dynamos worker`, the local
/// ensemble and the tests use, so all of them run the same code.
public enum ServiceCatalog {
    /// Every service a worker can run.
    public static let names = ["query", "anonymize", "algorithm", "aggregate", "graph", "relay"]

    /// The environment variable prefix of a steward's masking key (base64, at least 32 bytes).
    public static let maskKeyPrefix = "DYNAMOS_MASK_KEY_"

    /// Messages a worker of `service` takes at once by default: the aggregate holds parts until their request is
    /// complete, so it needs room for many.
    public static func defaultPrefetch(_ service: String) -> UInt16 { service == "aggregate" ? 256 : 8 }

    /// Builds `service` for `environment`, loading what it needs first (the query service loads its datasets).
    /// - Throws: ``WorkerError`` `.unknownService`, or `.invalidConfiguration` saying what to fix.
    public static func make(
        _ service: String, in environment: ServiceEnvironment, logger: Logger
    ) async throws(WorkerError) -> ServiceImplementation {
        switch service {
        case "query":
            return .handler(try await query(environment, logger: logger))
        case "anonymize":
            // Where the steward anonymizes at the source, the query already saw only anonymized tables.
            return .handler(
                AnonymizeService(
                    anonymizer: try anonymizer(environment, logger: logger),
                    appliedAtSource: environment.anonymizesAtSource))
        case "algorithm":
            return .handler(
                AlgorithmService(
                    sentinels: environment.sentinels, groupSizes: environment.groupSizes,
                    holdsOwnData: environment.settings?.kind != .thirdParty))
        case "aggregate":
            return .combiner(AggregateService(groupSizes: environment.groupSizes))
        case "graph":
            return .handler(GraphService())
        case "relay":
            let delay = Int(environment.variables["DYNAMOS_RELAY_DELAY_MS"] ?? "") ?? 0
            return .handler(RelayHandler(delay: .milliseconds(max(0, delay))))
        default:
            throw WorkerError(
                .unknownService, "no service '\(service)'; available: \(names.joined(separator: ", "))")
        }
    }

    /// The worker runtime for an implementation.
    public static func runtime(
        _ implementation: ServiceImplementation, configuration: WorkerConfiguration, broker: any Broker,
        keyring: RouteKeyring, partySecret: PartySecret? = nil,
        reporter: any WorkerStatusReporter = SilentStatusReporter(), logger: Logger
    ) -> WorkerRuntime {
        switch implementation {
        case .handler(let handler):
            WorkerRuntime(
                configuration: configuration, broker: broker, handler: handler, keyring: keyring,
                partySecret: partySecret, reporter: reporter, logger: logger)
        case .combiner(let combiner):
            WorkerRuntime(
                configuration: configuration, broker: broker, combiner: combiner, keyring: keyring,
                partySecret: partySecret, reporter: reporter, logger: logger)
        }
    }

    private static func query(_ environment: ServiceEnvironment, logger: Logger) async throws(WorkerError)
        -> QueryService
    {
        let delimiters = Set(environment.ownDatasets.map(\.delimiter))
        guard delimiters.count <= 1 else {
            throw WorkerError(
                .invalidConfiguration,
                "\(environment.party)'s datasets use different delimiters \(delimiters.sorted()); one engine reads "
                    + "one delimiter, so make them agree in datasets.json")
        }
        let delimiter = delimiters.first ?? ";"
        guard let separator = delimiter.unicodeScalars.first, delimiter.unicodeScalars.count == 1,
            separator.isASCII, separator != "\""
        else {
            throw WorkerError(
                .invalidConfiguration, "delimiter '\(delimiter)' must be one ASCII character other than a quote")
        }
        var indexes: [String: [String]] = [:]
        for dataset in environment.ownDatasets {
            for table in dataset.tables { indexes[table.name, default: []] += table.indexes }
        }
        let engine = QueryEngine(
            datasetDirectory: environment.dataDirectory, databaseDirectory: environment.databaseDirectory,
            separator: separator, indexes: indexes, cacheDirectory: environment.databaseCache,
            source: environment.anonymizesAtSource ? try sourceAnonymization(environment, logger: logger) : nil)
        let service = QueryService(engine: engine, limits: QueryLimits(budget: environment.settings?.queryBudget))
        do {
            try await service.preload(party: environment.party)
        } catch {
            throw WorkerError(.invalidConfiguration, "\(environment.party)'s datasets cannot be loaded", cause: error)
        }
        logger.info("datasets loaded", metadata: ["party": "\(environment.party)"])
        return service
    }

    private static func anonymizer(_ environment: ServiceEnvironment, logger: Logger) throws(WorkerError)
        -> Anonymizer
    {
        let own = environment.ownDatasets
        if own.isEmpty {
            logger.warning(
                "no dataset of this party is configured; anonymize passes every column unchanged",
                metadata: ["party": "\(environment.party)"])
        }
        let merged = Dataset(
            name: "all", steward: environment.party, delimiter: own.first?.delimiter ?? ";",
            tables: own.flatMap(\.tables), sentinels: environment.sentinels)
        let policy: AnonymizationPolicy
        do {
            policy = try AnonymizationPolicy(dataset: merged)
        } catch {
            throw WorkerError(.invalidConfiguration, error.explanation)
        }
        return Anonymizer(policy: policy, maskKey: try maskKey(environment))
    }

    /// The steward's enforced anonymization as a transform of its tables at import, named by its rules and key.
    private static func sourceAnonymization(
        _ environment: ServiceEnvironment, logger: Logger
    ) throws(WorkerError) -> SourceTransform {
        let anonymizer = try anonymizer(environment, logger: logger)
        let rules = anonymizer.policy.rules.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let sentinels = anonymizer.policy.sentinels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.sorted())" }
        let keyID = SHA256.hash(data: Data("dynamos.source.key".utf8) + Data(try maskKey(environment)))
        let identity = SHA256.hash(data: Data((rules + sentinels).joined(separator: ";").utf8) + Data(keyID))
            .map { String(format: "%02x", $0) }.joined()
        logger.info("anonymizing at the source", metadata: ["party": "\(environment.party)", "rules": "\(rules)"])
        return SourceTransform(identity: "anonymized-\(identity.prefix(24))") { table, data in
            try anonymizer.anonymize(data, seed: "source:\(table)")
        }
    }

    /// `DYNAMOS_MASK_KEY_<PARTY>`; without it a dataset that hashes a column fails with a clear error at that column.
    private static func maskKey(_ environment: ServiceEnvironment) throws(WorkerError) -> [UInt8] {
        if let configured = environment.variables[maskKeyPrefix + environment.party] {
            guard let bytes = Data(base64Encoded: configured), bytes.count >= 32 else {
                throw WorkerError(
                    .invalidConfiguration,
                    "\(maskKeyPrefix)\(environment.party) must be base64 of at least 32 bytes "
                        + "(openssl rand -base64 32)")
            }
            return Array(bytes)
        }
        return []
    }
}
