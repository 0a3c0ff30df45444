import ArgumentParser
import Foundation
import GridlinkCore
import GridlinkServer
import GridlinkStore
import Hummingbird
import Logging

/// The `gridlink` command line.
@main
struct Gridlink: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gridlink",
        abstract: "A self-hostable, Enode-compatible energy-device API server with a simulated sandbox.",
        subcommands: [Serve.self, Migrate.self, Clients.self, Sandbox.self])
}

/// Options naming the database every command works on.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "SQLite file path (default ./gridlink.sqlite) or postgres://user:password@host:port/database URL. Env: GRIDLINK_DATABASE_URL.")
    var database: String = ProcessInfo.processInfo.environment["GRIDLINK_DATABASE_URL"] ?? "gridlink.sqlite"

    /// Opens the store the options name.
    func openStore(logger: Logger) throws -> Store {
        try Store.open(url: database, logger: logger)
    }

    /// Claims a SQLite database for this serving process (nil for PostgreSQL, which several processes share); exits with a
    /// message when another server holds it.
    func lockForServing(logger: Logger) throws -> ServingLock? {
        guard let path = try Store.sqlitePath(of: database) else { return nil }
        do {
            return try ServingLock(databasePath: path)
        } catch StoreError.databaseInUse(let reason) {
            logger.critical("Refusing to start: \(reason)")
            throw ExitCode.failure
        }
    }
}

/// Bootstraps logging once: human-readable lines on standard output for the server, on standard error for
/// one-shot commands, whose standard output is their answer (`clients create --json`).
enum CommandLogging {
    /// How the server writes its log lines.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    static func logger(_ label: String, format: Format = .text) -> Logger {
        switch format {
        case .text: LoggingSystem.bootstrap { StreamLogHandler.standardOutput(label: $0) }
        case .json: LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        }
        return Logger(label: label)
    }

    static func oneShotLogger(_ label: String) -> Logger {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        return Logger(label: label)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP API server (migrates the database first).")

    @Option(help: "Interface to bind. Env: GRIDLINK_HOST.")
    var host: String = ProcessInfo.processInfo.environment["GRIDLINK_HOST"] ?? "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free port. Env: GRIDLINK_PORT.")
    var port: Int = ProcessInfo.processInfo.environment["GRIDLINK_PORT"].flatMap(Int.init) ?? 8080

    @Option(name: .customLong("sim-speed"), help: "Simulated seconds per real second for the sandbox clock (default: 1, or the stored speed).")
    var simSpeed: Double?

    @Option(help: "Seed of a new sandbox world; the same seed and control calls give the same device histories.")
    var seed: UInt64?

    @Option(name: .customLong("sim-start"), help: "Start time of a new sandbox world, ISO 8601 (default: now).")
    var simStart: String?

    @Option(name: .customLong("connection-limit"), help: "Most vendor accounts one client's users may link; beyond it link sessions get 403.")
    var connectionLimit: Int = 10_000

    @Option(name: .customLong("max-connections"), help: "Most HTTP connections open at once (default: sized from the open-file limit). Env: GRIDLINK_MAX_CONNECTIONS.")
    var maxConnections: Int?

    @Option(name: .customLong("idle-timeout"), help: "Seconds a connection may wait without a request before it is closed.")
    var idleTimeout: Double = 30

    @Option(name: .customLong("header-timeout"), help: "Seconds a request head may take to arrive once it has begun.")
    var headerTimeout: Double = 10

    @Option(name: .customLong("body-timeout"), help: "Seconds a request body may stall before the connection is closed.")
    var bodyTimeout: Double = 30

    @Option(name: .customLong("public-url"), help: "Base URL clients and browsers reach this server at, e.g. https://gridlink.example.com; link URLs start with it (default: http://HOST:PORT). Env: GRIDLINK_PUBLIC_URL.")
    var publicURL: String?

    @Flag(help: "On a database without API clients, set up a ready sandbox (a client, a user with a linked car and charger at one home, a priced location, smart charging) and print its credentials and commands to try.")
    var demo = false

    @Option(name: .customLong("sandbox-fixture"), help: "Load this fixture (GET /sandbox/export) into a sandbox client's sandbox at every start.")
    var sandboxFixture: String?

    @Option(name: .customLong("fixture-client"), help: "The sandbox client --sandbox-fixture is for (default: the database's only sandbox client).")
    var fixtureClient: String?

    /// `--public-url`, else `GRIDLINK_PUBLIC_URL`.
    private var configuredPublicURL: String? { publicURL ?? ProcessInfo.processInfo.environment["GRIDLINK_PUBLIC_URL"] }

    @Option(name: .customLong("log-format"), help: "Log lines as readable text or as one JSON object per line (text|json). Env: GRIDLINK_LOG_FORMAT.")
    var logFormat: CommandLogging.Format = ProcessInfo.processInfo.environment["GRIDLINK_LOG_FORMAT"].flatMap(CommandLogging.Format.init) ?? .text

    @Option(name: .customLong("metrics-token"), help: "Bearer token that GET /metrics requires; without it /metrics is off. Env: GRIDLINK_METRICS_TOKEN.")
    var metricsToken: String?

    @OptionGroup var sandboxLimits: SandboxLimitOptions

    @OptionGroup var databaseOptions: DatabaseOptions

    /// The connection cap and timeouts the options name.
    var connectionLimits: ConnectionLimits {
        var limits = ConnectionLimits(
            idleTimeout: .milliseconds(Int64(idleTimeout * 1000)), headerTimeout: .milliseconds(Int64(headerTimeout * 1000)),
            bodyTimeout: .milliseconds(Int64(bodyTimeout * 1000)))
        if let cap = maxConnections ?? ProcessInfo.processInfo.environment["GRIDLINK_MAX_CONNECTIONS"].flatMap(Int.init) {
            limits.maxConnections = cap
        }
        return limits
    }

    func validate() throws {
        if connectionLimit < 0 { throw ValidationError("--connection-limit must not be negative") }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        if let token = metricsToken ?? ProcessInfo.processInfo.environment["GRIDLINK_METRICS_TOKEN"], token.count < 16 {
            throw ValidationError("--metrics-token (or GRIDLINK_METRICS_TOKEN) must be at least 16 characters")
        }
        for (flag, seconds) in [("--idle-timeout", idleTimeout), ("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout)]
        where !(seconds >= 0.1 && seconds <= 86_400) {
            throw ValidationError("\(flag) must be between 0.1 and 86400 seconds")
        }
        if let configuredPublicURL {
            do { _ = try PublicURL(validating: configuredPublicURL) } catch { throw ValidationError("--public-url: \(error)") }
        }
        if fixtureClient != nil && sandboxFixture == nil { throw ValidationError("--fixture-client needs --sandbox-fixture") }
        if let simSpeed, !(simSpeed > 0 && simSpeed <= 100_000) { throw ValidationError("--sim-speed must be greater than 0 and at most 100000") }
        if let simStart, (try? Date(simStart, strategy: .iso8601)) == nil { throw ValidationError("--sim-start must be an ISO 8601 time such as 2026-06-01T00:00:00Z") }
    }

    func run() async throws {
        let logger = CommandLogging.logger("gridlink", format: logFormat)
        let servingLock = try databaseOptions.lockForServing(logger: logger)
        let simulation = SimulationOptions(speed: simSpeed, seed: seed, start: try simStart.map { try Date($0, strategy: .iso8601) }, limits: sandboxLimits.limits)
        let dependencies = ServerDependencies(
            store: try databaseOptions.openStore(logger: logger), wallClock: SystemClock(), simulation: simulation,
            connectionLimit: connectionLimit, publicURL: try configuredPublicURL.map { try PublicURL(validating: $0) },
            metricsToken: metricsToken ?? ProcessInfo.processInfo.environment["GRIDLINK_METRICS_TOKEN"], logger: logger)
        let outcome = DemoOutcome()
        let application = GridlinkApplication.build(
            configuration: ServerConfiguration(host: host, port: port, connections: connectionLimits), dependencies: dependencies,
            prepare: { [demo, sandboxFixture, fixtureClient] in
                if let sandboxFixture {
                    let file = SandboxFixtureFile(path: sandboxFixture, clientId: fixtureClient)
                    let clientId = try await file.load(into: dependencies)
                    logger.info("Loaded sandbox fixture \(sandboxFixture) into client \(clientId)")
                }
                guard demo else { return }
                let created = try await DemoSetup(dependencies: dependencies).run()
                await outcome.record(created.map(DemoState.created) ?? .skipped)
            }
        ) { host, port in
            let database = StoreDescription.redacted(databaseOptions.database)
            logger.info("Gridlink listening on http://\(host):\(port) (database: \(database), at most \(connectionLimits.maxConnections) connections)")
            let url = "\(dependencies.publicOrigin.url)"
            let guide = StartupGuide.lines(url: url, demo: await outcome.state)
            // Plain lines to copy, written unbuffered so they show at once even through a pipe. The demo's secret and token
            // never go through the logger (a log collector): with JSON logs they go to standard error, which keeps standard
            // output one JSON object per line.
            (logFormat == .json ? FileHandle.standardError : FileHandle.standardOutput).write(Data((guide.joined(separator: "\n") + "\n").utf8))
        }
        try await application.runService()
        withExtendedLifetime(servingLock) {}
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        let store = try databaseOptions.openStore(logger: CommandLogging.oneShotLogger("gridlink"))
        let applied = try await store.whileRunning { try await $0.migrate(at: SystemClock().now()) }
        print(applied.isEmpty
            ? "Database is up to date (schema version \(Migrator.latestVersion))."
            : "Applied migrations \(applied.map(String.init).joined(separator: ", ")).")
    }
}

/// Hides the password of a database URL for logs.
enum StoreDescription {
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}
