import GridlinkCore

/// How quickly a vendor's commands take effect: the mean and the ± spread, in seconds.
public struct CommandLatency: Sendable, Codable, Equatable {
    /// Mean delay between a command and its visible effect.
    public let mean: Double
    /// Half-width of the uniform spread around the mean.
    public let spread: Double
}

/// Whether commands take effect at once or after the vendor's realistic delay.
public enum TimingProfile: String, Sendable, Codable, CaseIterable {
    /// Every command takes effect immediately.
    case ideal
    /// Commands take effect after the vendor's latency, drawn from the seeded generator.
    case realistic
}

/// The behaviour of one vendor for one asset type.
public struct VendorTraits: Sendable, Codable, Equatable {
    /// Vendor name.
    public let vendor: String
    /// Asset type.
    public let type: VendorType
    /// Capabilities this vendor does not offer (`isCapable: false` on every device).
    public let missingCapabilities: [String]
    /// Command latency under the realistic profile.
    public let latency: CommandLatency
    /// Seconds between data refreshes while idle.
    public let idlePollSeconds: Double
    /// Seconds between data refreshes while the device is active (charging, heating…).
    public let activePollSeconds: Double
    /// Seconds after which an unconfirmed command is given up.
    public let commandTimeoutSeconds: Double
    /// Whether the vendor reports a vehicle's charge limit (`chargeState.chargeLimit` is null when it does not).
    public let reportsChargeLimit: Bool
}

/// Capability names per asset type (ENUMS.md §1.15).
public enum CapabilityNames {
    /// The capabilities a device of `type` reports.
    public static func of(_ type: VendorType) -> [String] {
        switch type {
        case .vehicle: ["information", "chargeState", "location", "odometer", "setMaxCurrent", "startCharging", "stopCharging", "smartCharging"]
        case .charger: ["information", "chargeState", "startCharging", "stopCharging", "setMaxCurrent"]
        case .hvac: ["setFollowSchedule", "setPermanentHold"]
        case .inverter: ["productionState", "productionStatistics"]
        case .battery: ["exportFocus", "importFocus", "timeOfUse", "selfReliance"]
        case .meter: ["measuresConsumption", "measuresProduction"]
        }
    }
}

/// The traits of every vendor, with per-vendor exceptions to each asset type's defaults.
public enum VendorTraitsCatalogue {
    private static let missing: [VendorType: [String: [String]]] = [
        .vehicle: [
            "NISSAN": ["location", "smartCharging"], "MAZDA": ["location", "startCharging", "stopCharging", "smartCharging"],
            "SUBARU": ["location", "startCharging", "stopCharging", "smartCharging"], "LEXUS": ["location", "smartCharging"],
            "DACIA": ["location", "odometer", "smartCharging"], "HONDA": ["startCharging", "stopCharging", "smartCharging"],
            "CHRYSLER": ["location", "smartCharging"], "DODGE": ["startCharging", "stopCharging", "smartCharging"],
        ],
        .charger: ["PODPOINT": ["setMaxCurrent"], "ENELX": ["setMaxCurrent"], "CHARGEPOINT": ["setMaxCurrent"]],
        .hvac: ["MICROMATIC": ["setFollowSchedule"], "ADAX": ["setFollowSchedule"]],
        .inverter: ["TSUN": ["productionStatistics"], "Hoymiles": ["productionStatistics"]],
        .battery: ["ENPHASE": ["exportFocus"], "SOLAX": ["timeOfUse"]],
        .meter: [:],
    ]

    /// Vehicle vendors whose cloud does not report the charge limit: their cars charge to 100 % and show a null limit.
    private static let chargeLimitUnreported: Set<String> = ["NISSAN", "DACIA"]

    private static let latency: [VendorType: (default: CommandLatency, byVendor: [String: CommandLatency])] = [
        .vehicle: (CommandLatency(mean: 45, spread: 30), [
            "TESLA": .init(mean: 20, spread: 15), "BMW": .init(mean: 90, spread: 60), "MINI": .init(mean: 90, spread: 60),
            "MERCEDES": .init(mean: 120, spread: 90), "VOLKSWAGEN": .init(mean: 75, spread: 45), "NISSAN": .init(mean: 150, spread: 120),
        ]),
        .charger: (CommandLatency(mean: 10, spread: 8), ["EASEE": .init(mean: 5, spread: 4), "ZAPTEC": .init(mean: 5, spread: 4)]),
        .hvac: (CommandLatency(mean: 15, spread: 10), [:]),
        .inverter: (CommandLatency(mean: 30, spread: 20), [:]),
        .battery: (CommandLatency(mean: 60, spread: 45), ["TESLA": .init(mean: 30, spread: 20)]),
        .meter: (CommandLatency(mean: 30, spread: 20), [:]),
    ]

    /// The traits of `vendor` for `type`.
    public static func traits(vendor: String, type: VendorType) -> VendorTraits {
        let latencies = latency[type]!
        let isTesla = vendor == "TESLA"
        let (idle, active): (Double, Double) = switch type {
        case .hvac: (120, 60)
        case .vehicle where isTesla: (300, 60)
        default: (420, 120)
        }
        var missingCapabilities = missing[type]?[vendor] ?? []
        if type == .vehicle && !isTesla { missingCapabilities.append("setMaxCurrent") }
        return VendorTraits(
            vendor: vendor, type: type,
            missingCapabilities: missingCapabilities.sorted(),
            latency: latencies.byVendor[vendor] ?? latencies.default,
            idlePollSeconds: idle, activePollSeconds: active,
            commandTimeoutSeconds: type == .vehicle ? 1800 : 600,
            reportsChargeLimit: type == .vehicle && !chargeLimitUnreported.contains(vendor))
    }
}
