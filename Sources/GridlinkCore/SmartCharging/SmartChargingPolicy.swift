import Foundation

/// A vehicle's smart-charging policy (VehicleSmartChargingPolicy).
public struct SmartChargingPolicy: Sendable, Equatable, Codable {
    /// Whether smart charging is on.
    public var isEnabled: Bool
    /// "HH:MM" by which the car should be charged, in the location's timezone.
    public var deadline: String?
    /// Level (%) charged at once regardless of price.
    public var minimumChargeLimit: Double

    /// The policy of a vehicle that never had one.
    public static let disabled = SmartChargingPolicy(isEnabled: false, deadline: nil, minimumChargeLimit: 0)

    /// Creates a policy.
    public init(isEnabled: Bool, deadline: String?, minimumChargeLimit: Double) {
        self.isEnabled = isEnabled
        self.deadline = deadline
        self.minimumChargeLimit = minimumChargeLimit
    }

    /// The policy stored in a vehicle body's `smartChargingPolicy`.
    public init(body: JSONValue) {
        let policy = body["smartChargingPolicy"] ?? .null
        self.init(isEnabled: policy["isEnabled"]?.bool ?? false, deadline: policy["deadline"]?.string,
                  minimumChargeLimit: policy["minimumChargeLimit"]?.number ?? 0)
    }

    /// The API shape.
    public var json: JSONValue {
        ["isEnabled": .bool(isEnabled), "deadline": deadline.map { .string($0) } ?? .null, "minimumChargeLimit": .number(minimumChargeLimit)]
    }

    /// The next moment after `instant` at which the wall clock of `timeZone` shows the deadline; nil without one.
    public func nextDeadline(after instant: Date, in timeZone: TimeZone) -> Date? {
        guard let deadline, let time = ClockTime(deadline) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = DateComponents(hour: time.minutes / 60, minute: time.minutes % 60, second: 0)
        return calendar.nextDate(after: instant, matching: parts, matchingPolicy: .nextTime)
    }
}
