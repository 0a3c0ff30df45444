import Foundation
import GridlinkCore

/// A simulated vendor login holding devices of that vendor.
public struct VirtualAccount: Sendable, Codable, Equatable {
    /// Account id.
    public let id: String
    /// Creation order across the world; the list position used for pagination.
    public let ordinal: Int64
    /// Owning API client.
    public let clientId: String
    /// Vendor name.
    public let vendor: String
    /// Login name.
    public let username: String
    /// Login password (a fake credential, shown to the integrator).
    public let password: String
    /// Site (home) whose conditions the account's devices share.
    public var siteId: String
    /// False once credentials were invalidated by a fault.
    public var credentialsValid: Bool
    /// When it was created.
    public let createdAt: Date
}

/// A capability switched off by the integrator, with the intervention that would unlock it.
public struct CapabilityOverride: Sendable, Codable, Equatable {
    /// The intervention ids reported while the capability is off.
    public var interventionIds: [String]
}

/// A simulated device: identity, vendor, model and physical state.
public struct SimDevice: Sendable, Codable, Equatable {
    /// Device id.
    public let id: String
    /// Creation order across the world; the list position used for pagination.
    public let ordinal: Int64
    /// Owning API client.
    public let clientId: String
    /// Virtual account the device belongs to.
    public let accountId: String
    /// Vendor name.
    public let vendor: String
    /// Asset type.
    public let type: VendorType
    /// Model name from the catalogue.
    public let model: String
    /// Model year.
    public let year: Int
    /// Display name.
    public var name: String
    /// Site the device is at (copied from its account).
    public var siteId: String
    /// Whether the device answers its vendor's cloud (faults and the control API can change it).
    public var isReachable: Bool
    /// Capabilities switched off through the control API.
    public var disabledCapabilities: [String: CapabilityOverride]
    /// Physical state.
    public var state: DeviceState
    /// When it was added.
    public let createdAt: Date
}

/// A command a connector sends to a device.
public enum DeviceCommand: Sendable, Codable, Equatable {
    /// Start charging (vehicle or charger).
    case startCharging
    /// Stop charging (vehicle or charger).
    case stopCharging
    /// Set the current limit, A (vehicle or charger).
    case setMaxCurrent(Double)
    /// Set a battery's operation mode.
    case setOperationMode(String)
    /// Hold an HVAC mode and setpoints.
    case setPermanentHold(mode: String, heatSetpoint: Double?, coolSetpoint: Double?)
    /// Return an HVAC unit to its own schedule.
    case followSchedule

    /// Short name used by fault scopes and logs.
    public var name: String {
        switch self {
        case .startCharging: "startCharging"
        case .stopCharging: "stopCharging"
        case .setMaxCurrent: "setMaxCurrent"
        case .setOperationMode: "setOperationMode"
        case .setPermanentHold: "setPermanentHold"
        case .followSchedule: "followSchedule"
        }
    }

    /// The capability a device needs for the command.
    public var capability: String {
        switch self {
        case .startCharging: "startCharging"
        case .stopCharging: "stopCharging"
        case .setMaxCurrent: "setMaxCurrent"
        case .setOperationMode(let mode): Self.batteryCapability(mode)
        case .setPermanentHold: "setPermanentHold"
        case .followSchedule: "setFollowSchedule"
        }
    }

    private static func batteryCapability(_ mode: String) -> String {
        switch mode {
        case "IMPORT_FOCUS": "importFocus"
        case "EXPORT_FOCUS": "exportFocus"
        case "TIME_OF_USE": "timeOfUse"
        default: "selfReliance"
        }
    }
}

/// Why a vendor refused a command.
public enum VendorFailureKind: String, Sendable, Codable {
    /// The vendor answered with an error.
    case vendorError
    /// The vendor rate-limited the request.
    case rateLimited
    /// The vendor is down.
    case outage
    /// The device does not answer.
    case unreachable
    /// The stored credentials no longer work.
    case credentialsInvalid
    /// The device lacks the capability.
    case notCapable
    /// The command does not apply to this kind of device.
    case unsupported
}

/// What sending a command produced.
public enum CommandOutcome: Sendable, Equatable {
    /// Accepted; the effect shows at `effectiveAt` (never, if a fault swallowed it).
    case accepted(effectiveAt: Date?)
    /// Refused by the vendor.
    case failed(VendorFailureKind, String)
}

/// A command effect waiting for its time.
public struct PendingEffect: Sendable, Codable, Equatable {
    /// When the effect applies.
    public let dueAt: Date
    /// Tie-breaker preserving send order.
    public let sequence: Int
    /// Target device.
    public let deviceId: String
    /// The command whose effect this is.
    public let command: DeviceCommand
}
