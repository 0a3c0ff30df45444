import Foundation
import GridlinkCore

/// How an EV charges, drives and reports.
public enum VehiclePhysics {
    /// The charge curve every simulated car follows (shared with the smart-charging planner).
    public static let curve = ChargeCurve.standard

    /// Fraction of the available power the battery accepts at `level`.
    public static func taper(at level: Double) -> Double {
        curve.factor(at: level)
    }

    /// The largest power the car can draw from a plug offering `plugLimitKW` with `phases`, before taper.
    public static func availablePower(_ vehicle: VehicleState, plugLimitKW: Double, phases: Int) -> Double {
        var limit = min(vehicle.maxACKW, plugLimitKW)
        if let maxCurrent = vehicle.maxCurrent { limit = min(limit, maxCurrent * Double(phases) * 230 / 1000) }
        return max(0, limit)
    }

    /// Charges for `seconds` at up to `availableKW`; stops exactly at the charge limit. Returns the average power.
    @discardableResult
    public static func charge(_ vehicle: inout VehicleState, availableKW: Double, seconds: Double) -> Double {
        guard vehicle.batteryLevel < vehicle.chargeLimit, availableKW > 0, seconds > 0 else {
            vehicle.chargeRateKW = 0
            return 0
        }
        let power = availableKW * taper(at: vehicle.batteryLevel)
        let gained = power * seconds / 3600 / vehicle.capacityKWh * 100
        let room = vehicle.chargeLimit - vehicle.batteryLevel
        if gained >= room {
            vehicle.batteryLevel = vehicle.chargeLimit
            vehicle.chargeRateKW = 0
            return power * room / gained
        }
        vehicle.batteryLevel += gained
        vehicle.chargeRateKW = power
        return power
    }

    /// Drives the current trip for `seconds`: uses energy, moves the car and grows the odometer.
    public static func drive(_ vehicle: inout VehicleState, seconds: Double) {
        guard var trip = vehicle.trip else { return }
        let range = vehicle.batteryLevel / 100 * vehicle.capacityKWh * vehicle.kmPerKWh
        let distance = min(trip.remainingKm, trip.speedKmh * seconds / 3600, range)
        vehicle.batteryLevel = max(0, vehicle.batteryLevel - distance / vehicle.kmPerKWh / vehicle.capacityKWh * 100)
        vehicle.odometerKm += distance
        let heading = trip.headingDegrees * .pi / 180
        vehicle.latitude += distance * cos(heading) / 111.32
        vehicle.longitude += distance * sin(heading) / (111.32 * max(0.01, cos(vehicle.latitude * .pi / 180)))
        trip.remainingKm -= distance
        vehicle.trip = trip.remainingKm > 1e-9 && vehicle.batteryLevel > 0 ? trip : nil
    }

    /// The power delivery state implied by the car's state.
    public static func powerDeliveryState(_ vehicle: VehicleState) -> String {
        guard vehicle.isPluggedIn else { return "UNPLUGGED" }
        if vehicle.chargeRateKW > 0 { return "PLUGGED_IN:CHARGING" }
        if vehicle.batteryLevel >= vehicle.chargeLimit { return "PLUGGED_IN:COMPLETE" }
        if vehicle.noPower { return "PLUGGED_IN:NO_POWER" }
        return "PLUGGED_IN:STOPPED"
    }

    /// Estimated range, km.
    public static func range(_ vehicle: VehicleState) -> Double {
        vehicle.batteryLevel / 100 * vehicle.capacityKWh * vehicle.kmPerKWh
    }

    /// Minutes until the charge limit at the current power, following the taper; nil when not charging.
    public static func minutesToLimit(_ vehicle: VehicleState) -> Double? {
        guard vehicle.chargeRateKW > 0 else { return nil }
        let fullPower = vehicle.chargeRateKW / taper(at: vehicle.batteryLevel)
        var level = vehicle.batteryLevel
        var hours = 0.0
        while level < vehicle.chargeLimit {
            let step = min(1, vehicle.chargeLimit - level)
            hours += step / 100 * vehicle.capacityKWh / (fullPower * taper(at: level))
            level += step
        }
        return hours * 60
    }
}

/// How an HVAC unit heats, cools and drifts.
public enum HvacPhysics {
    /// Indoor temperature change from active heating or cooling, °C per hour.
    public static let activeRate = 3.0
    /// Time constant of drift toward the outdoor temperature, hours.
    public static let driftHours = 30.0
    /// Half-width of the thermostat's dead band, °C.
    public static let hysteresis = 0.25

    /// The setpoints the device's own schedule asks for at a solar hour: 21 °C by day, 17 °C at night.
    public static func scheduledHeatSetpoint(solarHour: Double) -> Double {
        (6..<22).contains(solarHour) ? 21 : 17
    }

    /// Advances the unit by `seconds` at an outdoor temperature; returns the electrical power drawn, kW.
    @discardableResult
    public static func step(_ hvac: inout HvacState, outdoor: Double, solarHour: Double, seconds: Double) -> Double {
        let heat = hvac.holdType == "SCHEDULED" ? scheduledHeatSetpoint(solarHour: solarHour) : hvac.heatSetpoint
        let temperature = hvac.currentTemperature
        let wantsHeat = ["HEAT", "AUTO"].contains(hvac.mode)
        let wantsCool = ["COOL", "AUTO"].contains(hvac.mode)
        if hvac.isActive {
            let reached = hvac.isHeating ? temperature >= heat + hysteresis : temperature <= hvac.coolSetpoint - hysteresis
            let allowed = hvac.isHeating ? wantsHeat : wantsCool
            if reached || !allowed { hvac.isActive = false }
        }
        if !hvac.isActive {
            if wantsHeat && temperature < heat - hysteresis {
                hvac.isActive = true
                hvac.isHeating = true
            } else if wantsCool && temperature > hvac.coolSetpoint + hysteresis {
                hvac.isActive = true
                hvac.isHeating = false
            }
        }
        let hours = seconds / 3600
        let drift = (outdoor - temperature) * (1 - exp(-hours / driftHours))
        let active = hvac.isActive ? (hvac.isHeating ? 1.0 : -1.0) * activeRate * hours : 0
        hvac.currentTemperature = temperature + drift + active
        return hvac.isActive ? hvac.powerKW : 0
    }
}

/// How a home battery responds to its operation mode.
public enum BatteryPhysics {
    /// Solar hours during which TIME_OF_USE charges from the grid.
    public static let cheapHours = 0.0..<6.0

    /// The power the battery wants for a household surplus (solar minus consumption, kW), before level limits.
    public static func requestedPower(_ battery: BatteryState, surplusKW: Double, solarHour: Double) -> Double {
        switch battery.operationMode {
        case "IMPORT_FOCUS": return battery.maxPowerKW
        case "EXPORT_FOCUS": return -battery.maxPowerKW
        case "TIME_OF_USE" where cheapHours.contains(solarHour): return battery.maxPowerKW
        default: return min(max(surplusKW, -battery.maxPowerKW), battery.maxPowerKW)
        }
    }

    /// Applies `requestedKW` for `seconds` within the level limits, counting the energy moved; returns the average power actually flowing.
    @discardableResult
    public static func apply(_ battery: inout BatteryState, requestedKW: Double, seconds: Double) -> Double {
        guard seconds > 0 else { return 0 }
        let levelPerKW = seconds / 3600 / battery.capacityKWh * 100
        let room = requestedKW > 0 ? 100 - battery.batteryLevel : battery.batteryLevel - battery.dischargeLimit
        let wanted = abs(requestedKW) * levelPerKW
        let moved = max(0, min(wanted, room))
        let power = wanted > 0 ? requestedKW * moved / wanted : 0
        battery.batteryLevel += requestedKW > 0 ? moved : -moved
        battery.chargeRateKW = power
        let energy = abs(power) * seconds / 3600
        if power > 0 { battery.chargedKWh = (battery.chargedKWh ?? 0) + energy } else { battery.dischargedKWh = (battery.dischargedKWh ?? 0) + energy }
        return power
    }

    /// CHARGING, DISCHARGING or IDLE from the last tick's power.
    public static func status(_ battery: BatteryState) -> String {
        if battery.chargeRateKW > 0.001 { return "CHARGING" }
        if battery.chargeRateKW < -0.001 { return "DISCHARGING" }
        return "IDLE"
    }
}
