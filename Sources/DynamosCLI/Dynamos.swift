import ArgumentParser
import DynamosBus

/// Process entry: settings that must precede everything else, then the command line.
@main
enum Entry {
    static func main() async {
        MessageMemory.configureForLargeMessages()
        await Dynamos.main()
    }
}

/// The `dynamos` command: every Dynamos process (workers, agents, tools) starts here.
struct Dynamos: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dynamos",
        abstract: "Persistent data-exchange microservices on a RabbitMQ bus.",
        subcommands: [
            AgentCommand.self, BenchCommand.self, BrokerCommand.self, DeadCommand.self, DemoCommand.self, DatagenCommand.self, OrchestratorCommand.self,
            RequestCommand.self, RouteCommand.self, ScaleCommand.self, UpCommand.self, UsersCommand.self, WorkerCommand.self,
            WorkersCommand.self,
        ])
}
