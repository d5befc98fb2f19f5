extension Dataset.AnonymizationRule: Codable {
    /// Any JSON object key, so that unknown keys are refused rather than ignored.
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }

    private static let forms =
        "\"suppress\", \"generalizeToYear\", \"pseudonymize\", {\"generalize\": \"year\"}, "
        + "{\"generalize\": {\"yearRange\": N}}, {\"generalize\": {\"band\": N}}, {\"mask\": \"hash\"}, "
        + "{\"mask\": \"redact\"} or {\"perturb\": {\"noise\": X}}"

    /// Decodes a legacy string or an object with exactly one of `generalize`, `mask`, `perturb`.
    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            switch text {
            case "suppress": self = .suppress
            case "generalizeToYear": self = .generalizeToYear
            case "pseudonymize": self = .pseudonymize
            default: throw Self.corrupt(decoder.codingPath, "unknown anonymization rule \"\(text)\"")
            }
            return
        }
        let container = try decoder.container(keyedBy: AnyKey.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw Self.corrupt(decoder.codingPath, "an anonymization rule object needs exactly one key")
        }
        switch key.stringValue {
        case "generalize":
            self = .generalize(try Self.generalization(in: container, at: key))
        case "mask":
            let text = try container.decode(String.self, forKey: key)
            guard let mask = Mask(rawValue: text) else {
                throw Self.corrupt(container.codingPath + [key], "unknown mask \"\(text)\"")
            }
            self = .mask(mask)
        case "perturb":
            let parameters = try Self.singleParameter(in: container, at: key, expecting: "noise")
            self = .perturb(noise: try parameters.container.decode(Double.self, forKey: parameters.key))
        default:
            throw Self.corrupt(decoder.codingPath, "unknown anonymization rule key \"\(key.stringValue)\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if case .suppress = self {
            var container = encoder.singleValueContainer()
            try container.encode("suppress")
            return
        }
        var container = encoder.container(keyedBy: AnyKey.self)
        switch self {
        case .suppress:
            break
        case .generalize(.year):
            try container.encode("year", forKey: AnyKey("generalize"))
        case .generalize(.yearRange(let years)):
            var nested = container.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("generalize"))
            try nested.encode(years, forKey: AnyKey("yearRange"))
        case .generalize(.band(let width)):
            var nested = container.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("generalize"))
            try nested.encode(width, forKey: AnyKey("band"))
        case .mask(let mask):
            try container.encode(mask.rawValue, forKey: AnyKey("mask"))
        case .perturb(let noise):
            var nested = container.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("perturb"))
            try nested.encode(noise, forKey: AnyKey("noise"))
        }
    }

    private static func generalization(
        in container: KeyedDecodingContainer<AnyKey>, at key: AnyKey
    ) throws -> Generalization {
        if let text = try? container.decode(String.self, forKey: key) {
            guard text == "year" else {
                throw corrupt(container.codingPath + [key], "unknown generalization \"\(text)\"")
            }
            return .year
        }
        let parameters = try singleParameter(in: container, at: key, expecting: "yearRange", "band")
        if parameters.key.stringValue == "yearRange" {
            return .yearRange(try parameters.container.decode(Int.self, forKey: parameters.key))
        }
        return .band(try parameters.container.decode(Int64.self, forKey: parameters.key))
    }

    /// The object at `key`, which must hold exactly one of the `expected` keys.
    private static func singleParameter(
        in container: KeyedDecodingContainer<AnyKey>, at key: AnyKey, expecting expected: String...
    ) throws -> (container: KeyedDecodingContainer<AnyKey>, key: AnyKey) {
        let nested = try container.nestedContainer(keyedBy: AnyKey.self, forKey: key)
        guard nested.allKeys.count == 1, let parameter = nested.allKeys.first,
            expected.contains(parameter.stringValue)
        else {
            let names = expected.map { "\"\($0)\"" }.joined(separator: " or ")
            throw corrupt(nested.codingPath, "\"\(key.stringValue)\" needs an object with exactly one key, \(names)")
        }
        return (nested, parameter)
    }

    private static func corrupt(_ path: [any CodingKey], _ problem: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: path, debugDescription: "\(problem); use one of \(forms)"))
    }
}
