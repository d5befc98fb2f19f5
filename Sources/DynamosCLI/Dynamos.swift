import ArgumentParser

/// The `dynamos` command: every Dynamos process (workers, agents, tools) starts here.
@main
struct Dynamos: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dynamos",
        abstract: "Persistent data-exchange microservices on a RabbitMQ bus.",
        subcommands: [BenchCommand.self, DemoCommand.self, DatagenCommand.self])
}
