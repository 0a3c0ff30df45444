import Foundation
import Synchronization

/// The source of "now" for every component that reads, waits on or schedules time.
public protocol GridClock: Sendable {
    /// The current instant on this clock.
    func now() -> Date
}

/// A clock that follows the machine's wall time.
public struct SystemClock: GridClock {
    /// Creates a wall-time clock.
    public init() {}

    /// The machine's current time.
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to, for deterministic tests.
public final class ManualClock: GridClock {
    private let current: Mutex<Date>

    /// Creates a manual clock standing at `start`.
    public init(start: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        self.current = Mutex(start)
    }

    /// The instant the clock was last set or advanced to.
    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// Sets the clock to `date`.
    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}
