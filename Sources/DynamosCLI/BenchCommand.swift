import ArgumentParser

/// `dynamos bench ...`: the measurements behind every speed claim Dynamos makes.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Dynamos against its baselines.",
        subcommands: [
            BusBenchCommand.self, ChainBenchCommand.self, LatencyBenchCommand.self, LoadBenchCommand.self,
            TrustBenchCommand.self,
        ])
}
