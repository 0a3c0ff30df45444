import ArgumentParser
import Foundation
import GridlinkCore
import GridlinkServer
import GridlinkStore

struct Clients: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage API clients (the tenants that get OAuth credentials).",
        subcommands: [Create.self, List.self, RotateSecret.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a client and print its id and secret (shown only once).")

        @Option(help: "Human-readable client name.") var name: String
        @Option(help: "sandbox or production.") var environment: ClientEnvironment = .sandbox
        @Option(name: .customLong("api-version"), help: "Pinned API version (default: the current one).") var apiVersion: APIVersion = .current
        @Flag(help: "Print {\"clientId\", \"clientSecret\"} as JSON.") var json = false
        @OptionGroup var databaseOptions: DatabaseOptions

        func run() async throws {
            let now = SystemClock().now()
            let store = try databaseOptions.openStore(logger: CommandLogging.oneShotLogger("gridlink"))
            let (client, secret) = try await store.whileRunning { [name, environment, apiVersion] store in
                try await store.migrate(at: now)
                return try await store.write {
                    try await ClientRegistration.create(name: name, environment: environment, apiVersion: apiVersion, at: now, in: $0)
                }
            }
            if json {
                print(try CredentialsJSON.render(clientId: client.id, secret: secret))
            } else {
                print("Created \(environment.rawValue) client \"\(name)\" pinned to \(apiVersion.rawValue).")
                print("client id:     \(client.id)")
                print("client secret: \(secret)")
                print("The secret is not stored and cannot be shown again.")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List clients.")
        @OptionGroup var databaseOptions: DatabaseOptions

        func run() async throws {
            let store = try databaseOptions.openStore(logger: CommandLogging.oneShotLogger("gridlink"))
            let clients = try await store.whileRunning { store in
                try await store.migrate(at: SystemClock().now())
                return try await store.read { try await $0.clients() }
            }
            if clients.isEmpty { print("No clients. Create one with `gridlink clients create --name NAME`.") }
            for client in clients {
                print("\(client.id)  \(client.environment.rawValue)  \(client.apiVersion.rawValue)  \(client.name)")
            }
        }
    }

    struct RotateSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-secret",
            abstract: "Issue a new secret; the old one keeps working for 24 hours.")

        @Argument(help: "Client id.") var id: String
        @Flag(help: "Print {\"clientId\", \"clientSecret\"} as JSON.") var json = false
        @OptionGroup var databaseOptions: DatabaseOptions

        func run() async throws {
            let now = SystemClock().now()
            let secret = RandomToken.urlSafe(bytes: 32)
            let graceUntil = now.addingTimeInterval(ClientCredentials.rotationGracePeriod)
            let store = try databaseOptions.openStore(logger: CommandLogging.oneShotLogger("gridlink"))
            let rotated = try await store.whileRunning { store in
                try await store.migrate(at: now)
                return try await store.write { try await $0.rotateSecret(clientId: id, to: .make(secret: secret), graceUntil: graceUntil) }
            }
            guard rotated else { throw ValidationError("No client with id \(id).") }
            if json {
                print(try CredentialsJSON.render(clientId: id, secret: secret))
            } else {
                print("New client secret: \(secret)")
                print("The previous secret keeps working until \(graceUntil.formatted(.iso8601)).")
            }
        }
    }
}

/// The `--json` output of commands that reveal a secret.
enum CredentialsJSON {
    static func render(clientId: String, secret: String) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: ["clientId": clientId, "clientSecret": secret], options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}

extension ClientEnvironment: ExpressibleByArgument {}
extension APIVersion: ExpressibleByArgument {}
