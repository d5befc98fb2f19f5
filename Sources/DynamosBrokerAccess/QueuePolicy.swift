/// A RabbitMQ policy (as a definitions file holds it) that caps the length and age of the queues it matches.
///
/// RabbitMQ's guidance is to set limits by policy, not by queue arguments: a policy can be changed on a running
/// broker, while a queue's arguments are fixed once declared. Dynamos caps the two kinds of queue nobody drains on a
/// schedule, so neither can fill the broker's disk: each party's `results` queue (results nobody collected: the
/// oldest are dead-lettered into the party's dead-letter queue) and its `dead` queue (the oldest are dropped).
public struct QueuePolicy: Sendable, Codable, Equatable {
    /// The keys of a policy's definition that Dynamos sets, in RabbitMQ's spelling.
    public struct Definition: Sendable, Codable, Equatable {
        public var maxLength: Int
        public var maxLengthBytes: Int
        /// Milliseconds.
        public var messageTTL: Int
        /// `drop-head`: the oldest message makes room (dead-lettered where the queue has a dead-letter target).
        public var overflow = "drop-head"

        enum CodingKeys: String, CodingKey {
            case maxLength = "max-length"
            case maxLengthBytes = "max-length-bytes"
            case messageTTL = "message-ttl"
            case overflow
        }
    }

    public var vhost: String
    public var name: String
    public var pattern: String
    public var applyTo = "queues"
    public var definition: Definition
    public var priority: Int

    enum CodingKeys: String, CodingKey {
        case vhost, name, pattern, definition, priority
        case applyTo = "apply-to"
    }

    /// The policies for `limits`: one over every party's results queue and one over every party's dead-letter
    /// queue, matching parties by `partyPattern` (a regular expression for one queue-name segment). Of the policies
    /// matching a queue RabbitMQ applies the one of highest `priority`.
    public static func policies(
        _ limits: QueueLimits, vhost: String, namePrefix: String = "dynamos", partyPattern: String = "[^.]+",
        priority: Int = 10
    ) -> [QueuePolicy] {
        [("results", limits.results), ("dead", limits.deadLetters)].map { suffix, cap in
            QueuePolicy(
                vhost: vhost, name: "\(namePrefix)-\(suffix)", pattern: "^dynamos\\.\(partyPattern)\\.\(suffix)$",
                definition: Definition(
                    maxLength: cap.maxMessages, maxLengthBytes: cap.maxBytes, messageTTL: cap.maxAgeSeconds * 1000),
                priority: priority)
        }
    }
}

/// How many messages, bytes and seconds of age a party's results and dead-letter queues keep at most.
///
/// The defaults hold far more than a working party ever leaves there (a result nobody collected is useless after
/// its request timed out; a dead letter is for an operator to look at within the week) and still bound the disk.
public struct QueueLimits: Sendable, Equatable {
    /// The caps of one kind of queue.
    public struct Cap: Sendable, Equatable {
        public var maxMessages: Int
        public var maxBytes: Int
        public var maxAgeSeconds: Int

        public init(maxMessages: Int, maxBytes: Int, maxAgeSeconds: Int) {
            self.maxMessages = maxMessages
            self.maxBytes = maxBytes
            self.maxAgeSeconds = maxAgeSeconds
        }

        /// Whether every cap is positive and the age fits RabbitMQ's TTL (milliseconds in 32 bits).
        public var isValid: Bool {
            maxMessages > 0 && maxBytes > 0 && (1...(Int(Int32.max) / 1000)).contains(maxAgeSeconds)
        }
    }

    public var results: Cap
    public var deadLetters: Cap

    public init(
        results: Cap = Cap(maxMessages: 10_000, maxBytes: 1 << 30, maxAgeSeconds: 3_600),
        deadLetters: Cap = Cap(maxMessages: 100_000, maxBytes: 2 << 30, maxAgeSeconds: 7 * 86_400)
    ) {
        self.results = results
        self.deadLetters = deadLetters
    }
}
