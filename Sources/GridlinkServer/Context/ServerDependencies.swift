import GridlinkCore
import GridlinkSandbox
import GridlinkStore
import Logging

/// What request handlers and background services share: the store, the clocks, the sandbox and the logger.
public struct ServerDependencies: Sendable {
    /// Persistence.
    public let store: Store
    /// Simulation time: the clock every domain component reads (schedules, actions, physics).
    public let clock: any GridClock
    /// Wall time: token lifetimes and secret rotation, which must not run faster with the simulation.
    public let wallClock: any GridClock
    /// The live sandbox world.
    public let sandbox: SandboxRuntime
    /// Root logger.
    public let logger: Logger
    /// Most vendor accounts one client's users may link (403 beyond).
    public let connectionLimit: Int
    /// Where absolute links to this server point (the Link UI's `linkUrl`).
    public let publicOrigin: PublicOrigin
    /// Clients that left mid-request, so long work for them stops.
    public let clientDepartures = ClientDepartures()
    /// This server's metrics, served at `/metrics`.
    public let metrics: ServerMetrics
    /// The hash of the bearer token `/metrics` requires; nil leaves `/metrics` off.
    public let metricsToken: SecretHash?

    /// The vendor connector: the sandbox today.
    var connector: any VendorConnector { SandboxConnector(runtime: sandbox) }

    /// Who this server is in leases and claims.
    let identity = ProcessIdentity.forThisProcess()
    /// This server's name in leases and claims.
    var processName: String { identity.holderName }

    /// Releases stale leases and claims at start and this server's own at a clean shutdown.
    var processHolds: ProcessHolds { ProcessHolds(store: store, identity: identity, logger: logger) }

    /// Polls linked vendor accounts when due, under the process's lease.
    var deviceSync: DeviceSyncService {
        DeviceSyncService(synchronizer: synchronizer, wallClock: wallClock, logger: logger, metrics: metrics, holder: processName)
    }

    /// Drives pending actions, claimed under the process's name.
    var actionExecutor: ActionExecutor {
        ActionExecutor(store: store, connector: connector, clock: clock, wallClock: wallClock, logger: logger, metrics: metrics, holder: processName)
    }

    /// Delivers outbox events to webhooks, claiming work under the process's name.
    var webhookDispatcher: WebhookDispatcher {
        WebhookDispatcher(store: store, clock: clock, wallClock: wallClock, sender: WebhookSender(wallClock: wallClock), logger: logger, metrics: metrics, holder: processName)
    }

    /// Evaluates schedules and drives their targets, under the process's name.
    var scheduleRunner: ScheduleRunner {
        ScheduleRunner(store: store, clock: clock, connector: connector, wallClock: wallClock, logger: logger, metrics: metrics, holder: processName)
    }

    /// Deletes spent and expired link sessions.
    var linkSessionPurger: LinkSessionPurger { LinkSessionPurger(store: store, wallClock: wallClock, logger: logger, metrics: metrics) }

    /// Creates and cancels actions.
    var actionService: ActionService { ActionService(store: store, clock: clock, connector: connector) }

    /// Plans and executes smart charging, under the process's name.
    var smartChargingRunner: SmartChargingRunner {
        SmartChargingRunner(store: store, clock: clock, wallClock: wallClock, logger: logger, metrics: metrics, actions: actionService, holder: processName)
    }

    /// One synchronous pass of the clock-driven services (stepped sandbox advances and tests).
    var backgroundRound: BackgroundRound {
        BackgroundRound(deviceSync: deviceSync, actionExecutor: actionExecutor, scheduleRunner: scheduleRunner, smartChargingRunner: smartChargingRunner)
    }

    /// Reads linked vendor accounts into users' assets.
    var synchronizer: DeviceSynchronizer { DeviceSynchronizer(store: store, connector: connector, clock: clock) }

    /// Links vendor accounts to users (the Link UI's last step, and headless sandbox linking).
    var accountLinker: AccountLinker { AccountLinker(store: store, synchronizer: synchronizer, clock: clock) }

    /// Links sandbox accounts to users without the Link UI.
    var sandboxLinking: SandboxLinking {
        SandboxLinking(sandbox: sandbox, connector: connector, linker: accountLinker, connectionLimit: connectionLimit)
    }

    /// Wires the dependencies; the domain clock is the sandbox's simulation clock over `wallClock`. Links point at
    /// `publicURL`, or at the listening address when it is nil.
    public init(
        store: Store, wallClock: any GridClock, simulation: SimulationOptions = .init(), connectionLimit: Int = 10_000,
        publicURL: PublicURL? = nil, metricsToken: String? = nil, logger: Logger
    ) {
        let metrics = ServerMetrics()
        var store = store
        store.waitObserver = { metrics.databaseWait(access: $0.rawValue, duration: $1) }
        self.store = store
        self.metrics = metrics
        self.metricsToken = metricsToken.map { SecretHash.make(secret: $0) }
        self.connectionLimit = connectionLimit
        self.publicOrigin = PublicOrigin(configured: publicURL)
        self.wallClock = wallClock
        self.logger = logger
        self.sandbox = SandboxRuntime(store: store, wallClock: wallClock, options: simulation, holder: identity.holderName, logger: logger)
        self.clock = sandbox.clock
    }
}
