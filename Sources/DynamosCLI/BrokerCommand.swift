import ArgumentParser
import DynamosBrokerAccess
import DynamosKnowledge
import DynamosRouteSigning
import Foundation

/// `dynamos broker`: what a broker needs to know about Dynamos parties.
struct BrokerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Describe the broker users Dynamos parties need.",
        subcommands: [BrokerDefinitionsCommand.self])
}

/// `dynamos broker definitions --out FILE`: the users, permissions and topic permissions `dynamos up` provisions, as
/// a RabbitMQ definitions file an operator loads into a broker of their own.
struct BrokerDefinitionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "definitions",
        abstract: "Write one broker user per party and the orchestrator, as a RabbitMQ definitions file.",
        discussion: """
            Permissions come from the same config the router uses (--config): each party's user configures and \
            reads only dynamos.<party>.*, and publishes on the dynamos exchange only with the routing keys its role \
            may emit; nobody is an administrator. Passwords are made fresh and written, one file per user and mode \
            0600, to --credentials-dir, so each party can be handed only its own. Load the file with \
            `rabbitmqctl import_definitions FILE` or `load_definitions` in rabbitmq.conf. Two policies cap each \
            party's results queue (oldest results dead-lettered) and dead-letter queue (oldest dropped) by count, \
            bytes and age; change them later with `rabbitmqctl set_policy` without redeclaring a queue.
            """)

    @Option(help: "The configuration directory (stewards.json and microservices.json count).")
    var config = "Deploy/config"

    @Option(help: "Where the definitions file is written.")
    var out: String

    @Option(help: "Where each user's password is written as <user>.password (mode 0600).")
    var credentialsDir = ".dynamos/broker-credentials"

    @Option(help: "The virtual host the permissions apply to.")
    var vhost = "/"

    @Option(help: "Messages a party's results queue keeps at most; the oldest are dead-lettered.")
    var resultsMaxLength = QueueLimits().results.maxMessages

    @Option(help: "Seconds a result waits at most to be collected.")
    var resultsMaxAge = QueueLimits().results.maxAgeSeconds

    @Option(help: "Dead letters a party keeps at most; the oldest are dropped.")
    var deadMaxLength = QueueLimits().deadLetters.maxMessages

    @Option(help: "Seconds a dead letter is kept at most.")
    var deadMaxAge = QueueLimits().deadLetters.maxAgeSeconds

    func run() throws {
        let permissions = try BrokerPermissions(knowledgeBase: try KnowledgeBase.load(directory: config))
        var passwords: [String: String] = [:]
        for grant in permissions.grants {
            let password = BrokerDefinitions.randomPassword()
            passwords[grant.user] = password
            try SecretFile.write(password + "\n", to: "\(credentialsDir)/\(grant.user).password")
        }
        var limits = QueueLimits()
        limits.results.maxMessages = resultsMaxLength
        limits.results.maxAgeSeconds = resultsMaxAge
        limits.deadLetters.maxMessages = deadMaxLength
        limits.deadLetters.maxAgeSeconds = deadMaxAge
        let definitions = try BrokerDefinitions(
            permissions: permissions, passwords: passwords, vhost: vhost, limits: limits)
        try SecretFile.write(definitions.encoded(), to: out)
        print("wrote \(out): users \(permissions.grants.map(\.user).joined(separator: ", ")); passwords in \(credentialsDir)/")
    }
}
