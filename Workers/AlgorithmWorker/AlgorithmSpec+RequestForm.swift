public import DynamosMessages

extension AlgorithmSpec {
    /// A spec from the thesis request form: an algorithm name and a map of group columns to value columns.
    ///
    /// `algorithmColumns` maps group columns to comma-separated value columns: `{"Geslacht": "Salschal, Aanst_22"}`
    /// groups by `Geslacht` and computes over `Salschal` and `Aanst_22`. A key may itself list several group
    /// columns separated by commas. With several keys the group columns are all keys, taken in ascending key
    /// order (a JSON object has no order), and the value columns the union of all values in that order, first
    /// occurrence kept. An empty key (`{"": "Salschal"}`) adds no group column; with no group column the whole
    /// table is one group. Names are trimmed of surrounding spaces. `algorithm` is matched case-insensitively
    /// (`wagegap` is `wageGap`).
    /// - Throws: `AlgorithmError` `.unknownAlgorithm`, or what `validate()` throws.
    public init(
        algorithm: String,
        algorithmColumns: [String: String],
        sentinels: [String: [CellValue]] = [:],
        rowLimit: Int = AlgorithmSpec.defaultRowLimit,
        partial: Bool = false
    ) throws(AlgorithmError) {
        let name = algorithm.trimmingSpaces().lowercased()
        guard let function = AlgorithmFunction.allCases.first(where: { $0.rawValue.lowercased() == name }) else {
            let known = AlgorithmFunction.allCases.map(\.rawValue).joined(separator: ", ")
            throw AlgorithmError(
                .unknownAlgorithm,
                "unknown algorithm '\(algorithm)'; use one of \(known)"
            )
        }
        var groups: [String] = []
        var values: [String] = []
        for key in algorithmColumns.keys.sorted() {
            for group in Self.names(in: key) where !groups.contains(group) {
                groups.append(group)
            }
            for value in Self.names(in: algorithmColumns[key] ?? "") where !values.contains(value) {
                values.append(value)
            }
        }
        self.init(
            function: function,
            groupColumns: groups,
            valueColumns: values,
            sentinels: sentinels,
            rowLimit: rowLimit,
            partial: partial
        )
        try validate()
    }

    /// The non-empty, trimmed names of a comma-separated list.
    private static func names(in list: String) -> [String] {
        list.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line ends.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
