import Foundation

/// One reading of an asset's power and energy counter, as stored for statistics.
public struct TelemetrySample: Sendable, Equatable {
    /// The asset.
    public let assetId: String
    /// The asset's type.
    public let assetType: VendorType
    /// When the reading was taken.
    public let at: Date
    /// Power at that moment, kW (consumption for chargers, vehicles and HVACs; production for inverters).
    public let powerKW: Double
    /// The asset's lifetime energy counter, kWh.
    public let energyKWh: Double
    /// The location the asset was at, if any.
    public let locationId: String?

    /// Creates a sample.
    public init(assetId: String, assetType: VendorType, at: Date, powerKW: Double, energyKWh: Double, locationId: String?) {
        self.assetId = assetId
        self.assetType = assetType
        self.at = at
        self.powerKW = powerKW
        self.energyKWh = energyKWh
        self.locationId = locationId
    }
}

extension TelemetrySample {
    /// The sample a device reading carries: power and lifetime energy counter of chargers, vehicles, HVACs
    /// (consumption) and inverters (production); nil for other types or without a counter.
    public static func of(_ reading: DeviceReading, assetId: String, locationId: String?, at instant: Date) -> TelemetrySample? {
        guard reading.isReachable else { return nil }
        let state = reading.view["state"] ?? .null
        let fields: (power: String, energy: String)? = switch reading.type {
        case .vehicle, .charger: ("chargeRate", "lifetimeEnergy")
        case .hvac: ("power", "lifetimeEnergy")
        case .inverter: ("productionRate", "totalLifetimeProduction")
        case .battery, .meter: nil
        }
        guard let fields, let energy = state[fields.energy]?.number else { return nil }
        return TelemetrySample(assetId: assetId, assetType: reading.type, at: instant, powerKW: state[fields.power]?.number ?? 0,
                               energyKWh: energy, locationId: locationId)
    }
}
