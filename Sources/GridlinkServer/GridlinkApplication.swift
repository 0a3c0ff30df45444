import GridlinkCore
import GridlinkStore
import Hummingbird
import Logging

/// Where the HTTP server listens.
public struct ServerConfiguration: Sendable {
    /// Interface to bind.
    public var host: String
    /// Port to bind; 0 picks a free port.
    public var port: Int
    /// The connection cap and the client timeouts.
    public var connections: ConnectionLimits

    /// Creates a listening configuration.
    public init(host: String = "127.0.0.1", port: Int = 8080, connections: ConnectionLimits = ConnectionLimits()) {
        self.host = host
        self.port = port
        self.connections = connections
    }
}

/// Assembles the Gridlink HTTP application: router, middleware, controllers and services.
public enum GridlinkApplication {
    /// The router with every route registered, and the registry describing them.
    public static func makeRouter(dependencies: ServerDependencies) -> (Router<GridlinkRequestContext>, RouteTable) {
        let router = Router(context: GridlinkRequestContext.self)
        let registry = RouteRegistry(router: router, authenticator: Authenticator(dependencies: dependencies), dependencies: dependencies)
        router.add(middleware: RequestIdMiddleware())
        router.add(middleware: RequestLogMiddleware(metrics: dependencies.metrics))
        router.add(middleware: ProblemMiddleware(routes: registry.table))
        MetricsController(metrics: dependencies.metrics, token: dependencies.metricsToken, store: dependencies.store).register(in: registry)
        TokenController(dependencies: dependencies).register(in: registry)
        SystemController(dependencies: dependencies).register(in: registry)
        HealthController(connector: dependencies.connector).register(in: registry)
        InterventionsController().register(in: registry)
        UsersController(users: UserDirectory(dependencies: dependencies)).register(in: registry)
        SandboxController(
            sandbox: dependencies.sandbox, backgroundRound: dependencies.backgroundRound, departures: dependencies.clientDepartures,
            store: dependencies.store
        ).register(in: registry)
        SandboxLinkController(linking: dependencies.sandboxLinking).register(in: registry)
        SandboxEventsController(store: dependencies.store, wallClock: dependencies.wallClock).register(in: registry)
        SandboxFixtureController(sandbox: dependencies.sandbox, store: dependencies.store).register(in: registry)
        LinkController(dependencies: dependencies, connectionLimit: dependencies.connectionLimit).register(in: registry)
        LinkUIController(dependencies: dependencies).register(in: registry)
        let synchronizer = dependencies.synchronizer
        ActionsController(service: dependencies.actionService).register(in: registry)
        let webhooks = WebhooksController(store: dependencies.store, clock: dependencies.clock, sender: WebhookSender(wallClock: dependencies.wallClock))
        webhooks.registerFirehose(in: registry)
        webhooks.register(in: registry)
        webhooks.registerLog(in: registry)
        let locations = LocationsController(store: dependencies.store, clock: dependencies.clock)
        locations.register(in: registry)
        TariffsController(store: dependencies.store, clock: dependencies.clock, locations: locations).register(in: registry)
        SandboxPricesController(store: dependencies.store, clock: dependencies.clock, prices: PriceService(store: dependencies.store), locations: locations)
            .register(in: registry)
        SchedulesController(store: dependencies.store, clock: dependencies.clock, runner: dependencies.scheduleRunner).register(in: registry)
        SmartChargingController(store: dependencies.store, clock: dependencies.clock, runner: dependencies.smartChargingRunner).register(in: registry)
        let statistics = StatisticsController(service: StatisticsService(store: dependencies.store, clock: dependencies.clock))
        statistics.register(in: registry)
        statistics.registerProduction(in: registry)
        let inverterStatistics = InverterStatisticsController(service: StatisticsService(store: dependencies.store, clock: dependencies.clock))
        inverterStatistics.register(in: registry)
        inverterStatistics.registerVendorStatistics(in: registry)
        HemSystemsController(service: StatisticsService(store: dependencies.store, clock: dependencies.clock)).register(in: registry)
        for kind in AssetsController.Kind.all {
            AssetsController(kind: kind, dependencies: dependencies, synchronizer: synchronizer).register(in: registry)
        }
        return (router, registry.table)
    }

    /// The runnable application: migrates the store before serving, and runs the store's service alongside.
    ///
    /// With `runsBackgroundWork: false` the device sync, action executor, webhook dispatcher, schedule and smart-charging runners and the
    /// link session purge do not run on their own (tests drive them step by step); the store and the simulation always run.
    /// `prepare` runs once the database is migrated and the sandbox world loaded, before the server accepts requests.
    public static func build(
        configuration: ServerConfiguration, dependencies: ServerDependencies, runsBackgroundWork: Bool = true,
        prepare: @escaping @Sendable () async throws -> Void = {},
        onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in }
    ) -> some ApplicationProtocol {
        let (router, _) = makeRouter(dependencies: dependencies)
        let governor = ConnectionGovernor(limits: configuration.connections, logger: dependencies.logger)
        dependencies.metrics.observeConnections { governor.openConnections }
        var application = Application(
            router: router,
            server: .guardedHTTP1(governor: governor, departures: dependencies.clientDepartures),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "Gridlink", backlog: 1_024,
                availableConnectionsDelegate: .maximum(configuration.connections.maxConnections, logger: dependencies.logger)),
            // Shut down in reverse: the background work stops first, then this server's holds are released, then the store closes.
            services: [dependencies.store.database, dependencies.processHolds, SimulationService(runtime: dependencies.sandbox, logger: dependencies.logger, metrics: dependencies.metrics)]
                + (runsBackgroundWork ? [dependencies.deviceSync, dependencies.actionExecutor, dependencies.webhookDispatcher, dependencies.scheduleRunner,
                                        dependencies.smartChargingRunner, dependencies.linkSessionPurger] : []),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                dependencies.publicOrigin.listen(host: configuration.host, port: port)
                await onListening(configuration.host, port)
            },
            logger: dependencies.logger)
        application.beforeServerStarts {
            let applied = try await dependencies.store.migrate(at: dependencies.wallClock.now())
            if !applied.isEmpty { dependencies.logger.info("Applied migrations \(applied)") }
            let released = try await dependencies.processHolds.releaseEnded()
            if !released.isEmpty {
                dependencies.logger.notice("Released the leases and claims of \(released.count) ended earlier process(es) on this host: \(released)")
            }
            try await dependencies.sandbox.load()
            try await prepare()
        }
        return application
    }
}
