import Foundation

/// When failed deliveries are retried and when a failing webhook is given up.
public enum WebhookRetryPolicy {
    /// Delays after the 1st, 2nd, … failed attempt, seconds; the last repeats until the budget is spent.
    public static let delays: [TimeInterval] = [30, 60, 120, 300, 600, 1200, 2400, 3600, 7200, 10_800, 14_400]

    /// How long a webhook may keep failing before its pending events are dropped and it becomes inactive.
    public static func budget(for environment: ClientEnvironment) -> TimeInterval {
        environment == .sandbox ? 5 * 60 : 24 * 3600
    }

    /// Whether a run of failures that began at `failingSince` has spent `budget` at `now`. Times are stored in whole
    /// milliseconds, rounded, so a stored `failingSince` can read up to half a millisecond late; the comparison
    /// allows a millisecond for it, or the try scheduled on the budget would find it not quite spent.
    public static func isSpent(failingSince: Date, at now: Date, budget: TimeInterval) -> Bool {
        now.timeIntervalSince(failingSince) >= budget - 0.001
    }

    /// When to try again after `attempts` failures, the last at `now`, in a run of failures that began at
    /// `failingSince`: after the jittered ``delay(afterFailures:random:)``, but no later than the moment the run
    /// spends `budget`, so the last try (which gives the webhook up when it fails) falls on the budget.
    public static func nextAttempt(afterFailures attempts: Int, at now: Date, failingSince: Date, budget: TimeInterval, random: Double) -> Date {
        min(now.addingTimeInterval(delay(afterFailures: attempts, random: random)), max(now, failingSince.addingTimeInterval(budget)))
    }

    /// The delay before the next attempt after `attempts` failures, with ±10 % jitter from `random` (0..<1).
    public static func delay(afterFailures attempts: Int, random: Double) -> TimeInterval {
        let base = delays[min(max(attempts - 1, 0), delays.count - 1)]
        return base * (0.9 + 0.2 * random)
    }
}
