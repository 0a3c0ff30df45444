import Foundation

/// A rule's daily clock window: `from` inclusive, `to` exclusive; a `to` at or before `from` ends on the next day.
public struct HourMinuteWindow: Sendable, Hashable, Codable {
    /// Local clock time the window opens.
    public var from: ClockTime
    /// Local clock time the window closes; at or before ``from`` means the next day.
    public var to: ClockTime

    /// Creates a window from `from` to `to` local time.
    public init(from: ClockTime, to: ClockTime) {
        self.from = from
        self.to = to
    }

    /// Wall-clock minutes from opening to closing; a `to` equal to `from` makes a whole day.
    public var durationMinutes: Int {
        to > from ? to.minutes - from.minutes : to.minutes + ClockTime.minutesPerDay - from.minutes
    }

    /// The wall-clock span, in ``WallClock`` seconds, of the window that opens on local `day`.
    func span(openingOn day: Int) -> Range<Double> {
        let opening = Double(day) * WallClock.secondsPerDay + Double(from.minutes * 60)
        return opening..<(opening + Double(durationMinutes * 60))
    }
}

/// One schedule rule: optional filters combined with AND, and the value it sets while they all match.
public struct ScheduleRule<Value: Sendable & Equatable>: Sendable, Equatable {
    /// Daily local clock window; nil matches every time of day.
    public var hourMinute: HourMinuteWindow?
    /// First instant the rule applies (inclusive); nil has no start.
    public var fromTimestamp: Date?
    /// Instant the rule stops applying (exclusive); nil has no end.
    public var toTimestamp: Date?
    /// Local weekdays, 0 = Monday … 6 = Sunday; a window crossing midnight belongs to the day it opens; nil matches all.
    public var weekdays: Set<Int>?
    /// The value the rule sets while it matches.
    public var value: Value

    /// Creates a rule setting `value`, filtered by whichever of the optional filters are given.
    public init(value: Value, hourMinute: HourMinuteWindow? = nil, fromTimestamp: Date? = nil, toTimestamp: Date? = nil, weekdays: Set<Int>? = nil) {
        self.value = value
        self.hourMinute = hourMinute
        self.fromTimestamp = fromTimestamp
        self.toTimestamp = toTimestamp
        self.weekdays = weekdays
    }

    /// Whether every filter holds at `instant`, whose wall-clock reading in the schedule's timezone is `wall`.
    func matches(_ instant: Date, wall: WallClock) -> Bool {
        if let fromTimestamp, instant < fromTimestamp { return false }
        if let toTimestamp, instant >= toTimestamp { return false }
        guard let hourMinute else { return includes(day: wall.day) }
        return [wall.day - 1, wall.day].contains { day in
            includes(day: day) && hourMinute.span(openingOn: day).contains(wall.seconds)
        }
    }

    private func includes(day: Int) -> Bool {
        weekdays?.contains(WallClock.weekday(ofDay: day)) ?? true
    }
}
