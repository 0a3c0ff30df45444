import Foundation
import GridlinkCore
import GridlinkStore
import Logging
import ServiceLifecycle

/// Deletes link sessions an hour after they expired or were used, shortly after start-up and every 10 minutes of wall time.
struct LinkSessionPurger: Service {
    let store: Store
    /// Wall time: retention must not shorten with a fast simulation.
    let wallClock: any GridClock
    let logger: Logger
    /// Where rounds and their work are counted and timed.
    let metrics: ServerMetrics
    /// How long a spent or expired session is kept, so a revisited link still explains that it was used or expired.
    static let retention: TimeInterval = 3600
    /// Wall time between two purges.
    static let interval: TimeInterval = 600
    /// Most sessions one purging transaction deletes.
    static let chunk = 1000

    /// Purges a second after start-up and then every ``interval``, looking at the clock every second so shutdown is prompt.
    func run() async throws {
        var nextPurge = wallClock.now()
        await RepeatingRounds.run(every: .seconds(1), logger: logger, metrics: metrics, name: "Link session purge") {
            let now = wallClock.now()
            guard now >= nextPurge else { return }
            nextPurge = now.addingTimeInterval(Self.interval)
            try await purge()
        }
    }

    /// Deletes sessions that expired or were used more than ``retention`` ago, in short transactions; returns how many.
    @discardableResult
    func purge() async throws -> Int {
        let cutoff = wallClock.now().addingTimeInterval(-Self.retention)
        return try await store.deleteInChunks(of: Self.chunk) { try await $0.purgeLinkSessions(before: cutoff, limit: $1) }
    }
}
