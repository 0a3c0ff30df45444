import Foundation
import Logging
import ServiceLifecycle

/// Keeps the sandbox world moving with its clock and checkpoints it; saves a last time on shutdown.
struct SimulationService: Service {
    let runtime: SandboxRuntime
    let logger: Logger
    /// Real time between catch-ups.
    static let interval = Duration.milliseconds(200)
    /// Catch-ups between checkpoints (about 5 s of real time).
    static let checkpointEvery = 25

    func run() async throws {
        var round = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: Self.interval)
            round += 1
            do {
                try await runtime.catchUp()
                if round % Self.checkpointEvery == 0 { try await runtime.persist() }
            } catch {
                logger.debug("Simulation step skipped: \(error)")
            }
        }
        do { try await runtime.persist() } catch { logger.error("Final sandbox checkpoint failed: \(error)") }
    }
}
