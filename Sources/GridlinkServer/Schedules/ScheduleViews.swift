import GridlinkCore

/// The API shapes of schedules (2024-10-01), and the dated changes older versions see.
enum ScheduleViews {
    /// ChargeScheduleResponse or TemperatureScheduleResponse.
    static func schedule(_ schedule: Schedule) -> JSONValue {
        var view: JSONValue = [
            "id": .string(schedule.id), "targetId": .string(schedule.targetId), "targetType": .string(schedule.targetType.rawValue),
            "isEnabled": .bool(schedule.isEnabled), "rules": .array(schedule.rules),
        ]
        view[schedule.defaultKey] = schedule.defaultValue
        if !schedule.isTemperature { view["locationId"] = schedule.locationId.map { .string($0) } ?? .null }
        return view
    }

    /// Transforms for schedule bodies (a schedule, a list of them, or an event's `schedule`).
    static let rendering = VersionedRendering([
        DeprecatedScheduleTargetTransform(), ChargingLocationIdTransform(), TargetRenameTransform.charging, TargetRenameTransform.temperature,
        TemperatureTargetKeysTransform(),
    ])

    /// Transforms for schedule status bodies.
    static let statusRendering = VersionedRendering([ExternalStartTransform()])
}

/// 2024-10-01 removed the deprecated `chargeableId`/`chargeableType`/`entityId`/`entityType` copies of the target.
struct DeprecatedScheduleTargetTransform: ResponseTransform {
    let introducedIn = APIVersion.v2024_10_01
    let summary = "Schedules lost the deprecated chargeable*/entity* target fields"

    func downgrade(_ body: JSONValue) -> JSONValue {
        ItemBodies.update(body) { schedule in
            schedule["chargeableId"] = schedule["targetId"]
            schedule["chargeableType"] = schedule["targetType"]
            schedule["entityId"] = schedule["targetId"]
            schedule["entityType"] = schedule["targetType"]
        }
    }
}

/// 2023-05-01 renamed a temperature schedule's `defaultTarget` to `defaultTargetState` and its rules' `target` to
/// `targetState` (the target state object: `holdType` and the optional `mode` and setpoints). 002 does not give the
/// older object's fields, so the object is shown as it is under its older key.
struct TemperatureTargetKeysTransform: ResponseTransform {
    let introducedIn = APIVersion.v2023_05_01
    let summary = "Temperature schedules: defaultTarget and rules[].target renamed defaultTargetState and targetState"

    func downgrade(_ body: JSONValue) -> JSONValue {
        ItemBodies.map(body) { schedule in
            guard let state = schedule["defaultTargetState"] else { return schedule }
            var schedule = schedule
            schedule["defaultTarget"] = state
            schedule["defaultTargetState"] = nil
            if case .array(let rules) = schedule["rules"] {
                schedule["rules"] = .array(rules.map { rule in
                    var rule = rule
                    rule["target"] = rule["targetState"]
                    rule["targetState"] = nil
                    return rule
                })
            }
            return schedule
        }
    }
}

/// 2023-05-01 renamed a schedule status's `externalStart` to `smartOverride`.
struct ExternalStartTransform: ResponseTransform {
    let introducedIn = APIVersion.v2023_05_01
    let summary = "Schedule status externalStart renamed to smartOverride"

    func downgrade(_ body: JSONValue) -> JSONValue {
        guard body["scheduleType"] == "CHARGE" else { return body }
        var status = body
        status["externalStart"] = status["smartOverride"] ?? .null
        status["smartOverride"] = nil
        return status
    }
}
