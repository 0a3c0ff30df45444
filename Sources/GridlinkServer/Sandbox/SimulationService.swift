import Foundation
import Logging
import ServiceLifecycle

/// Keeps the sandbox world moving with its clock and checkpoints it; saves a last time on shutdown. On a shared
/// database it also renews or takes the simulation lease and picks up worlds other processes saved.
struct SimulationService: Service {
    let runtime: SandboxRuntime
    let logger: Logger
    /// Where rounds and their work are counted and timed.
    let metrics: ServerMetrics
    /// Real time between catch-ups.
    static let interval = Duration.milliseconds(200)
    /// Catch-ups between checkpoints (about 5 s of real time alone, 1 s when other processes read the saved world).
    static func checkpointEvery(shared: Bool) -> Int { shared ? 5 : 25 }
    /// Rounds between renewals of the simulation lease (about 1 s).
    static let leaseEvery = 5

    func run() async throws {
        var round = 0
        let checkpointEvery = Self.checkpointEvery(shared: runtime.isShared)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: Self.interval)
            round += 1
            let start = ContinuousClock.now
            do {
                try await runtime.round(round, leaseEvery: Self.leaseEvery, checkpointEvery: checkpointEvery)
                metrics.sandboxTick(duration: ContinuousClock.now - start)
            } catch {
                logger.debug("Simulation step skipped: \(error)")
            }
        }
        do { try await runtime.shutDown() } catch { logger.error("Final sandbox checkpoint failed: \(error)") }
    }
}
