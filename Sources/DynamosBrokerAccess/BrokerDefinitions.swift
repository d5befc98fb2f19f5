public import DynamosErrors
import Crypto
public import Foundation

/// A RabbitMQ definitions file (what `rabbitmqctl import_definitions` and `load_definitions` read): one user per
/// party and one for the orchestrator, none an administrator, with their permissions and topic permissions, and
/// the durable `dynamos` topic exchange, which no party may configure itself, and the policies that cap the
/// parties' results and dead-letter queues (``QueuePolicy``).
///
/// Passwords are stored as RabbitMQ's own salted SHA-256 hashes (`rabbit_password_hashing_sha256`), never in clear.
public struct BrokerDefinitions: Sendable, Codable, Equatable {
    public struct User: Sendable, Codable, Equatable {
        public var name: String
        public var password_hash: String
        public var hashing_algorithm = "rabbit_password_hashing_sha256"
        public var tags: [String] = []
    }

    public struct VirtualHost: Sendable, Codable, Equatable {
        public var name: String
    }

    public struct Permission: Sendable, Codable, Equatable {
        public var user: String
        public var vhost: String
        public var configure: String
        public var write: String
        public var read: String
    }

    public struct TopicPermission: Sendable, Codable, Equatable {
        public var user: String
        public var vhost: String
        public var exchange: String
        public var write: String
        public var read: String
    }

    public struct Exchange: Sendable, Codable, Equatable {
        public var name: String
        public var vhost: String
        public var type = "topic"
        public var durable = true
        public var auto_delete = false
        public var `internal` = false
        public var arguments: [String: String] = [:]
    }

    public var users: [User]
    public var vhosts: [VirtualHost]
    public var permissions: [Permission]
    public var topic_permissions: [TopicPermission]
    public var exchanges: [Exchange]
    public var policies: [QueuePolicy]

    /// Definitions for `permissions` on `vhost`, each user with the password `passwords[user]`, with `limits` on
    /// the results and dead-letter queues.
    /// - Throws: `BrokerAccessError` when a user has no password or a limit is out of range.
    public init(
        permissions: BrokerPermissions, passwords: [String: String], vhost: String = "/",
        limits: QueueLimits = QueueLimits()
    ) throws(BrokerAccessError) {
        guard limits.results.isValid, limits.deadLetters.isValid else {
            throw BrokerAccessError(
                "queue limits must be positive, and an age at most \(Int32.max / 1000) s: \(limits)")
        }
        users = []
        self.permissions = []
        topic_permissions = []
        for grant in permissions.grants {
            guard let password = passwords[grant.user], !password.isEmpty else {
                throw BrokerAccessError("no password for broker user '\(grant.user)'")
            }
            users.append(User(name: grant.user, password_hash: Self.passwordHash(password)))
            self.permissions.append(
                Permission(
                    user: grant.user, vhost: vhost, configure: grant.configure, write: grant.write, read: grant.read))
            topic_permissions.append(
                TopicPermission(
                    user: grant.user, vhost: vhost, exchange: BrokerPermissions.exchange, write: grant.topicWrite,
                    read: grant.topicRead))
        }
        vhosts = [VirtualHost(name: vhost)]
        exchanges = [Exchange(name: BrokerPermissions.exchange, vhost: vhost)]
        policies = QueuePolicy.policies(limits, vhost: vhost)
    }

    /// The file's JSON.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }

    /// RabbitMQ's `rabbit_password_hashing_sha256`: base64 of a 4-byte salt followed by SHA-256(salt + password).
    public static func passwordHash(_ password: String, salt: [UInt8]? = nil) -> String {
        let salt = salt ?? (0..<4).map { _ in UInt8.random(in: 0...255) }
        let digest = SHA256.hash(data: salt + Array(password.utf8))
        return Data(salt + Array(digest)).base64EncodedString()
    }

    /// A fresh random password (32 bytes, base64url), for users `dynamos up` makes.
    public static func randomPassword() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// Broker users could not be described or provisioned; the message says what to do.
public struct BrokerAccessError: DynamosError, Sendable {
    public let message: String
    /// The error underneath, when this one reports on another.
    public let cause: ErrorCause?

    public init(_ message: String, cause: (any Error)? = nil) {
        self.message = message
        self.cause = ErrorCause?(wrapping: cause)
    }
}
