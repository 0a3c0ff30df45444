import Foundation
import GridlinkCore

/// What a schedule's target looks like right now, as the schedule controller sees it.
struct ScheduleSituation {
    /// The schedule.
    let schedule: Schedule
    /// The controlled asset, nil when it is gone.
    let target: AssetRecord?
    /// The timezone the rules are read in.
    let timeZone: TimeZone
    /// Whether an action on the target is pending.
    let hasPendingAction: Bool
    /// The target's active smart override, if any.
    let smartOverride: JSONValue?
}

/// Computes a schedule's status (ChargeScheduleStatus or TemperatureScheduleStatus without `changedAt`) and the
/// command that would align the target with it.
enum ScheduleStatusBuilder {
    /// The status and, when the target is misaligned and controllable, the action that fixes it.
    static func evaluate(_ situation: ScheduleSituation, at now: Date) -> (status: JSONValue, command: ActionKind?) {
        situation.schedule.isTemperature ? temperature(situation, at: now) : charge(situation, at: now)
    }

    private static func charge(_ situation: ScheduleSituation, at now: Date) -> (status: JSONValue, command: ActionKind?) {
        let schedule = situation.schedule
        let evaluator = schedule.evaluator(in: situation.timeZone)
        let body = situation.target?.body ?? .null
        let chargeState = body["chargeState"] ?? .null
        let shouldCharge = evaluator.value(at: now).bool ?? false
        let isPluggedIn = chargeState["isPluggedIn"]?.bool ?? false
        let isCharging = chargeState["isCharging"]?.bool ?? false
        let needsCharge: Bool
        if schedule.targetType == .vehicle {
            let level = chargeState["batteryLevel"]?.number ?? 0
            let limit = chargeState["chargeLimit"]?.number ?? 100
            needsCharge = chargeState["isFullyCharged"]?.bool != true && level < limit
        } else {
            needsCharge = true
        }
        let expected = needsCharge && isPluggedIn && shouldCharge
        let capable = ["startCharging", "stopCharging"].allSatisfy { body["capabilities"]?[$0]?["isCapable"] == .bool(true) }
        let state = inactiveState(situation, isCapable: capable) ?? (situation.smartOverride != nil ? "INACTIVE:OVERRIDDEN" : nil)
            ?? (isCharging == expected ? "ALIGNED" : situation.hasPendingAction ? "PENDING" : "MISALIGNED")
        let status: JSONValue = [
            "scheduleId": .string(schedule.id), "scheduleType": "CHARGE", "state": .string(state),
            "isCharging": .bool(isCharging), "isChargingExpected": .bool(expected),
            "isChargingExpectedParts": ["needsCharge": .bool(needsCharge), "isPluggedIn": .bool(isPluggedIn), "shouldCharge": .bool(shouldCharge)],
            "upcomingTransitions": .array(evaluator.transitions(after: now, limit: 2).map {
                ["at": .string(Timestamp.format($0.at)), "shouldCharge": $0.value]
            }),
            "smartOverride": situation.smartOverride.map(SmartChargingViews.overrideSummary) ?? .null,
        ]
        // Only a plugged-in target can be started or stopped; a full car is stopped like any other.
        let command: ActionKind? = state == "MISALIGNED" && isPluggedIn ? .charging(start: expected) : nil
        return (status, command)
    }

    private static func temperature(_ situation: ScheduleSituation, at now: Date) -> (status: JSONValue, command: ActionKind?) {
        let schedule = situation.schedule
        let evaluator = schedule.evaluator(in: situation.timeZone)
        let body = situation.target?.body ?? .null
        let expected = evaluator.value(at: now)
        let current = situation.target.flatMap { TemperatureTarget.current(of: $0.body) }
        let capable = ["setPermanentHold", "setFollowSchedule"].allSatisfy { body["capabilities"]?[$0]?["isCapable"] == .bool(true) }
        let state = inactiveState(situation, isCapable: capable)
            ?? (current == expected ? "ALIGNED" : situation.hasPendingAction ? "PENDING" : "MISALIGNED")
        let status: JSONValue = [
            "scheduleId": .string(schedule.id), "scheduleType": "TEMPERATURE", "state": .string(state),
            "current": current ?? .null, "expected": expected,
            "upcomingTransitions": .array(evaluator.transitions(after: now, limit: 2).map { ["at": .string(Timestamp.format($0.at)), "target": $0.value] }),
        ]
        return (status, state == "MISALIGNED" ? TemperatureTarget.kind(for: expected) : nil)
    }

    /// The `INACTIVE:*` state the schedule is in, or nil when it is in charge of its target.
    private static func inactiveState(_ situation: ScheduleSituation, isCapable: Bool) -> String? {
        let schedule = situation.schedule
        guard schedule.isEnabled else { return "INACTIVE:DISABLED" }
        guard let target = situation.target, isCapable else { return "INACTIVE:INCAPABLE" }
        // A charge schedule with a location applies only while its target is there (GUIDES: not at public chargers).
        if let locationId = schedule.locationId, target.locationId != locationId { return "INACTIVE:AWAY" }
        return nil
    }
}
