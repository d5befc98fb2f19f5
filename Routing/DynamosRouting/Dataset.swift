/// A steward's dataset: its tables, how they are delimited, and how each column is anonymized.
///
/// The `anonymize` service reads the rules; the `query` service reads the files.
public struct Dataset: Sendable, Codable, Equatable {
    public var name: String
    public var steward: String
    public var delimiter: String
    public var tables: [Table]

    /// One file of the dataset.
    public struct Table: Sendable, Codable, Equatable {
        public var name: String
        public var file: String
        /// Column name to rule; columns not listed pass unchanged.
        public var anonymization: [String: AnonymizationRule]

        public init(name: String, file: String, anonymization: [String: AnonymizationRule] = [:]) {
            self.name = name
            self.file = file
            self.anonymization = anonymization
        }
    }

    /// How `anonymize` treats a column.
    public enum AnonymizationRule: String, Sendable, Codable {
        /// `YYYYMMDD` becomes `YYYY`.
        case generalizeToYear
        /// The value is replaced by null.
        case suppress
        /// The value is replaced by a salted hash, so joins still work.
        case pseudonymize
    }

    public init(name: String, steward: String, delimiter: String = ";", tables: [Table]) {
        self.name = name
        self.steward = steward
        self.delimiter = delimiter
        self.tables = tables
    }
}
