import Foundation
import GridlinkCore
import Synchronization

/// The sandbox's clock: simulation time that follows a base (wall) clock at a chosen speed, and can be paused,
/// resumed and jumped forward.
public final class SimulationClock: GridClock {
    /// A serializable description of the clock.
    public struct Setting: Sendable, Codable, Equatable {
        /// Simulation time at the anchor.
        public var simulationTime: Date
        /// Simulated seconds per real second.
        public var speed: Double
        /// Whether time stands still.
        public var isPaused: Bool

        /// A setting at `simulationTime`, running at `speed` unless `isPaused`.
        public init(simulationTime: Date, speed: Double, isPaused: Bool) {
            self.simulationTime = simulationTime
            self.speed = speed
            self.isPaused = isPaused
        }
    }

    private struct Anchor {
        var base: Date
        var simulation: Date
        var speed: Double
        var isPaused: Bool
    }

    private let base: any GridClock
    private let anchor: Mutex<Anchor>

    /// A clock standing at `start`, running at `speed` relative to `base`.
    public init(base: any GridClock, start: Date, speed: Double = 1, isPaused: Bool = false) {
        self.base = base
        self.anchor = Mutex(Anchor(base: base.now(), simulation: start, speed: speed, isPaused: isPaused))
    }

    /// The current simulation time.
    public func now() -> Date {
        let baseNow = base.now()
        return anchor.withLock { Self.time(of: $0, at: baseNow) }
    }

    /// The clock's speed, pause state and current time.
    public var setting: Setting {
        let baseNow = base.now()
        return anchor.withLock { Setting(simulationTime: Self.time(of: $0, at: baseNow), speed: $0.speed, isPaused: $0.isPaused) }
    }

    /// Stops time.
    public func pause() { rebase { $0.isPaused = true } }

    /// Lets time run again.
    public func resume() { rebase { $0.isPaused = false } }

    /// Sets simulated seconds per real second.
    public func setSpeed(_ speed: Double) { rebase { $0.speed = speed } }

    /// Jumps forward by `seconds` of simulation time.
    public func advance(by seconds: TimeInterval) { rebase { $0.simulation = $0.simulation.addingTimeInterval(seconds) } }

    /// Sets the simulation time.
    public func set(_ date: Date) { rebase { $0.simulation = date } }

    /// Sets time, speed and pause state at once.
    public func apply(_ setting: Setting) {
        rebase {
            $0.simulation = setting.simulationTime
            $0.speed = setting.speed
            $0.isPaused = setting.isPaused
        }
    }

    /// Takes over another process's clock: `setting` as it stood when the base clock read `base` (a running clock has moved on since).
    public func adopt(_ setting: Setting, at base: Date) {
        anchor.withLock { $0 = Anchor(base: base, simulation: setting.simulationTime, speed: setting.speed, isPaused: setting.isPaused) }
    }

    private func rebase(_ change: (inout Anchor) -> Void) {
        let baseNow = base.now()
        anchor.withLock { anchor in
            anchor.simulation = Self.time(of: anchor, at: baseNow)
            anchor.base = baseNow
            change(&anchor)
        }
    }

    private static func time(of anchor: Anchor, at baseNow: Date) -> Date {
        guard !anchor.isPaused else { return anchor.simulation }
        return anchor.simulation.addingTimeInterval(baseNow.timeIntervalSince(anchor.base) * anchor.speed)
    }
}
