import GridlinkCore

/// An EV model: what the physics needs to charge, drive and report it.
public struct VehicleModel: Sendable, Codable, Equatable {
    /// Vendor name (VehicleVendor).
    public let vendor: String
    /// Model name.
    public let model: String
    /// Model year.
    public let year: Int
    /// Usable battery capacity in kWh.
    public let capacityKWh: Double
    /// Largest AC charge power the car accepts, in kW.
    public let maxACKW: Double
    /// Largest DC charge power, in kW (0 for cars without DC charging).
    public let maxDCKW: Double
    /// Typical efficiency in km per kWh.
    public let kmPerKWh: Double
}

/// An EV charger model.
public struct ChargerModel: Sendable, Codable, Equatable {
    /// Vendor name (ChargerVendor).
    public let vendor: String
    /// Model name.
    public let model: String
    /// Model year.
    public let year: Int
    /// Rated current per phase, in amperes.
    public let maxCurrent: Double
    /// Number of phases (1 or 3).
    public let phases: Int
}

/// What an HVAC unit is.
public enum HvacKind: String, Sendable, Codable {
    /// Heats and cools (air-to-air or air-to-water).
    case heatPump = "HEAT_PUMP"
    /// Direct heater.
    case heating = "HEATING"
    /// Air conditioner.
    case cooling = "COOLING"
    /// Thermostat controlling equipment behind it.
    case aggregator = "AGGREGATOR"
}

/// An HVAC model.
public struct HvacModel: Sendable, Codable, Equatable {
    /// Vendor name (HvacVendor).
    public let vendor: String
    /// Model name.
    public let model: String
    /// Model year.
    public let year: Int
    /// Category (ENUMS HvacCategory).
    public let kind: HvacKind
    /// Modes the unit can be set to (ENUMS HvacMode).
    public let modes: [String]
    /// Electrical power drawn while actively heating or cooling, in kW.
    public let powerKW: Double
}

/// A solar inverter model.
public struct InverterModel: Sendable, Codable, Equatable {
    /// Vendor name (InverterVendor).
    public let vendor: String
    /// Model name.
    public let model: String
    /// Model year.
    public let year: Int
    /// Rated AC output in kW.
    public let ratedKW: Double
}

/// A home battery model.
public struct BatteryModel: Sendable, Codable, Equatable {
    /// Vendor name (BatteryVendor).
    public let vendor: String
    /// Model name.
    public let model: String
    /// Model year.
    public let year: Int
    /// Usable capacity in kWh.
    public let capacityKWh: Double
    /// Largest charge or discharge power in kW.
    public let maxPowerKW: Double
}

/// An energy meter model.
public struct MeterModel: Sendable, Codable, Equatable {
    /// Vendor name (MeterVendor).
    public let vendor: String
    /// Model name.
    public let model: String
    /// Model year.
    public let year: Int
}
