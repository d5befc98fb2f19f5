import ArgumentParser
import DynamosControl
import DynamosOrchestrator
import Foundation

/// `dynamos users`: the orchestrator's API keys, managed on its key store the way `rabbitmqctl add_user` manages a
/// broker's users: from the orchestrator's host, with access to its state directory.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Add, list and remove the API keys the orchestrator accepts.",
        subcommands: [Add.self, List.self, Remove.self])

    struct StoreOption: ParsableArguments {
        @Option(help: "The orchestrator's API key store.")
        var database = ".dynamos/orchestrator/api-keys.sqlite"
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an API key for a user and print it once; only its hash is stored.")

        @Argument(help: "The user name, as agreements name the analyst.")
        var name: String

        @Option(help: "analyst, steward-admin or operator.")
        var role = "analyst"

        @Option(help: "The steward a steward admin acts for.")
        var steward: String?

        @Flag(help: "Print only the key.")
        var quiet = false

        @OptionGroup var store: StoreOption

        func validate() throws {
            guard Principal.Role(flag: role) != nil else {
                throw ValidationError("--role must be analyst, steward-admin or operator")
            }
        }

        func run() async throws {
            let key = try await APIKeyStore(path: store.database).add(
                user: name, role: Principal.Role(flag: role) ?? .analyst, steward: steward)
            if quiet {
                print(key.text)
            } else {
                print("API key for \(name) (\(role)\(steward.map { " of \($0)" } ?? "")), shown only now:")
                print("  \(key.text)")
                print("use it as DYNAMOS_API_KEY, --api-key, or 'Authorization: Bearer <key>'")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys (never their secrets).")

        @OptionGroup var store: StoreOption

        func run() async throws {
            for entry in try await APIKeyStore(path: store.database).entries() {
                print("\(entry.id)  \(entry.user)  \(entry.role.rawValue)\(entry.steward.map { " of \($0)" } ?? "")  "
                    + "created \(entry.createdAt)")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove every key of a user, or one key by its id.")

        @Argument(help: "A user name or a key id.")
        var nameOrKeyID: String

        @OptionGroup var store: StoreOption

        func run() async throws {
            let removed = try await APIKeyStore(path: store.database).remove(nameOrKeyID)
            guard removed > 0 else { throw CLIFailure("no key of or named '\(nameOrKeyID)'") }
            print("removed \(removed) key\(removed == 1 ? "" : "s")")
        }
    }
}
