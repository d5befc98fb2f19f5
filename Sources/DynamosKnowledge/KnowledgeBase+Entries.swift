import DynamosStewardConfig
package import Foundation

extension KnowledgeBase {
    /// One stored entry: its kind, name, place in its file and JSON body.
    package struct EncodedEntry {
        package let kind: ConfigKind
        package let name: String
        package let position: Int
        package let body: String
    }

    /// Every entry as JSON, in file order, for the store.
    package func encodedEntries() throws(RoutingError) -> [EncodedEntry] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var entries: [EncodedEntry] = []
        func add(_ kind: ConfigKind, _ values: [some Encodable], _ names: [String]) throws(RoutingError) {
            for (position, (value, name)) in zip(values, names).enumerated() {
                do {
                    let body = String(decoding: try encoder.encode(value), as: UTF8.self)
                    entries.append(EncodedEntry(kind: kind, name: name, position: position, body: body))
                } catch {
                    throw RoutingError(.storage, "cannot encode \(kind.fileName) entry '\(name)'", cause: error)
                }
            }
        }
        try add(.requestTypes, requestTypes, names(of: .requestTypes))
        try add(.microservices, microservices, names(of: .microservices))
        try add(.archetypes, archetypes, names(of: .archetypes))
        try add(.agreements, agreements, names(of: .agreements))
        try add(.datasets, datasets, names(of: .datasets))
        try add(.stewards, stewards, names(of: .stewards))
        return entries
    }

    /// Appends one stored entry of `kind`.
    package mutating func decodeEntry(_ kind: ConfigKind, _ data: Data, file: String) throws(RoutingError) {
        switch kind {
        case .requestTypes: requestTypes.append(try Self.decode(RequestType.self, from: data, file: file))
        case .microservices: microservices.append(try Self.decode(Microservice.self, from: data, file: file))
        case .archetypes: archetypes.append(try Self.decode(Archetype.self, from: data, file: file))
        case .agreements: agreements.append(try Self.decode(Agreement.self, from: data, file: file))
        case .datasets: datasets.append(try Self.decode(Dataset.self, from: data, file: file))
        case .stewards: stewards.append(try Self.decode(StewardSettings.self, from: data, file: file))
        }
    }
}
