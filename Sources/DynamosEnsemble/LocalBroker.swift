public import DynamosErrors
import DynamosBus
import DynamosProcess
import Foundation
import Logging

/// The ensemble's RabbitMQ: the one answering at `DYNAMOS_AMQP_URL`, or a private node started with
/// `Deploy/local/broker.sh` on that (loopback) port and stopped with the ensemble.
///
/// Either way the broker gets the ensemble's users from a definitions file: a private node loads it at boot (and
/// has no other user: no guest, no administrator); a running node imports it with `rabbitmqctl import_definitions`.
struct LocalBroker: Sendable {
    let url: String
    let host: String
    let port: Int
    /// Set when this process started the node.
    let startedBy: String?
    /// The private node's state directory.
    let directory: String

    /// The certificate and key of a TLS-only private node, and the authority clients verify it against.
    struct TLS: Sendable {
        let certificate: String
        let key: String
        let authority: String

        init(certificates: EnsembleCertificates) {
            let pair = certificates.pair("broker")
            certificate = URL(fileURLWithPath: pair.certificate).standardizedFileURL.path
            key = URL(fileURLWithPath: pair.key).standardizedFileURL.path
            authority = URL(fileURLWithPath: certificates.authority).standardizedFileURL.path
        }
    }

    /// `url` as an `amqps://` URL on the same port whose certificate is verified against `authority`; an
    /// `amqps://` URL (a broker of the operator's, with its own authority) stays as it is. A loopback address
    /// becomes `localhost`: rabbitmq-c checks the broker's name against DNS names only, not IP addresses.
    static func tlsURL(_ url: String, authority: String) throws -> String {
        guard !url.hasPrefix("amqps"), var components = URLComponents(string: url) else { return url }
        components.scheme = "amqps"
        if components.host == "127.0.0.1" { components.host = "localhost" }
        components.port = try BrokerEndpoint(url: url).port
        components.queryItems = (components.queryItems ?? []) + [
            URLQueryItem(name: "cacertfile", value: URL(fileURLWithPath: authority).standardizedFileURL.path)
        ]
        guard let made = components.string else { throw EnsembleError("no amqps URL for \(url)") }
        return made
    }

    /// Uses the broker at `url` (giving it the users in `definitions`), starting a private node with `script` when
    /// nothing answers on loopback.
    /// - Parameters:
    ///   - probeURL: a URL with one of the definitions' users; an import is done once it can log in.
    ///   - tls: a private node listens for `amqps` only, with this certificate.
    ///   - startOwnTLSNode: the node must be this run's own TLS-only one: something else answering is an error.
    static func ensure(
        url: String, script: String, stateDirectory: String, definitions: String, probeURL: String,
        tls: TLS? = nil, startOwnTLSNode: Bool = false
    ) async throws -> LocalBroker {
        let endpoint = try BrokerEndpoint(url: url)
        let directory = "\(stateDirectory)/ensemble-broker-\(endpoint.port)"
        if answers(host: endpoint.host, port: endpoint.port) {
            guard !startOwnTLSNode else {
                throw EnsembleError(
                    "with --tls Dynamos starts its own TLS-only broker on port \(endpoint.port), but something answers "
                        + "there; stop it, pick another port in DYNAMOS_AMQP_URL, or give an amqps:// URL")
            }
            try await importDefinitions(
                definitions, endpoint: endpoint, script: script, directory: directory, log: "\(stateDirectory)/logs/broker.log")
            try await waitForLogin(try BrokerEndpoint(url: probeURL))
            return LocalBroker(url: url, host: endpoint.host, port: endpoint.port, startedBy: nil, directory: directory)
        }
        guard endpoint.host == "127.0.0.1" || endpoint.host == "localhost" else {
            throw EnsembleError("the broker at \(endpoint.host):\(endpoint.port) does not answer and is not local; start it")
        }
        guard FileManager.default.isExecutableFile(atPath: script) else {
            throw EnsembleError("no broker answers at \(url) and \(script) is missing; start RabbitMQ or run from the repository")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["BROKER_PORT"] = String(endpoint.port)
        environment["BROKER_DIR"] = directory
        environment["BROKER_NODE"] = "dynamos-ensemble-\(endpoint.port)@localhost"
        environment["BROKER_DEFINITIONS"] = definitions
        if let tls {
            environment["BROKER_TLS_PORT"] = String(endpoint.port)
            environment["BROKER_TLS_ONLY"] = "1"
            environment["BROKER_TLS_CA"] = tls.authority
            environment["BROKER_TLS_CERT"] = tls.certificate
            environment["BROKER_TLS_KEY"] = tls.key
        }
        let process = try ChildProcess(
            "/bin/bash", [script, "start"], environment: environment,
            output: .file("\(stateDirectory)/logs/broker.log"))
        let status = await process.exitStatus()
        guard status == 0 else {
            throw EnsembleError("the private broker did not start (exit \(status)); see \(stateDirectory)/logs/broker.log")
        }
        return LocalBroker(url: url, host: endpoint.host, port: endpoint.port, startedBy: script, directory: directory)
    }

    /// Imports `definitions` into the running node at `endpoint` with its `rabbitmqctl`: `DYNAMOS_RABBITMQCTL`, or
    /// the wrapper of a node that `broker.sh` started for this port.
    private static func importDefinitions(
        _ definitions: String, endpoint: BrokerEndpoint, script: String, directory: String, log: String
    ) async throws {
        let repository = URL(fileURLWithPath: script).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let candidates = [
            ProcessInfo.processInfo.environment["DYNAMOS_RABBITMQCTL"],
            "\(repository)/.dynamos/broker-\(endpoint.port)/rabbitmqctl", "\(directory)/rabbitmqctl",
        ].compactMap { $0 }.filter { !$0.isEmpty }
        guard let rabbitmqctl = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw EnsembleError(
                "the broker at \(endpoint.host):\(endpoint.port) answers, but Dynamos cannot give each party its own "
                    + "user there: set DYNAMOS_RABBITMQCTL to a rabbitmqctl for that node, or stop it so that "
                    + "`dynamos up` starts a private one")
        }
        let process = try ChildProcess(rabbitmqctl, ["-q", "import_definitions", definitions], output: .file(log))
        let status = await process.exitStatus()
        guard status == 0 else {
            throw EnsembleError("\(rabbitmqctl) import_definitions failed (exit \(status)); see \(log)")
        }
    }

    /// `rabbitmqctl import_definitions` returns before the import is done: waits (bounded) until `endpoint`'s user
    /// can log in.
    private static func waitForLogin(_ endpoint: BrokerEndpoint) async throws {
        let logger = Logger(label: "dynamos.ensemble.broker")
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let failure: AMQPError
            do {
                let broker = try await RabbitMQBroker.connect(
                    RabbitMQBroker.Configuration(endpoint: endpoint, connectionName: "ensemble.probe"), logger: logger)
                await broker.close()
                return
            } catch {
                failure = error
            }
            guard failure.code == .authenticationFailed, ContinuousClock.now < deadline else { throw failure }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Stops the node if this process started it.
    func stop() async {
        guard let script = startedBy else { return }
        var environment = ProcessInfo.processInfo.environment
        environment["BROKER_PORT"] = String(port)
        environment["BROKER_DIR"] = directory
        environment["BROKER_NODE"] = "dynamos-ensemble-\(port)@localhost"
        if let process = try? ChildProcess("/bin/bash", [script, "stop"], environment: environment, output: .file("/dev/null")) {
            _ = await process.exitStatus()
        }
    }

    /// Whether something accepts TCP connections at `host:port`.
    static func answers(host: String, port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host == "localhost" ? "127.0.0.1" : host)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// The local ensemble could not be brought up; the message says what to do.
public struct EnsembleError: DynamosError {
    public let message: String
    /// The error underneath, when this one reports on another.
    public let cause: ErrorCause?

    public init(_ message: String, cause: (any Error)? = nil) {
        self.message = message
        self.cause = ErrorCause?(wrapping: cause)
    }
}
