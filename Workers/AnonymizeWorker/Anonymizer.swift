public import DynamosMessages
import DynamosStewardConfig

/// Applies an `AnonymizationPolicy` to result tables: the pure logic of the `anonymize` worker, without the bus.
///
/// Rules apply to every column with their name (a join may repeat names); other columns pass unchanged, same
/// values and type. Null cells stay null. Work is column-wise on `ColumnValues`, one pass per ruled column.
/// What each rule does:
/// - `suppress`: the column becomes an all-null column.
/// - `generalize(.year)`: `YYYYMMDD` (integer, or text of an integer) becomes `YYYY`, keeping the column type.
/// - `generalize(.yearRange(n))`: the date becomes text `lo-hi` with `lo = year - year % n`, `hi = lo + n - 1`.
/// - `generalize(.band(w))`: an integer becomes text `lo-hi` with `lo = floor(v / w) * w`, `hi = lo + w - 1`,
///   e.g. 12 in bands of 5 is `10-14`, -3 is `-5--1`. Reals are refused (use `perturb`).
/// - `mask(.hash)`: HMAC-SHA256 under the mask key of the value's text form (so integer 42 and text "42" match),
///   as the first 16 lower-case hex digits (64 bits) of the MAC; equal in, equal out, so joins still work.
/// - `mask(.redact)`: every non-null value becomes the text `***`.
/// - `perturb(noise:)`: see `Anonymizer+Perturb.swift`; deterministic per `(seed, column name)`.
///
/// Sentinels (values meaning "unknown") are kept as they are by `generalize` and `perturb` (as their decimal text
/// when the rule produces text), so analyses can still exclude them; `suppress` and `mask` hide them like any value.
public struct Anonymizer: Sendable {
    /// The rules applied.
    public let policy: AnonymizationPolicy
    /// The key bytes; kept as bytes because `SymmetricKey` is not `Sendable`.
    let maskKey: [UInt8]

    /// An anonymizer of the given policy.
    /// - Parameter maskKey: the steward's secret for `mask(.hash)`; must not be empty when a column is hashed.
    public init(policy: AnonymizationPolicy, maskKey: [UInt8]) {
        self.policy = policy
        self.maskKey = maskKey
    }

    /// The table with every ruled column anonymized.
    /// - Parameter seed: makes `perturb` noise repeatable; pass the request id so a retry gives identical bytes.
    /// - Throws: `AnonymizeError` `.inapplicableValue` for a value its rule cannot apply to (e.g. `abc` under a
    ///   date rule), `.valueOutOfRange` when a result leaves the 64-bit range, `.missingMaskKey` when a column is
    ///   hashed with an empty key. Nothing is returned partially.
    public func anonymize(_ table: DataTable, seed: String) throws(AnonymizeError) -> DataTable {
        var result = table
        for (index, column) in table.columns.enumerated() {
            guard let rule = policy.rule(for: column.name) else { continue }
            let context = ColumnContext(name: column.name, rule: rule, sentinels: policy.sentinels[column.name] ?? [])
            let values = try apply(rule, to: column.values, context, seed: seed)
            do {
                try result.replaceColumn(at: index, with: DataColumn(name: column.name, values: values))
            } catch {
                preconditionFailure("anonymized column '\(column.name)' changed its row count: \(error)")
            }
        }
        return result
    }

    private func apply(
        _ rule: Dataset.AnonymizationRule, to values: ColumnValues, _ column: ColumnContext, seed: String
    ) throws(AnonymizeError) -> ColumnValues {
        switch rule {
        case .suppress:
            return .null(count: values.count)
        case .generalize(let generalization):
            return try generalize(values, generalization, column)
        case .mask(.redact):
            return redact(values)
        case .mask(.hash):
            guard !maskKey.isEmpty else {
                throw AnonymizeError(
                    .missingMaskKey,
                    "column '\(column.name)' is to be hashed but the mask key is empty; configure the steward's "
                        + "mask key for the anonymize worker")
            }
            return hash(values)
        case .perturb(let noise):
            return try perturb(values, noise: noise, column, seed: seed)
        }
    }
}
