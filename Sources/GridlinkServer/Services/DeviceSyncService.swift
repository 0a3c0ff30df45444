import Foundation
import GridlinkCore
import Logging
import ServiceLifecycle

/// Polls linked vendor accounts when they are due (vendor poll intervals on the simulation clock).
struct DeviceSyncService: Service {
    let synchronizer: DeviceSynchronizer
    /// Wall time for the lease, which must not speed up with the simulation.
    let wallClock: any GridClock
    let logger: Logger
    /// Where rounds and their work are counted and timed.
    let metrics: ServerMetrics
    /// Real time between looks for due accounts.
    static let interval = Duration.milliseconds(250)
    /// This process's name in the sync lease, so only one process polls vendors at a time.
    let holder: String

    func run() async throws {
        await RepeatingRounds.run(every: Self.interval, logger: logger, metrics: metrics, name: "Device sync") { try await syncDue() }
    }

    /// Synchronizes every account that is due now.
    func syncDue() async throws {
        let wallNow = wallClock.now()
        let leased = try await synchronizer.store.write { [holder] in
            try await $0.acquireLease("device-sync", holder: holder, until: wallNow.addingTimeInterval(10), at: wallNow)
        }
        guard leased else { return }
        let due = try await synchronizer.store.read { [clock = synchronizer.clock] in try await $0.vendorLinksDue(at: clock.now(), limit: 100) }
        // A vendor account linked for several asset types has one row per type: read it once per round.
        var seen = Set<String>()
        for link in due where seen.insert("\(link.clientId)|\(link.userId)|\(link.accountRef)").inserted {
            let start = ContinuousClock.now
            do {
                try await synchronizer.sync(link)
                metrics.deviceSync(outcome: "ok", duration: ContinuousClock.now - start)
            } catch {
                metrics.deviceSync(outcome: "failed", duration: ContinuousClock.now - start)
                logger.warning("Sync of \(link.vendor) account for user \(link.userId) failed: \(error)")
            }
        }
    }
}
