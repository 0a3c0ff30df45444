import Foundation

/// A named rate of a tariff, with its cost as a decimal string (e.g. `"13.37"`).
public struct TariffRate: Sendable, Equatable, Codable {
    /// Rate name, unique within its tariff (e.g. `PEAK`).
    public let name: String
    /// Cost per kWh as a decimal string.
    public let cost: String

    /// Creates a rate.
    public init(name: String, cost: String) {
        self.name = name
        self.cost = cost
    }

    /// The cost as a number.
    public var value: Double { Double(cost) ?? 0 }

    /// Whether `text` is a plain decimal number such as `13.37`, `-0.5` or `0`.
    public static func isDecimal(_ text: String) -> Bool {
        text.wholeMatch(of: /-?[0-9]{1,12}(\.[0-9]{1,12})?/) != nil
    }
}

/// When a named rate applies: local clock times `[from, to)` on some weekdays (0 = Monday) in the location's timezone.
public struct TariffInterval: Sendable, Equatable {
    /// The rate's name.
    public let name: String
    /// Start, inclusive.
    public let from: ClockTime
    /// End, exclusive (`24:00` is the end of the day).
    public let to: ClockTime
    /// The weekdays it applies on.
    public let weekdays: Set<Int>

    /// Creates an interval.
    public init(name: String, from: ClockTime, to: ClockTime, weekdays: Set<Int>) {
        self.name = name
        self.from = from
        self.to = to
        self.weekdays = weekdays
    }
}

/// One row of `GET /locations/{id}/tariff`: a rate's interval on one weekday, in UTC clock times.
public struct LocationTariffScheduleEntry: Sendable, Equatable, Codable {
    /// 0 = Monday … 6 = Sunday (UTC).
    public let weekday: Int
    /// Start, inclusive, UTC `HH:mm`.
    public let fromHourMinute: String
    /// End, exclusive, UTC `HH:mm`.
    public let toHourMinute: String
    /// The linked tariff.
    public let tariffId: String
    /// The rate's name.
    public let tariffName: String
}

/// Validation and evaluation of a location's weekly tariff intervals.
public enum TariffSchedule {
    /// Parses `tariffIntervals`; a 400 problem names the offending field, or reports an overlap or (when `rates` is
    /// given) a rate the tariff does not have.
    public static func intervals(from value: JSONValue, rates: [TariffRate]?) throws(Problem) -> [TariffInterval] {
        guard let items = value.array else { throw .badRequest("\"tariffIntervals\" must be an array") }
        guard items.count <= 700 else { throw .badRequest("\"tariffIntervals\" must have at most 700 intervals") }
        var intervals: [TariffInterval] = []
        for (index, item) in items.enumerated() {
            let path = "tariffIntervals[\(index)]"
            guard let name = item["name"]?.string else { throw .badRequest("\"\(path).name\" is required") }
            guard rates?.contains(where: { $0.name == name }) ?? true else { throw .badRequest("\"\(path).name\" must be a rate of the tariff; \"\(name)\" is not") }
            guard let fromText = item["from"]?.string else { throw .badRequest("\"\(path).from\" is required (HH:mm)") }
            guard let toText = item["to"]?.string else { throw .badRequest("\"\(path).to\" is required (HH:mm)") }
            guard let from = ClockTime(fromText), from.minutes < 24 * 60 else { throw .badRequest("\"\(path).from\" must be a clock time HH:mm before 24:00") }
            guard let to = ClockTime(toText) else { throw .badRequest("\"\(path).to\" must be a clock time HH:mm (24:00 allowed)") }
            guard to > from else { throw .badRequest("\"\(path).to\" must be after \"\(path).from\"") }
            var weekdays = Set(0...6)
            if let days = item["weekdays"], days != .null {
                let numbers = days.array?.compactMap { $0.number } ?? []
                guard let list = days.array, numbers.count == list.count, numbers.allSatisfy({ (0...6).contains($0) && $0.rounded() == $0 }),
                      Set(numbers).count == numbers.count else {
                    throw .badRequest("\"\(path).weekdays\" must be distinct integers 0 (Monday) to 6 (Sunday)")
                }
                weekdays = Set(numbers.map { Int($0) })
            }
            let interval = TariffInterval(name: name, from: from, to: to, weekdays: weekdays)
            if let clash = intervals.firstIndex(where: { !$0.weekdays.isDisjoint(with: weekdays) && $0.from < to && from < $0.to }) {
                throw .badRequest("Overlapping tariff schedule: \"tariffIntervals[\(clash)]\" and \"\(path)\" overlap. Ensure that the schedule has no overlaps.")
            }
            intervals.append(interval)
        }
        return intervals
    }

    /// The stored JSON form of intervals (`name`, `from`, `to`, `weekdays`).
    public static func json(_ intervals: [TariffInterval]) -> JSONValue {
        .array(intervals.map { interval in
            ["name": .string(interval.name), "from": .string(interval.from.text), "to": .string(interval.to.text),
             "weekdays": .array(interval.weekdays.sorted().map { .number(Double($0)) })]
        })
    }

    /// The weekly schedule in UTC clock times, using the timezone's offset at `reference`; an interval that crosses
    /// UTC midnight is split across the two weekdays. Sorted by weekday, then start.
    public static func utcSchedule(_ intervals: [TariffInterval], tariffId: String, timeZone: TimeZone, reference: Date) -> [LocationTariffScheduleEntry] {
        let offset = timeZone.secondsFromGMT(for: reference) / 60
        let week = 7 * 24 * 60
        var entries: [LocationTariffScheduleEntry] = []
        for interval in intervals {
            for day in interval.weekdays {
                var start = (day * 24 * 60 + interval.from.minutes - offset + week) % week
                var remaining = interval.to.minutes - interval.from.minutes
                while remaining > 0 {
                    let weekday = start / (24 * 60)
                    let dayEnd = (weekday + 1) * 24 * 60
                    let length = min(remaining, dayEnd - start)
                    entries.append(LocationTariffScheduleEntry(
                        weekday: weekday, fromHourMinute: clock(start - weekday * 24 * 60), toHourMinute: clock(start + length - weekday * 24 * 60),
                        tariffId: tariffId, tariffName: interval.name))
                    remaining -= length
                    start = (start + length) % week
                }
            }
        }
        return entries.sorted { ($0.weekday, $0.fromHourMinute) < ($1.weekday, $1.fromHourMinute) }
    }

    /// The name of the rate in force at `instant` (local weekday and clock time), or nil in a gap.
    public static func rateName(at instant: Date, intervals: [TariffInterval], timeZone: TimeZone) -> String? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: instant)
        let weekday = ((parts.weekday ?? 2) + 5) % 7
        let minutes = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        return intervals.first { $0.weekdays.contains(weekday) && $0.from.minutes <= minutes && minutes < $0.to.minutes }?.name
    }

    private static func clock(_ minutes: Int) -> String {
        ClockTime(minutes: minutes)?.text ?? "24:00"
    }
}
