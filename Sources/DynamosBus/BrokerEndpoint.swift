public import Foundation

/// Where and how to reach a RabbitMQ broker, parsed from an `amqp://` or `amqps://` URL.
///
/// Follows RabbitMQ's URI specification: `amqp[s]://user:password@host:port/vhost?options`, with the vhost
/// percent-decoded (`%2F` is `/`; an empty path is the default vhost `/`). Query options: `heartbeat` (seconds,
/// 0 disables), `connection_timeout` (milliseconds), `frame_max`, `channel_max`, and for `amqps`: `cacertfile`,
/// `certfile`, `keyfile`, `verify` (`verify_peer`, the default, or `verify_none`) and `server_name_indication`.
public struct BrokerEndpoint: Sendable, Equatable {
    /// TLS settings of an `amqps://` endpoint.
    public struct TLS: Sendable, Equatable {
        /// PEM file with the certificate authorities the broker's certificate must chain to.
        public var caCertificatePath: String?
        /// Client certificate and key (PEM), for brokers that ask for one.
        public var clientCertificatePath: String?
        public var clientKeyPath: String?
        /// Verify the broker's certificate chain and host name (on unless `verify=verify_none`).
        public var verifyPeer: Bool = true

        public init(
            caCertificatePath: String? = nil, clientCertificatePath: String? = nil, clientKeyPath: String? = nil,
            verifyPeer: Bool = true
        ) {
            self.caCertificatePath = caCertificatePath
            self.clientCertificatePath = clientCertificatePath
            self.clientKeyPath = clientKeyPath
            self.verifyPeer = verifyPeer
        }
    }

    /// The URL used when `DYNAMOS_AMQP_URL` is not set.
    public static let defaultURL = "amqp://guest:guest@127.0.0.1:5672/"
    /// The environment variable that names the broker.
    public static let environmentVariable = "DYNAMOS_AMQP_URL"

    public var host: String
    public var port: Int
    public var virtualHost: String
    public var user: String
    public var password: String
    /// Heartbeat interval in seconds proposed to the broker; 0 turns heartbeats off.
    public var heartbeatSeconds: Int
    /// How long to wait for the TCP/TLS connect and the AMQP handshake.
    public var connectionTimeout: Duration
    public var frameMax: Int
    public var channelMax: Int
    /// Present for `amqps://`.
    public var tls: TLS?
    /// The other nodes of the same cluster, tried in turn when this one does not answer (a connect or a reconnect
    /// goes to the first node that does); empty for a single broker.
    public var alternates: [BrokerEndpoint] = []

    /// Parses a broker URL.
    /// - Throws: ``AMQPError/Code/invalidURL`` naming the part that is wrong.
    public init(url: String) throws(AMQPError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw Self.invalid(url, "it is not a URL")
        }
        let secure: Bool
        switch scheme {
        case "amqp": secure = false
        case "amqps": secure = true
        default: throw Self.invalid(url, "the scheme must be amqp or amqps, not \(scheme)")
        }
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = components.port ?? (secure ? 5671 : 5672)
        user = components.user?.removingPercentEncoding ?? "guest"
        password = components.password?.removingPercentEncoding ?? "guest"
        let path = components.percentEncodedPath
        if path.isEmpty || path == "/" {
            virtualHost = "/"
        } else {
            let encoded = String(path.dropFirst())
            guard !encoded.contains("/"), let decoded = encoded.removingPercentEncoding else {
                throw Self.invalid(url, "the vhost must be one path segment (write / as %2F)")
            }
            virtualHost = decoded
        }
        heartbeatSeconds = 30
        connectionTimeout = .seconds(10)
        frameMax = 131_072
        channelMax = 0
        tls = secure ? TLS() : nil
        for item in components.queryItems ?? [] {
            try apply(option: item.name, value: item.value ?? "", url: url)
        }
    }

    /// The nodes of a cluster from a comma-separated list of URLs: the first, with the others as its
    /// ``alternates``. Every node must name the same user (a connection publishes as its user, whichever node it
    /// reaches).
    /// - Throws: ``AMQPError/Code/invalidURL`` for a malformed URL, an empty list or nodes with different users.
    public init(urls list: String) throws(AMQPError) {
        let urls = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let first = urls.first else { throw Self.invalid(list, "it names no broker") }
        try self.init(url: first)
        for url in urls.dropFirst() {
            let node = try BrokerEndpoint(url: url)
            guard node.user == user else {
                throw Self.invalid(url, "its user '\(node.user)' differs from the first node's '\(user)'")
            }
            alternates.append(node)
        }
    }

    /// This node and its alternates, in the order they are tried.
    public var nodes: [BrokerEndpoint] {
        var single = self
        single.alternates = []
        return [single] + alternates
    }

    /// The endpoints named by `DYNAMOS_AMQP_URL` (one URL, or a cluster's as a comma-separated list), or the local
    /// default broker.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(AMQPError) -> BrokerEndpoint {
        let url = environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 } ?? defaultURL
        return try BrokerEndpoint(urls: url)
    }

    /// The URL without the password, for logs (with the alternates' hosts and ports after it).
    public var redactedDescription: String {
        "\(tls == nil ? "amqp" : "amqps")://\(user)@\(host):\(port)/\(virtualHost == "/" ? "" : virtualHost)"
            + alternates.map { ",\($0.host):\($0.port)" }.joined()
    }

    private mutating func apply(option: String, value: String, url: String) throws(AMQPError) {
        func integer(_ range: ClosedRange<Int>) throws(AMQPError) -> Int {
            guard let number = Int(value), range.contains(number) else {
                throw Self.invalid(url, "\(option) must be a whole number in \(range), not '\(value)'")
            }
            return number
        }
        func path() throws(AMQPError) -> String {
            guard tls != nil else { throw Self.invalid(url, "\(option) only applies to amqps:// URLs") }
            guard !value.isEmpty else { throw Self.invalid(url, "\(option) needs a file path") }
            return value
        }
        switch option {
        case "heartbeat": heartbeatSeconds = try integer(0...65_535)
        case "connection_timeout": connectionTimeout = .milliseconds(try integer(1...3_600_000))
        case "frame_max": frameMax = try integer(4_096...(1 << 30))
        case "channel_max": channelMax = try integer(0...65_535)
        case "cacertfile":
            let file = try path()
            tls?.caCertificatePath = file
        case "certfile":
            let file = try path()
            tls?.clientCertificatePath = file
        case "keyfile":
            let file = try path()
            tls?.clientKeyPath = file
        case "verify":
            _ = try path()
            switch value {
            case "verify_peer": tls?.verifyPeer = true
            case "verify_none": tls?.verifyPeer = false
            default: throw Self.invalid(url, "verify must be verify_peer or verify_none, not '\(value)'")
            }
        case "server_name_indication", "auth_mechanism", "channel_max_frames":
            break
        default:
            throw Self.invalid(url, "unknown option '\(option)'")
        }
    }

    private static func invalid(_ url: String, _ why: String) -> AMQPError {
        let shown = url.replacingOccurrences(of: #":[^:@/]*@"#, with: ":***@", options: .regularExpression)
        return AMQPError(
            .invalidURL, message: "cannot use broker URL '\(shown)': \(why)",
            hint: "set \(environmentVariable) to a URL like \(defaultURL)")
    }
}
