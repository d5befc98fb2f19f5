public import DynamosKnowledge
import Foundation

/// What each party's broker user may do, derived from the same config the router uses: its own queues, and the
/// routing keys its role hands over to.
///
/// Every party's user (named after the party) configures and reads only `dynamos.<party>.*` and writes only to the
/// `dynamos` exchange. Topic permissions on that exchange decide which routing keys it may publish with: its own
/// queues, the orchestrator's inbox, and what its role hands over to: a steward the first compute services of every
/// third party (`aggregate`, or `algorithm` without one, as the microservices' `allowedOutputs` say), a third party
/// the stewards' agent inboxes (forwarded requests). It may bind its queues only with its own routing keys, so no
/// party can bind a queue to `#` and read the others' traffic. The orchestrator's user owns `dynamos.orchestrator`
/// and may write to every agent's inbox. Nobody is an administrator, and nobody may configure the exchange.
public struct BrokerPermissions: Sendable, Equatable {
    /// One user's permissions on the vhost and its topic permissions on the `dynamos` exchange (regular
    /// expressions, as RabbitMQ takes them).
    public struct Grant: Sendable, Equatable {
        public var user: String
        public var configure: String
        public var write: String
        public var read: String
        public var topicWrite: String
        public var topicRead: String
    }

    /// The broker user of the orchestrator.
    public static let orchestratorUser = "orchestrator"
    /// The exchange all Dynamos traffic goes through.
    public static let exchange = "dynamos"

    public let grants: [Grant]

    /// Grants for every party of `knowledgeBase` (stewards and third parties) and the orchestrator.
    /// - Parameter orchestratorUser: the orchestrator's broker user (receivers know it by this name).
    /// - Throws: `RoutingError` `.invalidConfig` for a party name that cannot be a broker user or a queue segment.
    public init(knowledgeBase: KnowledgeBase, orchestratorUser: String = Self.orchestratorUser) throws(RoutingError) {
        let parties = knowledgeBase.stewards
        for party in parties {
            guard Self.isPlainName(party.name), party.name != orchestratorUser else {
                throw RoutingError(
                    .invalidConfig,
                    "party '\(party.name)' cannot have a broker user: use letters, digits, '-' and '_' only, and not "
                        + "'\(orchestratorUser)'")
            }
        }
        let stewards = parties.filter { $0.kind == .steward }.map(\.name)
        let thirdParties = parties.filter { $0.kind == .thirdParty }.map(\.name)
        let handover = Self.handoverServices(knowledgeBase.microservices)
        if let odd = handover.first(where: { !Self.isPlainName($0) }) {
            throw RoutingError(
                .invalidConfig, "service '\(odd)' cannot be named in a broker permission: use letters, digits, '-' and '_'")
        }
        var grants: [Grant] = []
        for party in parties {
            var keys = [Self.own(party.name), "^dynamos\\.orchestrator$"]
            switch party.kind {
            case .steward:
                for third in thirdParties {
                    keys += handover.map { "^dynamos\\.\(third)\\.\($0)(\\.[^.]+)?$" }
                }
            case .thirdParty:
                keys += stewards.map { "^dynamos\\.\($0)\\.agent$" }
            }
            grants.append(
                Grant(
                    user: party.name, configure: Self.own(party.name), write: "^dynamos$|\(Self.own(party.name))",
                    read: "^dynamos$|\(Self.own(party.name))", topicWrite: keys.joined(separator: "|"),
                    topicRead: Self.own(party.name)))
        }
        let orchestratorOwn = "^dynamos\\.orchestrator(\\..+)?$"
        let inboxes = parties.map(\.name).sorted().joined(separator: "|")
        grants.append(
            Grant(
                user: orchestratorUser, configure: orchestratorOwn, write: "^dynamos$|\(orchestratorOwn)",
                read: "^dynamos$|\(orchestratorOwn)",
                topicWrite: orchestratorOwn + (inboxes.isEmpty ? "" : "|^dynamos\\.(\(inboxes))\\.agent$"),
                topicRead: orchestratorOwn))
        self.grants = grants
    }

    /// The grant of `user`, if it has one.
    public func grant(of user: String) -> Grant? { grants.first { $0.user == user } }

    /// `dynamos.<party>.` and anything after it.
    private static func own(_ party: String) -> String { "^dynamos\\.\(party)\\..+$" }

    /// The compute services a data service may hand over to: computeProvider services in a dataProvider service's
    /// `allowedOutputs`.
    static func handoverServices(_ microservices: [Microservice]) -> [String] {
        let compute = Set(microservices.filter { $0.label == .computeProvider }.map(\.name))
        let outputs = microservices.filter { $0.label == .dataProvider }.flatMap(\.allowedOutputs)
        return Array(Set(outputs).intersection(compute)).sorted()
    }

    /// Letters, digits, `-` and `_`: safe as a broker user, a queue name segment and inside a regular expression.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
    }
}
