import ArgumentParser
import Foundation
import GridlinkCore
import GridlinkStore

/// `gridlink sandbox …`: the sandbox control API from the command line, against a running server.
struct Sandbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Control the simulated world of a running server (accounts, devices, faults, clock).",
        subcommands: [Accounts.self, Link.self, Devices.self, Faults.self, Clock.self, Reset.self, Listen.self])

    struct Accounts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Virtual vendor accounts.", subcommands: [Create.self, List.self, Delete.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create an account with devices.")
            @OptionGroup var server: ServerConnectionOptions
            @Option(help: "Vendor, e.g. TESLA.") var vendor: String
            @Option(help: "Login name (generated when absent).") var username: String?
            @Option(help: "Password (generated when absent).") var password: String?
            @Option(help: "Site (home) id shared with other accounts.") var site: String?
            @Option(name: .customLong("device"), help: "A device to add: TYPE or TYPE:MODEL (repeatable).") var devices: [String] = []

            func run() async throws {
                var body: [String: JSONValue] = ["vendor": .string(vendor)]
                if let username { body["username"] = .string(username) }
                if let password { body["password"] = .string(password) }
                if let site { body["siteId"] = .string(site) }
                body["devices"] = DeviceArguments.specs(devices)
                try await server.call(.POST, "/sandbox/accounts", body: .object(body))
            }
        }

        struct List: ListCall {
            static let configuration = CommandConfiguration(abstract: "List accounts.")
            static let collection = "/sandbox/accounts"
            @OptionGroup var server: ServerConnectionOptions
        }

        struct Delete: DeleteCall {
            static let configuration = CommandConfiguration(abstract: "Delete an account and its devices.")
            static let collection = "/sandbox/accounts"
            @OptionGroup var server: ServerConnectionOptions
            @Argument(help: "Account id.") var id: String
        }
    }

    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Link a virtual account to a user without the Link UI: an existing one (--account) or a new one (--vendor and --device).")
        @OptionGroup var server: ServerConnectionOptions
        @Option(help: "The user to link the account to (created when unknown).") var user: String
        @Option(help: "An existing virtual account id.") var account: String?
        @Option(help: "Vendor of a new account, e.g. KIA.") var vendor: String?
        @Option(help: "Site (home) id of a new account, shared with other accounts.") var site: String?
        @Option(name: .customLong("device"), help: "A device of the new account: TYPE or TYPE:MODEL (repeatable).") var devices: [String] = []
        @Option(name: .customLong("scope"), help: "A scope to grant, e.g. vehicle:read:data (repeatable; default: every scope of each linked type).")
        var scopes: [String] = []

        func run() async throws {
            var body: [String: JSONValue] = ["userId": .string(user)]
            if let account { body["accountId"] = .string(account) }
            if let vendor { body["vendor"] = .string(vendor) }
            if let site { body["siteId"] = .string(site) }
            if !devices.isEmpty { body["devices"] = DeviceArguments.specs(devices) }
            if !scopes.isEmpty { body["scopes"] = .array(scopes.map { .string($0) }) }
            try await server.call(.POST, "/sandbox/links", body: .object(body))
        }
    }

    struct Devices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Simulated devices.",
            subcommands: [List.self, Show.self, Add.self, Remove.self, Set.self, Plug.self, Unplug.self, Drive.self, Command.self, Capability.self])

        struct List: ListCall {
            static let configuration = CommandConfiguration(abstract: "List devices with their state.")
            static let collection = "/sandbox/devices"
            @OptionGroup var server: ServerConnectionOptions
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show one device.")
            @OptionGroup var server: ServerConnectionOptions
            @Argument(help: "Device id.") var id: String
            func run() async throws { try await server.call(.GET, "/sandbox/devices/\(id)") }
        }

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a device to an account.")
            @OptionGroup var server: ServerConnectionOptions
            @Argument(help: "Account id.") var account: String
            @Argument(help: "Device type: vehicle, charger, hvac, inverter, battery or meter.") var type: String
            @Option(help: "Catalogue model name.") var model: String?
            func run() async throws {
                var body: [String: JSONValue] = ["type": .string(type)]
                if let model { body["model"] = .string(model) }
                try await server.call(.POST, "/sandbox/accounts/\(account)/devices", body: .object(body))
            }
        }

        struct Remove: DeleteCall {
            static let configuration = CommandConfiguration(abstract: "Remove a device.")
            static let collection = "/sandbox/devices"
            @OptionGroup var server: ServerConnectionOptions
            @Argument(help: "Device id.") var id: String
        }

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Set state: batteryLevel=20 chargeLimit=90 cloudiness=0.5 isReachable=false …")
            @OptionGroup var server: ServerConnectionOptions
            @Argument(help: "Device id.") var id: String
            @Argument(help: "key=value pairs.") var values: [String]
            func run() async throws { try await server.call(.PATCH, "/sandbox/devices/\(id)", body: try KeyValueArguments.object(values)) }
        }

        struct Plug: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Plug a vehicle in (optionally into a sandbox charger).")
            @OptionGroup var server: ServerConnectionOptions
            @Argument(help: "Vehicle or charger id.") var id: String
            @Option(help: "Charger id to plug the vehicle into.") var charger: String?
            func run() async throws {
                try await server.call(.POST, "/sandbox/devices/\(id)/plug", body: charger.map { ["chargerId": .string($0)] } ?? [:])
            }
        }

        struct Unplug: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Unplug a vehicle or charger.")
            @OptionGroup var server: ServerConnectionOptions
            @Argument(help: "Device id.") var id: String
            func run() async throws { try await server.call(.POST, "/sandbox/devices/\(id)/unplug") }
        }

        struct Drive: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Drive a vehicle a distance.")
            @OptionGroup var server: ServerConnectionOptions
            @Argument(help: "Vehicle id.") var id: String
            @Option(help: "Distance in km.") var km: Double
            @Option(help: "Speed in km/h.") var speed: Double = 50
            @Option(help: "Heading in degrees (0 = north).") var heading: Double = 0
            func run() async throws {
                try await server.call(.POST, "/sandbox/devices/\(id)/trips", body: ["distanceKm": .number(km), "speedKmh": .number(speed), "headingDegrees": .number(heading)])
            }
        }

        struct Command: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Send a vendor command: startCharging, stopCharging, setMaxCurrent maxCurrent=16, …")
            @OptionGroup var server: ServerConnectionOptions
            @Argument(help: "Device id.") var id: String
            @Argument(help: "Command name.") var command: String
            @Argument(help: "key=value arguments.") var values: [String] = []
            func run() async throws {
                var body = try KeyValueArguments.object(values)
                body["command"] = .string(command)
                try await server.call(.POST, "/sandbox/devices/\(id)/commands", body: body)
            }
        }

        struct Capability: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Switch a capability on or off.")
            @OptionGroup var server: ServerConnectionOptions
            @Argument(help: "Device id.") var id: String
            @Argument(help: "Capability name, e.g. startCharging.") var capability: String
            @Argument(help: "on or off.") var state: String
            @Option(name: .customLong("intervention"), help: "Catalogue intervention id to report while off (repeatable; default: the catalogue's for the capability).") var interventions: [String] = []
            func run() async throws {
                guard ["on", "off"].contains(state) else { throw ValidationError("State must be on or off") }
                var body: [String: JSONValue] = ["isCapable": .bool(state == "on")]
                if !interventions.isEmpty { body["interventionIds"] = .array(interventions.map { .string($0) }) }
                try await server.call(.PUT, "/sandbox/devices/\(id)/capabilities/\(capability)", body: .object(body))
            }
        }
    }

    struct Faults: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Injected faults.", subcommands: [Add.self, List.self, Remove.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Inject a fault.")
            @OptionGroup var server: ServerConnectionOptions
            @Option(help: "ignoreCommands, respondLate, vendorError, rateLimit, unreachable, asleep, invalidateCredentials or outage.") var kind: String
            @Option(help: "Limit to a vendor.") var vendor: String?
            @Option(help: "Limit to an account id.") var account: String?
            @Option(help: "Limit to a device id.") var device: String?
            @Option(help: "Limit to a command name.") var command: String?
            @Option(help: "Affect the next N matching commands.") var count: Int?
            @Option(help: "Affect each matching command with this probability.") var probability: Double?
            @Option(help: "Extra delay for respondLate, e.g. 10m.") var delay: String?
            func run() async throws {
                var scope: [String: JSONValue] = [:]
                if let vendor { scope["vendor"] = .string(vendor) }
                if let account { scope["accountId"] = .string(account) }
                if let device { scope["deviceId"] = .string(device) }
                if let command { scope["command"] = .string(command) }
                var body: [String: JSONValue] = ["kind": .string(kind), "scope": .object(scope)]
                if let count { body["count"] = .number(Double(count)) }
                if let probability { body["probability"] = .number(probability) }
                if let delay { body["delaySeconds"] = .number(try KeyValueArguments.seconds(delay)) }
                try await server.call(.POST, "/sandbox/faults", body: .object(body))
            }
        }

        struct List: ListCall {
            static let configuration = CommandConfiguration(abstract: "List faults.")
            static let collection = "/sandbox/faults"
            @OptionGroup var server: ServerConnectionOptions
        }

        struct Remove: DeleteCall {
            static let configuration = CommandConfiguration(abstract: "Remove a fault.")
            static let collection = "/sandbox/faults"
            @OptionGroup var server: ServerConnectionOptions
            @Argument(help: "Fault id.") var id: String
        }
    }

    struct Clock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The simulation clock.", subcommands: [Show.self, Pause.self, Resume.self, Speed.self, Advance.self, Timing.self])

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show time, speed and pause state.")
            @OptionGroup var server: ServerConnectionOptions
            func run() async throws { try await server.call(.GET, "/sandbox/clock") }
        }

        struct Pause: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Stop time.")
            @OptionGroup var server: ServerConnectionOptions
            func run() async throws { try await server.call(.PATCH, "/sandbox/clock", body: ["isPaused": true]) }
        }

        struct Resume: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Let time run.")
            @OptionGroup var server: ServerConnectionOptions
            func run() async throws { try await server.call(.PATCH, "/sandbox/clock", body: ["isPaused": false]) }
        }

        struct Speed: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Set simulated seconds per real second.")
            @OptionGroup var server: ServerConnectionOptions
            @Argument(help: "Speed, e.g. 60.") var speed: Double
            func run() async throws { try await server.call(.PATCH, "/sandbox/clock", body: ["speed": .number(speed)]) }
        }

        struct Advance: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Advance time by a duration (90s, 15m, 2h, 1d), processing everything in order.")
            @OptionGroup var server: ServerConnectionOptions
            @Argument(help: "Duration.") var duration: String
            func run() async throws {
                try await server.call(.POST, "/sandbox/clock/advance", body: ["seconds": .number(try KeyValueArguments.seconds(duration))])
            }
        }

        struct Timing: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Command timing: ideal (instant) or realistic (vendor latency).")
            @OptionGroup var server: ServerConnectionOptions
            @Argument(help: "ideal or realistic.") var profile: String
            func run() async throws { try await server.call(.PATCH, "/sandbox/clock", body: ["timing": .string(profile)]) }
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete every account, device and fault of the client; with --keep-clients, start a new world in a stopped server's database.")
        @OptionGroup var server: ServerConnectionOptions
        @Flag(name: .customLong("keep-clients"), help: """
            Work on the database (--database) of a stopped server: delete the sandbox world and every user with the users' data, \
            keep API clients (secrets, webhooks, tariffs); the next `gridlink serve` starts a new world (--seed, --sim-start apply).
            """)
        var keepClients = false
        @OptionGroup var databaseOptions: DatabaseOptions

        func run() async throws {
            guard keepClients else { return try await server.call(.POST, "/sandbox/reset") }
            let logger = CommandLogging.oneShotLogger("gridlink")
            let servingLock = try databaseOptions.lockForServing(logger: logger)
            let store = try databaseOptions.openStore(logger: logger)
            try await store.whileRunning { store in
                try await store.migrate(at: SystemClock().now())
                // Users, actions and events of production clients are real data: never deleted by a sandbox reset.
                let production = try await store.read { try await $0.clients() }.filter { $0.environment == .production }
                guard production.isEmpty else {
                    throw ValidationError(
                        "--keep-clients deletes every user's data, and this database has production clients (\(production.map(\.id).joined(separator: ", "))): refused")
                }
                try await store.write { try await $0.deleteSandboxWorldKeepingClients() }
            }
            withExtendedLifetime(servingLock) {}
            print("Deleted the sandbox world and every user's data; API clients stay. The next `gridlink serve` starts a new world.")
        }
    }
}

/// `--device TYPE[:MODEL]` arguments as the device specs of a request body.
enum DeviceArguments {
    /// The JSON array of `{type, model?}` objects the arguments name.
    static func specs(_ arguments: [String]) -> JSONValue {
        .array(arguments.map { spec in
            let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
            return parts.count == 2 ? ["type": .string(parts[0]), "model": .string(parts[1])] : ["type": .string(spec)]
        })
    }
}

/// A command that lists a collection (up to 100 items, newest first).
protocol ListCall: AsyncParsableCommand {
    /// Path of the collection.
    static var collection: String { get }
    /// The server to call.
    var server: ServerConnectionOptions { get }
}

extension ListCall {
    func run() async throws { try await server.call(.GET, Self.collection + "?pageSize=100") }
}

/// A command that deletes one item of a collection by id.
protocol DeleteCall: AsyncParsableCommand {
    /// Path of the collection.
    static var collection: String { get }
    /// The server to call.
    var server: ServerConnectionOptions { get }
    /// The item's id.
    var id: String { get }
}

extension DeleteCall {
    func run() async throws { try await server.call(.DELETE, "\(Self.collection)/\(id)") }
}
