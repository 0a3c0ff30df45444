import Foundation

/// A charge schedule (vehicle or charger: `shouldCharge`) or a temperature schedule (HVAC: `targetState`) for one device.
public struct Schedule: Sendable, Equatable {
    /// Schedule id (UUID).
    public let id: String
    /// Owning client.
    public let clientId: String
    /// Owning user.
    public let userId: String
    /// The controlled asset.
    public var targetId: String
    /// `vehicle` or `charger` (charge schedule) or `hvac` (temperature schedule).
    public var targetType: VendorType
    /// Where the schedule applies (charge schedules); nil means anywhere.
    public var locationId: String?
    /// Whether the schedule controls its target.
    public var isEnabled: Bool
    /// `defaultShouldCharge` (a bool) or `defaultTargetState` (an object), used when no rule matches.
    public var defaultValue: JSONValue
    /// The ordered rules as the API shows them; each has `shouldCharge` or `targetState` plus optional filters.
    public var rules: [JSONValue]
    /// When the schedule was created.
    public let createdAt: Date

    /// Creates a schedule value.
    public init(
        id: String, clientId: String, userId: String, targetId: String, targetType: VendorType, locationId: String?,
        isEnabled: Bool, defaultValue: JSONValue, rules: [JSONValue], createdAt: Date
    ) {
        self.id = id
        self.clientId = clientId
        self.userId = userId
        self.targetId = targetId
        self.targetType = targetType
        self.locationId = locationId
        self.isEnabled = isEnabled
        self.defaultValue = defaultValue
        self.rules = rules
        self.createdAt = createdAt
    }

    /// Whether this is a temperature schedule (HVAC) rather than a charge schedule.
    public var isTemperature: Bool { targetType == .hvac }

    /// The key each rule's value lives under: `targetState` or `shouldCharge`.
    public var valueKey: String { isTemperature ? "targetState" : "shouldCharge" }

    /// The key of the default value: `defaultTargetState` or `defaultShouldCharge`.
    public var defaultKey: String { isTemperature ? "defaultTargetState" : "defaultShouldCharge" }
}

extension Schedule {
    /// The rule evaluator of this schedule in `timeZone`; values are `shouldCharge` booleans or `targetState` objects.
    public func evaluator(in timeZone: TimeZone) -> ScheduleEvaluator<JSONValue> {
        let rules = rules.map { rule in
            ScheduleRule(
                value: rule[valueKey] ?? .null,
                hourMinute: rule["hourMinute"].flatMap { window in
                    guard let from = window["from"]?.string.flatMap(ClockTime.init), let to = window["to"]?.string.flatMap(ClockTime.init) else { return nil }
                    return HourMinuteWindow(from: from, to: to)
                },
                fromTimestamp: rule["fromTimestamp"]?.string.flatMap(Timestamp.parse),
                toTimestamp: rule["toTimestamp"]?.string.flatMap(Timestamp.parse),
                weekdays: rule["weekdays"]?.array.map { Set($0.compactMap { $0.number.map(Int.init) }) })
        }
        return ScheduleEvaluator(rules: rules, defaultValue: defaultValue, timeZone: timeZone)
    }
}
