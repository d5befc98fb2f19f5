/// A steward's dataset: its tables, how they are delimited, and how each column is anonymized.
///
/// The `anonymize` service reads the rules and sentinels; the `query` service reads the files.
public struct Dataset: Sendable, Codable, Equatable {
    public var name: String
    public var steward: String
    public var delimiter: String
    public var tables: [Table]
    /// Column name to the integer values that mean "unknown" there (e.g. `Salschal` `99`), for every table.
    ///
    /// Analyses exclude them, and `anonymize` keeps them as they are under `generalize` and `perturb` so they
    /// can still be recognized afterwards. Optional in JSON; empty when omitted.
    public var sentinels: [String: [Int64]]

    /// One file of the dataset.
    public struct Table: Sendable, Codable, Equatable {
        public var name: String
        public var file: String
        /// Column name to rule; columns not listed pass unchanged.
        public var anonymization: [String: AnonymizationRule]
        /// Columns the query service indexes after loading the table (join keys such as `Unieknr`), so a join
        /// does not build a temporary index on every query. Optional in JSON; empty when omitted.
        public var indexes: [String]

        public init(
            name: String, file: String, anonymization: [String: AnonymizationRule] = [:], indexes: [String] = []
        ) {
            self.name = name
            self.file = file
            self.anonymization = anonymization
            self.indexes = indexes
        }

        private enum CodingKeys: String, CodingKey { case name, file, anonymization, indexes }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            file = try container.decode(String.self, forKey: .file)
            anonymization = try container.decodeIfPresent([String: AnonymizationRule].self, forKey: .anonymization) ?? [:]
            indexes = try container.decodeIfPresent([String].self, forKey: .indexes) ?? []
        }
    }

    public init(
        name: String, steward: String, delimiter: String = ";", tables: [Table], sentinels: [String: [Int64]] = [:]
    ) {
        self.name = name
        self.steward = steward
        self.delimiter = delimiter
        self.tables = tables
        self.sentinels = sentinels
    }

    private enum CodingKeys: String, CodingKey {
        case name, steward, delimiter, tables, sentinels
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        steward = try container.decode(String.self, forKey: .steward)
        delimiter = try container.decode(String.self, forKey: .delimiter)
        tables = try container.decode([Table].self, forKey: .tables)
        sentinels = try container.decodeIfPresent([String: [Int64]].self, forKey: .sentinels) ?? [:]
    }
}
