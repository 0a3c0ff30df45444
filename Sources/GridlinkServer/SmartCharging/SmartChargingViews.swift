import Foundation
import GridlinkCore

/// The API shapes of smart charging (2024-10-01) and the dated changes older versions see.
enum SmartChargingViews {
    /// SmartChargingStatus of a vehicle after a decision.
    static func status(vehicle: AssetRecord, decision: SmartChargingDecision, currency: String, override: JSONValue?, now: Date) -> JSONValue {
        [
            "updatedAt": .string(Timestamp.format(now)), "vehicleId": .string(vehicle.id), "userId": .string(vehicle.userId),
            "vendor": .string(vehicle.vendor), "state": .string(decision.state), "stateChangedAt": .string(Timestamp.format(now)),
            "consideration": decision.consideration.map { consideration in
                ["isPluggedIn": .bool(consideration.isPluggedIn), "isCharging": .bool(consideration.isCharging),
                 "atChargingLocation": .bool(consideration.atChargingLocation), "hasTimeEstimate": .bool(consideration.hasTimeEstimate)]
            } ?? .null,
            "plan": decision.state.hasPrefix("PLAN:") ? decision.plan.map { plan(vehicle: vehicle, $0, currency: currency) } ?? .null : .null,
            "smartOverride": override.map(overrideSummary) ?? .null,
        ]
    }

    /// The status of a vehicle that never had a policy.
    static func disabledStatus(vehicle: AssetRecord, now: Date) -> JSONValue {
        status(vehicle: vehicle, decision: SmartChargingDecision(state: "DISABLED", consideration: nil, plan: nil, command: nil),
               currency: "EUR", override: nil, now: now)
    }

    /// SmartChargingPlan.
    static func plan(vehicle: AssetRecord, _ state: SmartChargingPlanState, currency: String) -> JSONValue {
        func date(_ value: Date?) -> JSONValue { value.map { .string(Timestamp.format($0)) } ?? .null }
        func money(_ value: Double?) -> JSONValue { value.map { .number(($0 * 100).rounded() / 100) } ?? .null }
        return [
            "id": .string(state.id), "vehicleId": .string(vehicle.id), "userId": .string(vehicle.userId),
            "locationId": state.locationId.map { .string($0) } ?? .null, "vendor": .string(vehicle.vendor), "currency": .string(currency),
            "nonSmartCost": money(state.plan.nonSmartCost ?? 0), "smartCost": money(state.plan.smartCost),
            "stopAt": date(state.createdAt), "startAt": date(state.plan.startAt), "estimatedFinishAt": date(state.plan.estimatedFinishAt),
            "stopConfirmedAt": date(state.stopConfirmedAt), "startConfirmedAt": date(state.startConfirmedAt), "endedAt": date(state.endedAt),
            "finalState": state.finalState.map { .string($0) } ?? .null, "failureCondition": state.failureCondition.map { .string($0) } ?? .null,
        ]
    }

    /// A smart override as the status objects show it (without `userId` and `vendor`).
    static func overrideSummary(_ override: JSONValue) -> JSONValue {
        var summary = override
        summary["userId"] = nil
        summary["vendor"] = nil
        return summary
    }

    /// Transforms for smart-charging status bodies (the status, and a webhook event's `smartChargingStatus`).
    static let statusRendering = VersionedRendering([
        PlanDeprecatedFieldsTransform(), FailureConditionsTransform(), InterruptionConditionsTransform(), ConsiderationsTransform(),
    ])

    /// Transforms for a plan of `GET /vehicles/{id}/smart-charging-plans/{planId}`.
    static let planRendering = VersionedRendering([PlanDeprecatedFieldsTransform(), FailureConditionsTransform(), InterruptionConditionsTransform()])

    /// Applies `change` to a status's `plan`, or to a bare plan.
    static func mapPlan(_ body: JSONValue, _ change: (JSONValue) -> JSONValue) -> JSONValue {
        if body["state"] != nil {
            guard let plan = body["plan"], plan != .null else { return body }
            var status = body
            status["plan"] = change(plan)
            return status
        }
        return change(body)
    }
}

/// 2024-10-01 dropped a plan's deprecated `externalStart` (now the status's `smartOverride`) and `chargingLocationId`.
struct PlanDeprecatedFieldsTransform: ResponseTransform {
    let introducedIn = APIVersion.v2024_10_01
    let summary = "Smart-charging plans lost externalStart and chargingLocationId"

    func downgrade(_ body: JSONValue) -> JSONValue {
        let override = body["smartOverride"] ?? .null
        return SmartChargingViews.mapPlan(body) { plan in
            var plan = plan
            plan["externalStart"] = override
            plan["chargingLocationId"] = plan["locationId"]
            return plan
        }
    }
}

/// The 2024-10-01 failure conditions have no `FINISHED_EARLY`; from 2023-04-15 to 2024-10-01 a plan that finished more
/// than 90 minutes before its estimate reports it.
struct FailureConditionsTransform: ResponseTransform {
    let introducedIn = APIVersion.v2024_10_01
    let summary = "FINISHED_EARLY is no longer a plan failure condition"

    func downgrade(_ body: JSONValue) -> JSONValue {
        SmartChargingViews.mapPlan(body) { plan in
            guard plan["finalState"] == "PLAN:ENDED:FINISHED", plan["failureCondition"] == .null,
                  let ended = plan["endedAt"]?.string.flatMap(Timestamp.parse),
                  let estimate = plan["estimatedFinishAt"]?.string.flatMap(Timestamp.parse),
                  estimate.timeIntervalSince(ended) > 90 * 60 else { return plan }
            var plan = plan
            plan["failureCondition"] = "FINISHED_EARLY"
            return plan
        }
    }
}

/// 2023-04-15 added the CHARGE_INTERRUPTED (UNKNOWN before) and FINISHED_EARLY (no condition before) failure conditions.
struct InterruptionConditionsTransform: ResponseTransform {
    let introducedIn = APIVersion.v2023_04_15
    let summary = "Plan failure conditions CHARGE_INTERRUPTED and FINISHED_EARLY"

    func downgrade(_ body: JSONValue) -> JSONValue {
        SmartChargingViews.mapPlan(body) { plan in
            guard let condition = plan["failureCondition"]?.string, ["CHARGE_INTERRUPTED", "FINISHED_EARLY"].contains(condition) else { return plan }
            var plan = plan
            // An early finish was no failure before; an interruption was an unknown one.
            plan["failureCondition"] = condition == "FINISHED_EARLY" ? .null : "UNKNOWN"
            return plan
        }
    }
}

/// 2023-04-01 removed six considerations, renamed `recentlyAtChargingLocation` to `atChargingLocation` and added
/// FULLY_CHARGED (CONSIDERING, with `needsSignificantCharge` false, before).
struct ConsiderationsTransform: ResponseTransform {
    let introducedIn = APIVersion.v2023_04_01
    let summary = "Smart-charging considerations trimmed; atChargingLocation; FULLY_CHARGED"

    func downgrade(_ body: JSONValue) -> JSONValue {
        var status = body
        let full = body["state"] == "FULLY_CHARGED"
        if full {
            status["state"] = "CONSIDERING"
            status["consideration"] = ["isPluggedIn": true, "isCharging": false, "atChargingLocation": true, "hasTimeEstimate": true]
        }
        guard var consideration = status["consideration"], consideration != .null else { return status }
        consideration["recentlyAtChargingLocation"] = consideration["atChargingLocation"]
        consideration["atChargingLocation"] = nil
        for (name, value) in [("isSmartChargeCapable", true), ("singleUser", true), ("needsSignificantCharge", !full),
                              ("wontStopExistingChargingSession", true), ("hasChargeAboveThreshold", true), ("likelyToGenerateSavings", true)] {
            consideration[name] = .bool(value)
        }
        status["consideration"] = consideration
        return status
    }
}
