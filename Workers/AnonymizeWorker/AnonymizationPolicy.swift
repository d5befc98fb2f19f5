public import DynamosStewardConfig

/// The rules one anonymize request applies: column name to rule, plus the sentinel values left recognizable.
///
/// A steward writes rules per table in `datasets.json`, but a query result mixes tables (a join repeats and
/// renames nothing), so the policy is keyed by column name alone. Building it checks what the worker needs: usable
/// parameters, and one rule per column name.
public struct AnonymizationPolicy: Sendable, Equatable {
    /// Column name to rule; columns not listed pass unchanged.
    public let rules: [String: Dataset.AnonymizationRule]
    /// Column name to the integer values meaning "unknown", kept as they are by `generalize` and `perturb`.
    public let sentinels: [String: Set<Int64>]

    /// A policy of the given rules and sentinels.
    /// - Throws: `AnonymizeError` `.invalidParameter` when a rule's noise, band or year range is not positive.
    public init(
        rules: [String: Dataset.AnonymizationRule], sentinels: [String: [Int64]] = [:]
    ) throws(AnonymizeError) {
        for (column, rule) in rules.sorted(by: { $0.key < $1.key }) {
            if let problem = rule.parameterProblem {
                throw AnonymizeError(
                    .invalidParameter, "column '\(column)': \(problem); fix the rule in datasets.json")
            }
        }
        self.rules = rules
        self.sentinels = sentinels.mapValues { Set($0) }
    }

    /// The policy of a steward's dataset: the rules of all its tables merged, and its sentinels.
    /// - Throws: `AnonymizeError` `.conflictingRules` when two tables give one column name different rules,
    ///   `.invalidParameter` when a parameter is not positive.
    public init(dataset: Dataset) throws(AnonymizeError) {
        var merged: [String: Dataset.AnonymizationRule] = [:]
        var origin: [String: String] = [:]
        for table in dataset.tables {
            for (column, rule) in table.anonymization.sorted(by: { $0.key < $1.key }) {
                if let earlier = merged[column], earlier != rule {
                    throw AnonymizeError(
                        .conflictingRules,
                        "dataset '\(dataset.steward)/\(dataset.name)': column '\(column)' has rule \(earlier) in "
                            + "table '\(origin[column] ?? "")' but \(rule) in table '\(table.name)'; results are "
                            + "anonymized by column name, so give the column one rule in datasets.json")
                }
                merged[column] = rule
                origin[column] = origin[column] ?? table.name
            }
        }
        try self.init(rules: merged, sentinels: dataset.sentinels)
    }

    /// The rule for columns called `column`, or nil when they pass unchanged.
    public func rule(for column: String) -> Dataset.AnonymizationRule? {
        rules[column]
    }
}
