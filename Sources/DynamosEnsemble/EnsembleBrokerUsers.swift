import DynamosBrokerAccess
import DynamosBus
import DynamosKnowledge
import DynamosRouteSigning
import Foundation

/// The broker users of one `dynamos up` run: one per party and one for the orchestrator, with fresh passwords,
/// written as a RabbitMQ definitions file (`<state>/broker/definitions.json`, mode 0600) that the broker loads.
///
/// Each process gets the broker URL with its own user and password only.
struct EnsembleBrokerUsers: Sendable {
    /// The definitions file.
    let definitionsPath: String
    /// Each user's broker URL: the base URL with its credentials.
    let urls: [String: String]

    /// Users for every party of `knowledgeBase` and the orchestrator, on the broker and vhost of `baseURL`.
    static func make(knowledgeBase: KnowledgeBase, baseURL: String, in state: String) throws -> EnsembleBrokerUsers {
        let endpoint = try BrokerEndpoint(url: baseURL)
        let permissions = try BrokerPermissions(knowledgeBase: knowledgeBase)
        var passwords: [String: String] = [:]
        var urls: [String: String] = [:]
        for grant in permissions.grants {
            let password = BrokerDefinitions.randomPassword()
            passwords[grant.user] = password
            urls[grant.user] = try Self.url(baseURL, user: grant.user, password: password)
        }
        let definitions = try BrokerDefinitions(
            permissions: permissions, passwords: passwords, vhost: endpoint.virtualHost)
        let path = "\(state)/broker/definitions.json"
        try SecretFile.write(definitions.encoded(), to: path)
        return EnsembleBrokerUsers(definitionsPath: URL(fileURLWithPath: path).standardizedFileURL.path, urls: urls)
    }

    /// `url` with `user` and `password` in place of its credentials.
    static func url(_ url: String, user: String, password: String) throws -> String {
        guard var components = URLComponents(string: url) else {
            throw EnsembleError("the broker URL \(url) cannot be read")
        }
        components.user = user
        components.password = password
        guard let made = components.string else { throw EnsembleError("no broker URL for \(user)") }
        return made
    }
}
