import Logging
import ServiceLifecycle

/// The loop of Gridlink's background services: one round every `interval` of real time until shutdown; a failed
/// round is logged and the next one runs as usual. Each round's duration and lag (how much later than `interval` after
/// the previous round it started) go to the metrics under `name`.
enum RepeatingRounds {
    /// Runs `round` repeatedly until the task is cancelled or the service group shuts down.
    static func run(every interval: Duration, logger: Logger, metrics: ServerMetrics, name: String, _ round: () async throws -> Void) async {
        var previousEnd = ContinuousClock.now
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: interval)
            let start = ContinuousClock.now
            let lag = max(.zero, start - previousEnd - interval)
            do {
                try await round()
            } catch {
                logger.debug("\(name) round failed: \(error)")
            }
            previousEnd = ContinuousClock.now
            metrics.backgroundRound(service: name, duration: previousEnd - start, lag: lag)
        }
    }
}
