import Foundation

/// The action lifecycle as pure functions over the target's synced data: preconditions at creation,
/// confirmation, and what happens at the deadline.
public enum ActionRules {
    /// The capability an action needs on its target.
    public static func capability(for kind: ActionKind) -> String {
        switch kind {
        case .charging(let start): start ? "startCharging" : "stopCharging"
        case .maxCurrent: "setMaxCurrent"
        case .operationMode(let mode): ["IMPORT_FOCUS": "importFocus", "EXPORT_FOCUS": "exportFocus", "TIME_OF_USE": "timeOfUse"][mode] ?? "selfReliance"
        case .permanentHold: "setPermanentHold"
        case .followSchedule: "setFollowSchedule"
        }
    }

    /// The scope a client needs the user to have granted to control the target.
    public static func controlScope(for type: VendorType) -> String {
        switch type {
        case .vehicle: "vehicle:control:charging"
        case .charger: "charger:control:charging"
        case .hvac: "hvac:control:mode"
        case .battery: "battery:control:operation_mode"
        case .inverter, .meter: "\(type.rawValue):control"
        }
    }

    /// Why the action cannot be accepted for an asset as it is now, or nil when it can.
    public static func rejection(of kind: ActionKind, asset: JSONValue) -> String? {
        let capability = capability(for: kind)
        guard asset["capabilities"]?[capability]?["isCapable"] == .bool(true) else {
            return "The device is not capable of \(capability)"
        }
        guard asset["isReachable"] != .bool(false) else { return "The device is not reachable" }
        if isConfirmed(kind, asset: asset) { return "The device is already in the requested state" }
        if case .charging(let start) = kind {
            let delivery = asset["chargeState"]?["powerDeliveryState"]
            if delivery == "UNPLUGGED" || asset["chargeState"]?["isPluggedIn"] == .bool(false) { return "The device is not plugged in" }
            if start && (asset["chargeState"]?["isFullyCharged"] == .bool(true) || delivery == "PLUGGED_IN:COMPLETE") {
                return "The vehicle is fully charged"
            }
        }
        return nil
    }

    /// Whether the target's synced data shows what the action asked for.
    public static func isConfirmed(_ kind: ActionKind, asset: JSONValue) -> Bool {
        switch kind {
        case .charging(let start):
            let delivery = asset["chargeState"]?["powerDeliveryState"]
            return start ? delivery == "PLUGGED_IN:CHARGING" : (delivery == "PLUGGED_IN:STOPPED" || delivery == "PLUGGED_IN:COMPLETE")
        case .maxCurrent(let current):
            return asset["chargeState"]?["maxCurrent"] == .number(current)
        case .operationMode(let mode):
            return asset["config"]?["operationMode"] == .string(mode)
        case .permanentHold(let mode, let heat, let cool):
            let thermostat = asset["thermostatState"] ?? [:]
            return thermostat["mode"] == .string(mode) && thermostat["holdType"] == "PERMANENT"
                && (heat.map { thermostat["heatSetpoint"] == .number($0) } ?? true)
                && (cool.map { thermostat["coolSetpoint"] == .number($0) } ?? true)
        case .followSchedule:
            return asset["thermostatState"]?["holdType"] == "SCHEDULED"
        }
    }

    /// Whether a precondition that held at creation has failed since (a charging target was unplugged).
    public static func preconditionLost(_ kind: ActionKind, asset: JSONValue) -> Bool {
        guard case .charging = kind else { return false }
        return asset["chargeState"]?["powerDeliveryState"] == "UNPLUGGED"
    }

    /// Seconds to wait before resending a command after `attempts` commands: 1, 2, 5, then every 10 minutes.
    public static func retryDelay(afterAttempts attempts: Int) -> TimeInterval {
        [60, 120, 300][min(max(attempts - 1, 0), 2)] * (attempts > 3 ? 2 : 1)
    }

    /// Seconds between looks at a pending action.
    public static let checkInterval: TimeInterval = 15
}
