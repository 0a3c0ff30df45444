import GridlinkStore
import Logging
import ServiceLifecycle

/// Releases leases and claims when they are known to be stale, so background work does not stall until they expire: at start
/// those of this host's earlier processes that have ended (a crash, `kill -9`), at a clean shutdown this process's own.
struct ProcessHolds: Service {
    let store: Store
    let identity: ProcessIdentity
    let logger: Logger

    /// Releases the holds of earlier processes on this host that have ended; returns their names.
    @discardableResult
    func releaseEnded() async throws -> [String] {
        try await store.write { [identity] session in
            let ended = try await session.holders().filter { name in
                ProcessIdentity(holderName: name).map { identity.hasOutlived($0) } ?? false
            }.sorted()
            try await session.releaseHolds(of: ended)
            return ended
        }
    }

    /// Waits for the graceful shutdown, after the background services listed later have stopped, and releases this process's holds.
    func run() async throws {
        guard (try? await gracefulShutdown()) != nil else { return }
        do {
            try await store.write { [name = identity.holderName] in try await $0.releaseHolds(of: [name]) }
        } catch {
            logger.warning("Could not release this process's leases and claims at shutdown: \(error)")
        }
    }
}
