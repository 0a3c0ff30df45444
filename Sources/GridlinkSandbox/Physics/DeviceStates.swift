import Foundation

/// A driving trip in progress.
public struct Trip: Sendable, Codable, Equatable {
    /// Distance still to drive, in km.
    public var remainingKm: Double
    /// Driving speed in km/h.
    public var speedKmh: Double
    /// Compass heading in degrees (0 = north).
    public var headingDegrees: Double

    /// Creates a trip.
    public init(remainingKm: Double, speedKmh: Double, headingDegrees: Double) {
        self.remainingKm = remainingKm
        self.speedKmh = speedKmh
        self.headingDegrees = headingDegrees
    }
}

/// The physical state of a simulated EV.
public struct VehicleState: Sendable, Codable, Equatable {
    /// Usable capacity, kWh.
    public var capacityKWh: Double
    /// Largest AC charge power, kW.
    public var maxACKW: Double
    /// Efficiency, km per kWh.
    public var kmPerKWh: Double
    /// State of charge, 0–100 %.
    public var batteryLevel: Double
    /// Charge limit set in the car, 0–100 %.
    public var chargeLimit: Double
    /// Whether a cable is connected.
    public var isPluggedIn: Bool
    /// The simulated charger the cable is connected to, if any.
    public var pluggedChargerId: String?
    /// The car's own start/stop setting.
    public var chargingEnabled: Bool
    /// Current limit the car applies, in A, if set.
    public var maxCurrent: Double?
    /// Power flowing into the battery during the last tick, kW.
    public var chargeRateKW: Double
    /// Whether the last tick found no power at the plug while charging was wanted.
    public var noPower: Bool
    /// Position, degrees.
    public var latitude: Double
    /// Position, degrees.
    public var longitude: Double
    /// Odometer, km.
    public var odometerKm: Double
    /// Trip being driven, if any.
    public var trip: Trip?
    /// Energy charged into the battery over the car's life, kWh (nil in states saved before it was tracked).
    public var chargedKWh: Double?
    /// Whether plugging in may start charging (nil: true, as cars charge when plugged in); false switches the start setting off at plug-in.
    public var autoStart: Bool?

    /// Whether plugging in starts charging.
    public var startsOnPlugIn: Bool { autoStart ?? true }
}

/// The physical state of a simulated charger.
public struct ChargerState: Sendable, Codable, Equatable {
    /// Current limit per phase, A.
    public var maxCurrent: Double
    /// The hardware's rated current, A.
    public var ratedCurrent: Double
    /// Phases in use.
    public var phases: Int
    /// Whether a cable is connected to a car.
    public var isPluggedIn: Bool
    /// The simulated vehicle connected, if any (nil with a cable in means an unsimulated car).
    public var pluggedVehicleId: String?
    /// The charger's own start/stop setting.
    public var chargingEnabled: Bool
    /// Power delivered during the last tick, kW.
    public var chargeRateKW: Double
    /// Energy delivered since installation, kWh.
    public var lifetimeKWh: Double
    /// Whether plugging in may start charging (nil: true, as chargers without authorization do); false switches the start setting off at plug-in.
    public var autoStart: Bool?

    /// Whether plugging in starts charging.
    public var startsOnPlugIn: Bool { autoStart ?? true }

    /// Largest power the charger allows at its current limit, kW (230 V per phase).
    public var powerLimitKW: Double { maxCurrent * Double(phases) * 230 / 1000 }
}

/// The physical state of a simulated HVAC unit.
public struct HvacState: Sendable, Codable, Equatable {
    /// OFF, AUTO, COOL or HEAT.
    public var mode: String
    /// Heating setpoint, °C.
    public var heatSetpoint: Double
    /// Cooling setpoint, °C.
    public var coolSetpoint: Double
    /// PERMANENT (held by a command) or SCHEDULED (following the device's own schedule).
    public var holdType: String
    /// Indoor temperature, °C.
    public var currentTemperature: Double
    /// Whether the unit heats or cools right now.
    public var isActive: Bool
    /// Whether the active phase is heating (else cooling).
    public var isHeating: Bool
    /// Electrical power while active, kW.
    public var powerKW: Double
    /// Modes the unit supports.
    public var capableModes: [String]
    /// Electrical energy used over the unit's life, kWh (nil in states saved before it was tracked).
    public var consumedKWh: Double?
}

/// The physical state of a simulated solar inverter.
public struct InverterState: Sendable, Codable, Equatable {
    /// Rated output, kW.
    public var ratedKW: Double
    /// Output during the last tick, kW.
    public var productionKW: Double
    /// Energy produced since installation, kWh.
    public var lifetimeKWh: Double
}

/// The physical state of a simulated home battery.
public struct BatteryState: Sendable, Codable, Equatable {
    /// Usable capacity, kWh.
    public var capacityKWh: Double
    /// Largest charge/discharge power, kW.
    public var maxPowerKW: Double
    /// State of charge, 0–100 %.
    public var batteryLevel: Double
    /// Level the battery does not discharge below, %.
    public var dischargeLimit: Double
    /// IMPORT_FOCUS, EXPORT_FOCUS, TIME_OF_USE or SELF_RELIANCE.
    public var operationMode: String
    /// Power into the battery during the last tick, kW (negative when discharging).
    public var chargeRateKW: Double
    /// Energy charged into the battery since installation, kWh (nil in states saved before it was tracked).
    public var chargedKWh: Double?
    /// Energy discharged from the battery since installation, kWh (nil in states saved before it was tracked).
    public var dischargedKWh: Double?
}

/// The state of a simulated grid meter.
public struct MeterState: Sendable, Codable, Equatable {
    /// Grid power during the last tick, kW (positive = import).
    public var powerKW: Double
    /// Energy imported since installation, kWh.
    public var importedKWh: Double
    /// Energy exported since installation, kWh.
    public var exportedKWh: Double
}

/// The state of any simulated device.
public enum DeviceState: Sendable, Codable, Equatable {
    case vehicle(VehicleState)
    case charger(ChargerState)
    case hvac(HvacState)
    case inverter(InverterState)
    case battery(BatteryState)
    case meter(MeterState)
}
