import GridlinkCore
import GridlinkStore
import Logging

/// What request handlers and background services share: the store, the clock and the logger.
public struct ServerDependencies: Sendable {
    /// Persistence.
    public let store: Store
    /// The one clock everything reads.
    public let clock: any GridClock
    /// Root logger.
    public let logger: Logger

    /// Bundles the shared dependencies.
    public init(store: Store, clock: any GridClock, logger: Logger) {
        self.store = store
        self.clock = clock
        self.logger = logger
    }
}
