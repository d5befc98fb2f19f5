import DynamosBus
import DynamosProcess
import Foundation

/// The ensemble's RabbitMQ: the one answering at `DYNAMOS_AMQP_URL`, or a private node started with
/// `Deploy/local/broker.sh` on that (loopback) port and stopped with the ensemble.
struct LocalBroker: Sendable {
    let url: String
    let host: String
    let port: Int
    /// Set when this process started the node.
    let startedBy: String?

    /// Uses the broker at `url`, starting a private node with `script` when nothing answers on loopback.
    static func ensure(url: String, script: String, stateDirectory: String) async throws -> LocalBroker {
        let endpoint = try BrokerEndpoint(url: url)
        if answers(host: endpoint.host, port: endpoint.port) {
            return LocalBroker(url: url, host: endpoint.host, port: endpoint.port, startedBy: nil)
        }
        guard endpoint.host == "127.0.0.1" || endpoint.host == "localhost" else {
            throw EnsembleError("the broker at \(endpoint.host):\(endpoint.port) does not answer and is not local; start it")
        }
        guard FileManager.default.isExecutableFile(atPath: script) else {
            throw EnsembleError("no broker answers at \(url) and \(script) is missing; start RabbitMQ or run from the repository")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["BROKER_PORT"] = String(endpoint.port)
        let process = try ChildProcess(
            "/bin/bash", [script, "start"], environment: environment,
            output: .file("\(stateDirectory)/logs/broker.log"))
        let status = await process.exitStatus()
        guard status == 0 else {
            throw EnsembleError("the private broker did not start (exit \(status)); see \(stateDirectory)/logs/broker.log")
        }
        return LocalBroker(url: url, host: endpoint.host, port: endpoint.port, startedBy: script)
    }

    /// Stops the node if this process started it.
    func stop() async {
        guard let script = startedBy else { return }
        var environment = ProcessInfo.processInfo.environment
        environment["BROKER_PORT"] = String(port)
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
public struct EnsembleError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
