public import DynamosStewardConfig
public import Foundation

/// Everything a worker process knows that its service may need: whose data, where it lives, the dataset
/// configuration and the party's secrets. ``ServiceCatalog`` builds a service from it.
public struct ServiceEnvironment: Sendable {
    /// The party the worker runs for.
    public var party: String
    /// Datasets as `dataDirectory/<party>/<table>.csv`.
    public var dataDirectory: URL
    /// Where the query service keeps its SQLite copies of the datasets.
    public var databaseDirectory: URL
    /// The dataset configuration (`datasets.json`): delimiters, anonymization rules, sentinel values.
    public var datasets: [Dataset]
    /// Process environment variables, for secrets such as `DYNAMOS_MASK_KEY_<PARTY>`.
    public var variables: [String: String]
    /// The party's settings (`stewards.json`), when the configuration has them: its query budget.
    public var settings: StewardSettings?
    /// Where the query service keeps imported databases between worker starts (shared by a party's workers).
    public var databaseCache: URL?
    /// Every party's settings (`stewards.json`): the k of the stewards whose data a third party computes over.
    public var parties: [StewardSettings]

    public init(
        party: String, dataDirectory: URL, databaseDirectory: URL, datasets: [Dataset],
        variables: [String: String] = [:], databaseCache: URL? = nil, settings: StewardSettings? = nil,
        parties: [StewardSettings] = []
    ) {
        self.settings = settings ?? parties.first { $0.name == party }
        self.parties = parties
        self.databaseCache = databaseCache
        self.party = party
        self.dataDirectory = dataDirectory
        self.databaseDirectory = databaseDirectory
        self.datasets = datasets
        self.variables = variables
    }

    /// Whether the party enforces anonymization (for any request type), and so anonymizes its tables at the source.
    public var anonymizesAtSource: Bool {
        settings?.enforcedServices.values.contains { $0.contains("anonymize") } ?? false
    }

    /// The k of this party and of every steward.
    public var groupSizes: GroupSizePolicy {
        GroupSizePolicy(party: party, parties: parties.isEmpty ? settings.map { [$0] } ?? [] : parties)
    }

    /// This party's datasets.
    public var ownDatasets: [Dataset] { datasets.filter { $0.steward == party } }

    /// Sentinel values per column across every configured dataset: a compute provider computes over other
    /// stewards' columns, so it honours their sentinels.
    public var sentinels: [String: [Int64]] {
        datasets.reduce(into: [:]) { merged, dataset in
            for (column, values) in dataset.sentinels {
                merged[column, default: []].append(contentsOf: values.filter { !(merged[column] ?? []).contains($0) })
            }
        }
    }
}
