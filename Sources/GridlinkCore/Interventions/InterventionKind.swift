import Foundation

/// The steps Gridlink knows, each unlocking some capabilities of one asset type (or, for a re-link, all of them).
public enum InterventionKind: String, Sendable, CaseIterable {
    /// The vendor credentials stopped working: link the account again.
    case relink
    /// The vehicle's location sharing is off in the vendor app.
    case vehicleLocationSharing
    /// Remote charging control is not allowed in the vendor app.
    case vehicleRemoteCharging
    /// The vehicle needs a software update before it reports these values.
    case vehicleSoftwareUpdate
    /// The charger is not connected to the vendor cloud for remote control.
    case chargerCloudControl
    /// The installer has locked the charger's current limit.
    case chargerLoadManagement
    /// The charger needs a firmware update.
    case chargerFirmwareUpdate
    /// Remote control is switched off in the HVAC vendor's app.
    case hvacRemoteControl
    /// The HVAC unit has no schedule to return to.
    case hvacSchedule
    /// The installer has not shared the solar site with the user's account.
    case inverterSiteAccess
    /// Production history is off in the inverter portal.
    case inverterProductionHistory
    /// Grid charging and export are not enabled by the installer.
    case batteryGridCharging
    /// Advanced operation modes are not enabled in the battery app.
    case batteryAdvancedModes
    /// No consumption meter (current clamp) is installed.
    case meterConsumption
    /// The production meter is not connected.
    case meterProduction

    /// The asset type the kind is for; nil for a re-link, which applies to every type.
    public var vendorType: VendorType? {
        switch self {
        case .relink: nil
        case .vehicleLocationSharing, .vehicleRemoteCharging, .vehicleSoftwareUpdate: .vehicle
        case .chargerCloudControl, .chargerLoadManagement, .chargerFirmwareUpdate: .charger
        case .hvacRemoteControl, .hvacSchedule: .hvac
        case .inverterSiteAccess, .inverterProductionHistory: .inverter
        case .batteryGridCharging, .batteryAdvancedModes: .battery
        case .meterConsumption, .meterProduction: .meter
        }
    }

    /// The capabilities (of `vendorType`) the step unlocks; empty for a re-link, which unlocks whatever was lost.
    public var capabilities: [String] {
        switch self {
        case .relink: []
        case .vehicleLocationSharing: ["location"]
        case .vehicleRemoteCharging: ["startCharging", "stopCharging", "setMaxCurrent", "smartCharging"]
        case .vehicleSoftwareUpdate: ["information", "chargeState", "odometer"]
        case .chargerCloudControl: ["startCharging", "stopCharging"]
        case .chargerLoadManagement: ["setMaxCurrent"]
        case .chargerFirmwareUpdate: ["information", "chargeState"]
        case .hvacRemoteControl: ["setPermanentHold"]
        case .hvacSchedule: ["setFollowSchedule"]
        case .inverterSiteAccess: ["productionState"]
        case .inverterProductionHistory: ["productionStatistics"]
        case .batteryGridCharging: ["importFocus", "exportFocus"]
        case .batteryAdvancedModes: ["timeOfUse", "selfReliance"]
        case .meterConsumption: ["measuresConsumption"]
        case .meterProduction: ["measuresProduction"]
        }
    }

    /// Whether the step is about the vendor account or the device.
    public var domain: InterventionDomain {
        switch self {
        case .relink, .vehicleRemoteCharging, .hvacRemoteControl, .inverterSiteAccess, .inverterProductionHistory, .batteryAdvancedModes: .account
        default: .device
        }
    }

    /// Whether the step can be done from anywhere or needs someone at the device.
    public var access: ResolutionAccess {
        switch self {
        case .chargerLoadManagement, .batteryGridCharging, .meterConsumption, .meterProduction: .physical
        default: .remote
        }
    }

    /// Who takes the step.
    public var agent: ResolutionAgent {
        switch self {
        case .chargerLoadManagement, .inverterSiteAccess, .batteryGridCharging, .meterConsumption, .meterProduction: .thirdParty
        default: .user
        }
    }

    /// Whether the step ends by linking the account again (`resolution.action` `Link`).
    public var linksAgain: Bool { self == .relink || self == .inverterSiteAccess }

    /// When Gridlink introduced the step.
    public var introducedAt: Date {
        self == .relink ? Date(timeIntervalSince1970: 1_701_388_800) : Date(timeIntervalSince1970: 1_694_736_000)
    }
}
