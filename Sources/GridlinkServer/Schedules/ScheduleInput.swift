import Foundation
import GridlinkCore

/// A schedule create or update body, checked field by field (errors name the field path).
///
/// The body is a union (charge schedule for `vehicle`/`charger`, temperature schedule for `hvac`), so it is read as
/// JSON and validated by hand. Before 2024-10-01 `entityId`/`entityType` are accepted for the target, before
/// 2023-08-01 `chargingLocationId` for the location, and before 2023-05-01 a temperature schedule's `defaultTarget` and
/// rule `target` for `defaultTargetState` and `targetState`.
struct ScheduleInput {
    let body: JSONValue
    let version: APIVersion

    /// The schedule a create body describes (the target is checked by the caller).
    func created(id: String, clientId: String, userId: String, at now: Date) throws -> Schedule {
        guard case .object = body else { throw Problem.badRequest("The request body must be a JSON object") }
        guard let targetId = try target() else { throw Problem.badRequest("\"targetId\" is required") }
        guard let targetType = try targetType() else { throw Problem.badRequest("\"targetType\" is required") }
        var schedule = Schedule(
            id: id, clientId: clientId, userId: userId, targetId: targetId, targetType: targetType, locationId: nil,
            isEnabled: true, defaultValue: .null, rules: [], createdAt: now)
        try apply(to: &schedule, requireAll: true)
        return schedule
    }

    /// The schedule after a partial update.
    func updated(_ existing: Schedule) throws -> Schedule {
        guard case .object = body else { throw Problem.badRequest("The request body must be a JSON object") }
        var schedule = existing
        if let targetId = try target() { schedule.targetId = targetId }
        if let targetType = try targetType() { schedule.targetType = targetType }
        try apply(to: &schedule, requireAll: existing.isTemperature != schedule.isTemperature)
        return schedule
    }

    private func apply(to schedule: inout Schedule, requireAll: Bool) throws {
        if let enabled = body["isEnabled"], enabled != .null {
            guard let value = enabled.bool else { throw Problem.badRequest("\"isEnabled\" must be a boolean") }
            schedule.isEnabled = value
        }
        let locationKey = version < .v2023_08_01 && body["chargingLocationId"] != nil ? "chargingLocationId" : "locationId"
        if let location = body[locationKey] {
            guard !schedule.isTemperature else { throw Problem.badRequest("\"\(locationKey)\" is not a property of temperature schedules") }
            guard location == .null || location.string != nil else { throw Problem.badRequest("\"\(locationKey)\" must be a string or null") }
            schedule.locationId = location.string
        }
        if schedule.isTemperature { schedule.locationId = nil }
        let defaultKey = legacyKey(schedule.defaultKey, in: body, temperature: schedule.isTemperature)
        if let value = body[defaultKey] {
            schedule.defaultValue = try Self.value(value, path: defaultKey, temperature: schedule.isTemperature)
        } else if requireAll {
            throw Problem.badRequest("\"\(defaultKey)\" is required")
        }
        if let rules = body["rules"] {
            guard let items = rules.array else { throw Problem.badRequest("\"rules\" must be an array") }
            guard items.count <= 100 else { throw Problem.badRequest("\"rules\" must have at most 100 rules") }
            schedule.rules = try items.enumerated().map { index, rule in
                let key = legacyKey(schedule.valueKey, in: rule, temperature: schedule.isTemperature)
                return try Self.rule(rule, path: "rules[\(index)]", valueKey: key, storedKey: schedule.valueKey, temperature: schedule.isTemperature)
            }
        } else if requireAll {
            throw Problem.badRequest("\"rules\" is required")
        }
    }

    /// The key a temperature schedule's value has in `object`: its pre-2023-05-01 name (`defaultTarget`, `target`) when
    /// the request's version is older and the object uses it, else `key`.
    private func legacyKey(_ key: String, in object: JSONValue, temperature: Bool) -> String {
        let legacy = key == "defaultTargetState" ? "defaultTarget" : "target"
        return temperature && version < .v2023_05_01 && object[key] == nil && object[legacy] != nil ? legacy : key
    }

    private func target() throws -> String? {
        let key = version < .v2024_10_01 && body["targetId"] == nil && body["entityId"] != nil ? "entityId" : "targetId"
        guard let value = body[key], value != .null else { return nil }
        guard let id = value.string, !id.isEmpty, id.count <= 200 else { throw Problem.badRequest("\"\(key)\" must be an asset id") }
        return id
    }

    private func targetType() throws -> VendorType? {
        let key = version < .v2024_10_01 && body["targetType"] == nil && body["entityType"] != nil ? "entityType" : "targetType"
        guard let value = body[key], value != .null else { return nil }
        guard let type = value.string.flatMap(VendorType.init(rawValue:)), [.vehicle, .charger, .hvac].contains(type) else {
            throw Problem.badRequest("\"\(key)\" must be one of vehicle, charger, hvac")
        }
        return type
    }

    /// One rule in its stored form: the value plus the filters that were given.
    private static func rule(_ rule: JSONValue, path: String, valueKey: String, storedKey: String, temperature: Bool) throws -> JSONValue {
        guard case .object = rule else { throw Problem.badRequest("\"\(path)\" must be an object") }
        guard let value = rule[valueKey] else { throw Problem.badRequest("\"\(path).\(valueKey)\" is required") }
        var stored: JSONValue = [storedKey: try Self.value(value, path: "\(path).\(valueKey)", temperature: temperature)]
        if let window = rule["hourMinute"], window != .null {
            guard case .object = window else { throw Problem.badRequest("\"\(path).hourMinute\" must be an object") }
            for key in ["from", "to"] {
                guard let text = window[key]?.string else { throw Problem.badRequest("\"\(path).hourMinute.\(key)\" is required (HH:MM)") }
                guard ClockTime(text) != nil else { throw Problem.badRequest("\"\(path).hourMinute.\(key)\" must be a clock time HH:MM") }
            }
            stored["hourMinute"] = ["from": window["from"]!, "to": window["to"]!]
        }
        for key in ["fromTimestamp", "toTimestamp"] {
            guard let value = rule[key], value != .null else { continue }
            guard let date = value.string.flatMap(Timestamp.parseInput) else {
                throw Problem.badRequest("\"\(path).\(key)\" must be an ISO 8601 date-time \(Timestamp.inputRangeText)")
            }
            stored[key] = .string(Timestamp.format(date))
        }
        if let weekdays = rule["weekdays"], weekdays != .null {
            guard let days = weekdays.array, days.allSatisfy({ day in day.number.map { (0...6).contains($0) && $0.rounded() == $0 } ?? false }) else {
                throw Problem.badRequest("\"\(path).weekdays\" must be an array of integers 0 (Monday) to 6 (Sunday)")
            }
            stored["weekdays"] = weekdays
        }
        return stored
    }

    /// A `shouldCharge` boolean or a `targetState` (TemperatureTargetState) in canonical form.
    private static func value(_ value: JSONValue, path: String, temperature: Bool) throws -> JSONValue {
        guard temperature else {
            guard value.bool != nil else { throw Problem.badRequest("\"\(path)\" must be a boolean") }
            return value
        }
        guard case .object = value else { throw Problem.badRequest("\"\(path)\" must be an object") }
        switch value["holdType"]?.string {
        case "SCHEDULED": return ["holdType": "SCHEDULED"]
        case "PERMANENT":
            let request: PermanentHoldRequest
            do {
                request = try JSONDecoder().decode(PermanentHoldRequest.self, from: JSONEncoder().encode(value))
            } catch let error as DecodingError {
                throw Problem.badRequest("In \"\(path)\": \(JSONBody.describe(error))")
            }
            do {
                return TemperatureTarget.state(of: try request.kind())
            } catch {
                throw Problem.badRequest("In \"\(path)\": \(error.detail)")
            }
        default: throw Problem.badRequest("\"\(path).holdType\" must be SCHEDULED or PERMANENT")
        }
    }
}

/// Conversions between HVAC action kinds, HVAC asset data and TemperatureTargetState objects.
enum TemperatureTarget {
    /// The TemperatureTargetState an HVAC action kind sets.
    static func state(of kind: ActionKind) -> JSONValue {
        switch kind {
        case .permanentHold(let mode, let heat, let cool):
            var state: JSONValue = ["holdType": "PERMANENT", "mode": .string(mode)]
            if let heat { state["heatSetpoint"] = .number(heat) }
            if let cool { state["coolSetpoint"] = .number(cool) }
            return state
        default: return ["holdType": "SCHEDULED"]
        }
    }

    /// The action kind that brings an HVAC to a TemperatureTargetState.
    static func kind(for state: JSONValue) -> ActionKind {
        guard state["holdType"] == "PERMANENT", let mode = state["mode"]?.string else { return .followSchedule }
        return .permanentHold(mode: mode, heatSetpoint: state["heatSetpoint"]?.number, coolSetpoint: state["coolSetpoint"]?.number)
    }

    /// The TemperatureTargetState an HVAC asset is in now, or nil when its thermostat state is unknown.
    static func current(of hvac: JSONValue) -> JSONValue? {
        let thermostat = hvac["thermostatState"] ?? .null
        switch thermostat["holdType"]?.string {
        case "SCHEDULED": return ["holdType": "SCHEDULED"]
        case "PERMANENT":
            guard let mode = thermostat["mode"]?.string else { return nil }
            let heat = ["HEAT", "AUTO"].contains(mode) ? thermostat["heatSetpoint"]?.number : nil
            let cool = ["COOL", "AUTO"].contains(mode) ? thermostat["coolSetpoint"]?.number : nil
            return state(of: .permanentHold(mode: mode, heatSetpoint: heat, coolSetpoint: cool))
        default: return nil
        }
    }
}
