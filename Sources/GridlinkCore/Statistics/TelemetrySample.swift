import Foundation

/// One reading of an asset's power and energy counters, as stored for statistics.
public struct TelemetrySample: Sendable, Equatable {
    /// The asset.
    public let assetId: String
    /// The asset's type.
    public let assetType: VendorType
    /// When the reading was taken.
    public let at: Date
    /// Power at that moment, kW (consumption for chargers, vehicles and HVACs; production for inverters; charge power
    /// for batteries and grid import for meters, negative when discharging or exporting).
    public let powerKW: Double
    /// The asset's lifetime energy counter, kWh (for batteries the energy charged, for meters the energy imported).
    public let energyKWh: Double
    /// The lifetime counter of the opposite flow, kWh: energy a battery discharged or a meter exported (nil for other types).
    public let reverseEnergyKWh: Double?
    /// A battery's state of charge, % (nil for other types).
    public let levelPercent: Double?
    /// The location the asset was at, if any.
    public let locationId: String?

    /// Creates a sample.
    public init(assetId: String, assetType: VendorType, at: Date, powerKW: Double, energyKWh: Double, locationId: String?,
                reverseEnergyKWh: Double? = nil, levelPercent: Double? = nil) {
        self.assetId = assetId
        self.assetType = assetType
        self.at = at
        self.powerKW = powerKW
        self.energyKWh = energyKWh
        self.reverseEnergyKWh = reverseEnergyKWh
        self.levelPercent = levelPercent
        self.locationId = locationId
    }

    /// The sample with its opposite counter as its energy (battery discharge, grid export), for spreading that flow;
    /// nil without one.
    public var reversed: TelemetrySample? {
        reverseEnergyKWh.map { TelemetrySample(assetId: assetId, assetType: assetType, at: at, powerKW: -powerKW, energyKWh: $0, locationId: locationId) }
    }
}

extension TelemetrySample {
    /// The state fields a reading's sample comes from.
    private struct Fields {
        let power: String
        let energy: String
        var reverse: String?
        var level: String?
    }

    /// The sample a device reading carries: power and lifetime energy counter of chargers, vehicles, HVACs
    /// (consumption), inverters (production), batteries (charged and discharged, with the level) and meters
    /// (imported and exported); nil without a counter.
    public static func of(_ reading: DeviceReading, assetId: String, locationId: String?, at instant: Date) -> TelemetrySample? {
        guard reading.isReachable else { return nil }
        let state = reading.view["state"] ?? .null
        let fields = switch reading.type {
        case .vehicle, .charger: Fields(power: "chargeRate", energy: "lifetimeEnergy")
        case .hvac: Fields(power: "power", energy: "lifetimeEnergy")
        case .inverter: Fields(power: "productionRate", energy: "totalLifetimeProduction")
        case .battery: Fields(power: "chargeRate", energy: "chargedEnergy", reverse: "dischargedEnergy", level: "batteryLevel")
        case .meter: Fields(power: "power", energy: "importedEnergy", reverse: "exportedEnergy")
        }
        guard let energy = state[fields.energy]?.number else { return nil }
        return TelemetrySample(assetId: assetId, assetType: reading.type, at: instant, powerKW: state[fields.power]?.number ?? 0,
                               energyKWh: energy, locationId: locationId,
                               reverseEnergyKWh: fields.reverse.flatMap { state[$0]?.number }, levelPercent: fields.level.flatMap { state[$0]?.number })
    }
}
