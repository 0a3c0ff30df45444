import Logging
import ServiceLifecycle

/// The loop of Gridlink's background services: one round every `interval` of real time until shutdown; a failed
/// round is logged and the next one runs as usual.
enum RepeatingRounds {
    /// Runs `round` repeatedly until the task is cancelled or the service group shuts down.
    static func run(every interval: Duration, logger: Logger, name: String, _ round: () async throws -> Void) async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: interval)
            do {
                try await round()
            } catch {
                logger.debug("\(name) round failed: \(error)")
            }
        }
    }
}
