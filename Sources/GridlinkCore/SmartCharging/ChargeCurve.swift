import Foundation

/// How much of the available power a battery accepts as it fills: full power up to ``taperStart``, then a linear
/// taper to ``taperFloor`` at 100 %. The sandbox physics charges along it and the smart-charging planner plans with it.
public struct ChargeCurve: Sendable, Equatable {
    /// Level (%) above which charge power tapers.
    public let taperStart: Double
    /// Fraction of full power left at 100 %.
    public let taperFloor: Double

    /// The curve every simulated EV follows.
    public static let standard = ChargeCurve(taperStart: 80, taperFloor: 0.2)

    /// Creates a curve.
    public init(taperStart: Double, taperFloor: Double) {
        self.taperStart = taperStart
        self.taperFloor = taperFloor
    }

    /// Fraction of the available power the battery accepts at `level`.
    public func factor(at level: Double) -> Double {
        guard level > taperStart else { return 1 }
        return max(taperFloor, 1 - (1 - taperFloor) * (level - taperStart) / (100 - taperStart))
    }

    /// Charges from `level` toward `limit` for `seconds` at `powerKW` (before taper) in steps of at most `step`
    /// seconds; returns the new level, the energy delivered (kWh) and the seconds spent before the limit was reached.
    public func charge(from level: Double, limit: Double, capacityKWh: Double, powerKW: Double, seconds: Double,
                       step: Double = 10) -> (level: Double, energyKWh: Double, seconds: Double) {
        var level = level
        var energy = 0.0
        var elapsed = 0.0
        guard capacityKWh > 0, powerKW > 0 else { return (level, 0, 0) }
        while elapsed < seconds - 1e-9, level < limit - 1e-9 {
            let dt = min(step, seconds - elapsed)
            let power = powerKW * factor(at: level)
            let room = (limit - level) / 100 * capacityKWh
            let delivered = power * dt / 3600
            if delivered >= room {
                energy += room
                elapsed += dt * room / delivered
                level = limit
                break
            }
            energy += delivered
            level += delivered / capacityKWh * 100
            elapsed += dt
        }
        return (level, energy, elapsed)
    }
}
