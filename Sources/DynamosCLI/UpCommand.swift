import ArgumentParser
import DynamosClient
import DynamosEnsemble
import Foundation
import Logging
import Synchronization

/// `dynamos up`: the local ensemble (broker if needed, orchestrator, agents UVA, VU, RUG, SURF with their workers)
/// until Ctrl-C, with every daemon's log lines prefixed by its name.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Run the local ensemble: orchestrator, one agent per party and their workers, on loopback.",
        discussion: """
            Starts a private RabbitMQ node when DYNAMOS_AMQP_URL does not answer. Synthetic datasets are generated \
            under --data-dir on first run. Writes <state-dir>/ensemble.json, which `dynamos request` reads. Ctrl-C \
            (or SIGTERM) stops everything cleanly: agents drain their workers, then the orchestrator stops.
            """)

    @Option(help: "Datasets as DIR/<party>/<table>.csv; generated when missing.")
    var dataDir = ".dynamos/data"

    @Option(help: "The configuration directory (seeds the orchestrator's config on every start).")
    var config = "Deploy/config"

    @Option(help: "State: the orchestrator's database and key, agent registries, logs, ensemble.json.")
    var stateDir = ".dynamos"

    @Option(help: "The parties that get an agent.")
    var parties = "UVA,VU,RUG,SURF"

    @Option(help: "The orchestrator's port; agents take the next ones.")
    var port = 8080

    @Option(help: "Personen rows generated per steward when its data is missing.")
    var rows = 18_000

    @Option(help: "Log level of the daemons.")
    var logLevel = "info"

    @Flag(help: "Do not echo the daemons' logs (they still go to <state-dir>/logs/).")
    var quiet = false

    @Option(help: "Seconds without a delivery after which the agents reap a worker; default each party's setting.")
    var idleTimeout: Double?

    @Flag(help: "TLS everywhere: a TLS-only private broker (amqps with verification) and HTTPS for orchestrator and agents.")
    var tls = false

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let logger = Logger(label: "dynamos.up")
        let quiet = quiet
        let ensemble = try await Ensemble.start(
            settings(), logger: logger,
            log: { line in if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) } })
        print("Dynamos is up.")
        print("  orchestrator  \(ensemble.file.orchestrator)")
        for (party, url) in ensemble.file.agents.sorted(by: { $0.key < $1.key }) {
            print("  agent \(party.padding(toLength: 7, withPad: " ", startingAt: 0)) \(url)")
        }
        print("  broker        \(ensemble.file.broker)")
        print("Try: dynamos request --providers UVA --graph   (Ctrl-C stops the ensemble)")
        fflush(nil)
        await SignalWait.first(of: [SIGINT, SIGTERM])
        print("\nstopping...")
        await ensemble.stop()
        print("stopped.")
    }

    func settings() -> EnsembleSettings {
        EnsembleSettings(
            executable: AgentCommand.executable,
            parties: parties.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
            orchestratorPort: port, firstAgentPort: port == 0 ? 0 : port + 1, stateDirectory: stateDir,
            dataDirectory: dataDir, configDirectory: config, generatedRows: rows, tls: tls, logLevel: logLevel,
            agentArguments: idleTimeout.map { ["--idle-timeout", String($0)] } ?? [])
    }
}

/// Waits for the first of some signals, which stop being fatal while it waits.
enum SignalWait {
    static func first(of signals: [Int32]) async {
        let queue = DispatchQueue(label: "dynamos.signals")
        let sources = signals.map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            return DispatchSource.makeSignalSource(signal: number, queue: queue)
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = OnceFlag()
            for source in sources {
                source.setEventHandler { if once.claim() { continuation.resume() } }
                source.resume()
            }
        }
        sources.forEach { $0.cancel() }
    }
}

/// True for the first caller of `claim` only.
final class OnceFlag: Sendable {
    private let claimed = Mutex(false)

    func claim() -> Bool {
        claimed.withLock { value in
            defer { value = true }
            return !value
        }
    }
}
