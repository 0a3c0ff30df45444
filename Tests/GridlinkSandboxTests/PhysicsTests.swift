import Foundation
import GridlinkCore
@testable import GridlinkSandbox
import Testing

@Suite("Device physics")
struct PhysicsTests {
    private func car(level: Double, limit: Double = 100, capacity: Double = 60) -> VehicleState {
        VehicleState(capacityKWh: capacity, maxACKW: 11, kmPerKWh: 6, batteryLevel: level, chargeLimit: limit, isPluggedIn: true,
                     pluggedChargerId: nil, chargingEnabled: true, maxCurrent: nil, chargeRateKW: 0, noPower: false,
                     latitude: 59.9, longitude: 10.7, odometerKm: 1000, trip: nil)
    }

    @Test("11 kW for 30 minutes into a 60 kWh battery adds 9.17 points below the taper")
    func chargeBelowTaper() {
        var vehicle = car(level: 20)
        for _ in 0..<1800 { VehiclePhysics.charge(&vehicle, availableKW: 11, seconds: 1) }
        #expect(abs(vehicle.batteryLevel - (20 + 5.5 / 60 * 100)) < 1e-9)
        #expect(vehicle.chargeRateKW == 11)
        #expect(VehiclePhysics.powerDeliveryState(vehicle) == "PLUGGED_IN:CHARGING")
    }

    @Test("power tapers above 80 % and charging stops exactly at the limit as COMPLETE")
    func taperAndLimit() {
        #expect(VehiclePhysics.taper(at: 80) == 1)
        #expect(abs(VehiclePhysics.taper(at: 90) - 0.6) < 1e-12)
        #expect(VehiclePhysics.taper(at: 100) == 0.2)
        var vehicle = car(level: 89.9, limit: 90)
        VehiclePhysics.charge(&vehicle, availableKW: 11, seconds: 60)
        #expect(vehicle.batteryLevel == 90)
        #expect(vehicle.chargeRateKW == 0)
        #expect(VehiclePhysics.powerDeliveryState(vehicle) == "PLUGGED_IN:COMPLETE")
        // 80→90 % of 60 kWh at 11 kW with linear taper 1.0→0.6: 6 kWh at an average of ~8.8 kW ≈ 41 min.
        let minutes = VehiclePhysics.minutesToLimit({ var v = car(level: 80, limit: 90); v.chargeRateKW = 11; return v }()) ?? 0
        #expect(minutes > 38 && minutes < 44)
    }

    @Test("a charger's current limit and the car's own limit both cap the power")
    func powerLimits() {
        var vehicle = car(level: 50)
        #expect(VehiclePhysics.availablePower(vehicle, plugLimitKW: 22, phases: 3) == 11)
        #expect(abs(VehiclePhysics.availablePower(vehicle, plugLimitKW: 16 * 230 / 1000, phases: 1) - 3.68) < 1e-9)
        vehicle.maxCurrent = 10
        #expect(abs(VehiclePhysics.availablePower(vehicle, plugLimitKW: 22, phases: 3) - 6.9) < 1e-9)
    }

    @Test("driving 60 km at 6 km/kWh uses 10 kWh, moves the car and grows the odometer")
    func driving() {
        var vehicle = car(level: 50)
        vehicle.isPluggedIn = false
        vehicle.trip = Trip(remainingKm: 60, speedKmh: 60, headingDegrees: 0)
        for _ in 0..<3600 { VehiclePhysics.drive(&vehicle, seconds: 1) }
        #expect(vehicle.trip == nil)
        #expect(abs(vehicle.batteryLevel - (50 - 10.0 / 60 * 100)) < 1e-6)
        #expect(abs(vehicle.odometerKm - 1060) < 1e-6)
        #expect(abs(vehicle.latitude - (59.9 + 60 / 111.32)) < 1e-6)
    }

    @Test("HVAC heats toward the setpoint at 3 °C/h and drifts to outdoor when off")
    func hvac() {
        var hvac = HvacState(mode: "HEAT", heatSetpoint: 21, coolSetpoint: 24, holdType: "PERMANENT", currentTemperature: 15,
                             isActive: false, isHeating: true, powerKW: 1, capableModes: ["OFF", "HEAT"])
        // Outdoor equal to indoor: pure heating, 3 °C/h.
        for _ in 0..<3600 { HvacPhysics.step(&hvac, outdoor: hvac.currentTemperature, solarHour: 12, seconds: 1) }
        #expect(abs(hvac.currentTemperature - 18) < 0.01)
        #expect(hvac.isActive)
        for _ in 0..<(3 * 3600) { HvacPhysics.step(&hvac, outdoor: 10, solarHour: 12, seconds: 1) }
        #expect(hvac.currentTemperature > 20.5 && hvac.currentTemperature < 21.5)
        hvac.mode = "OFF"
        let before = hvac.currentTemperature
        for _ in 0..<(30 * 360) { HvacPhysics.step(&hvac, outdoor: 0, solarHour: 12, seconds: 10) }
        // One time constant: the gap to outdoor shrinks by 1/e.
        #expect(abs(hvac.currentTemperature - before * exp(-1)) < 0.05)
        #expect(!hvac.isActive)
    }

    @Test("solar output follows the sun: zero at night, highest at noon in summer, lower with clouds and in winter")
    func solar() {
        let site = SiteConditions(latitude: 59.9, longitude: 0, cloudiness: 0)
        let midsummerNoon = Date(timeIntervalSince1970: 1_782_043_200) // 2026-06-21 12:00 UTC
        let midsummerMidnight = midsummerNoon.addingTimeInterval(-12 * 3600)
        let midwinterNoon = Date(timeIntervalSince1970: 1_797_854_400) // 2026-12-21 12:00 UTC
        let noon = Environment.solarPower(ratedKW: 10, at: midsummerNoon, site: site)
        #expect(noon > 8.0 && noon < 8.8) // elevation ≈ 53.6°
        #expect(Environment.solarPower(ratedKW: 10, at: midsummerMidnight, site: site) == 0)
        let winter = Environment.solarPower(ratedKW: 10, at: midwinterNoon, site: site)
        #expect(winter > 0 && winter < 1.3) // elevation ≈ 6.7°
        var cloudy = site
        cloudy.cloudiness = 1
        #expect(abs(Environment.solarPower(ratedKW: 10, at: midsummerNoon, site: cloudy) - noon * 0.25) < 1e-9)
    }

    @Test("home batteries follow their operation mode within their limits")
    func batteries() {
        var battery = BatteryState(capacityKWh: 10, maxPowerKW: 5, batteryLevel: 50, dischargeLimit: 10, operationMode: "SELF_RELIANCE", chargeRateKW: 0)
        #expect(BatteryPhysics.requestedPower(battery, surplusKW: 2, solarHour: 12) == 2)
        #expect(BatteryPhysics.requestedPower(battery, surplusKW: -9, solarHour: 12) == -5)
        battery.operationMode = "IMPORT_FOCUS"
        #expect(BatteryPhysics.requestedPower(battery, surplusKW: -1, solarHour: 12) == 5)
        battery.operationMode = "TIME_OF_USE"
        #expect(BatteryPhysics.requestedPower(battery, surplusKW: -1, solarHour: 3) == 5)
        #expect(BatteryPhysics.requestedPower(battery, surplusKW: -1, solarHour: 12) == -1)
        // 5 kW for one hour into 10 kWh from 50 %: stops at 100 % after 36 minutes.
        let power = BatteryPhysics.apply(&battery, requestedKW: 5, seconds: 3600)
        #expect(battery.batteryLevel == 100)
        #expect(abs(power - 5 * 50 / 50) < 1e-9 || power <= 5)
        #expect(abs((battery.chargedKWh ?? 0) - 5) < 1e-9, "50 % of 10 kWh went in")
        BatteryPhysics.apply(&battery, requestedKW: -5, seconds: 3 * 3600)
        #expect(battery.batteryLevel == 10)
        #expect(abs((battery.dischargedKWh ?? 0) - 9) < 1e-9 && abs((battery.chargedKWh ?? 0) - 5) < 1e-9, "90 % of 10 kWh came out")
        #expect(BatteryPhysics.status(battery) == "DISCHARGING")
    }
}
