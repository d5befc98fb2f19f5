extension Dataset {
    /// How `anonymize` treats a column; a steward picks one rule per column name in `datasets.json`.
    ///
    /// JSON forms (see `Dataset+AnonymizationRuleCoding.swift`): `"suppress"`, `{"generalize": "year"}`,
    /// `{"generalize": {"yearRange": 10}}`, `{"generalize": {"band": 5}}`, `{"mask": "hash"}`,
    /// `{"mask": "redact"}`, `{"perturb": {"noise": 2.5}}`. The legacy strings `"generalizeToYear"` and
    /// `"pseudonymize"` still decode, to `.generalize(.year)` and `.mask(.hash)`.
    public enum AnonymizationRule: Sendable, Hashable {
        /// Every value becomes null.
        case suppress
        /// Values become coarser: dates to a year or a range of years, numbers to a band.
        case generalize(Generalization)
        /// Values are hidden: replaced by a keyed hash (joins still work) or redacted.
        case mask(Mask)
        /// Numbers get uniform noise in `[-noise, +noise]`, seeded per request so retries are identical.
        case perturb(noise: Double)

        /// The legacy `generalizeToYear`: `YYYYMMDD` becomes `YYYY`.
        public static let generalizeToYear = AnonymizationRule.generalize(.year)
        /// The legacy `pseudonymize`: a keyed hash, so joins still work.
        public static let pseudonymize = AnonymizationRule.mask(.hash)

        /// How `generalize` coarsens a value.
        public enum Generalization: Sendable, Hashable {
            /// A `YYYYMMDD` date (integer or text) becomes its year `YYYY`, keeping the column type.
            case year
            /// A `YYYYMMDD` date becomes the text range of `years` years holding it, e.g. `1970-1979` for 10.
            case yearRange(Int)
            /// An integer (or integer text) becomes the text band of `width` holding it, e.g. `10-14` for 5.
            case band(Int64)
        }

        /// How `mask` hides a value.
        public enum Mask: String, Sendable, Hashable, CaseIterable {
            /// HMAC-SHA256 with the steward's mask key, as the first 16 hex digits: equal in, equal out.
            case hash
            /// The value becomes the text `***`; null stays null.
            case redact
        }

        /// What is wrong with this rule's parameters, or nil when they are usable.
        ///
        /// Decoding accepts any number so that validation can name the dataset and table; this says what to fix.
        public var parameterProblem: String? {
            switch self {
            case .generalize(.yearRange(let years)) where years <= 0:
                "generalize yearRange is \(years); use a positive number of years, e.g. 10"
            case .generalize(.band(let width)) where width <= 0:
                "generalize band is \(width); use a positive band width, e.g. 5"
            case .perturb(let noise) where !(noise > 0) || !noise.isFinite:
                "perturb noise is \(noise); use a positive, finite noise, e.g. 2.5"
            default:
                nil
            }
        }
    }
}

extension Dataset.AnonymizationRule: CustomStringConvertible {
    /// The rule in its JSON form, e.g. `{"perturb": {"noise": 2.5}}`, for messages.
    public var description: String {
        switch self {
        case .suppress: "\"suppress\""
        case .generalize(.year): "{\"generalize\": \"year\"}"
        case .generalize(.yearRange(let years)): "{\"generalize\": {\"yearRange\": \(years)}}"
        case .generalize(.band(let width)): "{\"generalize\": {\"band\": \(width)}}"
        case .mask(let mask): "{\"mask\": \"\(mask.rawValue)\"}"
        case .perturb(let noise): "{\"perturb\": {\"noise\": \(noise)}}"
        }
    }
}
