import Foundation

/// A local calendar day or month as an instant range, cut into quarter-hours (a day) or days (a month).
public struct LocalPeriod: Sendable, Equatable {
    /// First instant.
    public let start: Date
    /// First instant after the period.
    public let end: Date
    /// True for a month (buckets of one day), false for a day (buckets of a quarter-hour).
    public let byDay: Bool
    /// The time zone the calendar follows.
    public let timeZone: TimeZone

    /// The local month, or the local day of that month when `day` is given; nil when the day is not in the month.
    public init?(year: Int, month: Int, day: Int?, timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard (1...12).contains(month), let monthStart = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
              let monthEnd = calendar.date(byAdding: .month, value: 1, to: monthStart) else { return nil }
        self.timeZone = timeZone
        guard let day else {
            (start, end, byDay) = (monthStart, monthEnd, true)
            return
        }
        guard (1...Self.days(year: year, month: month, timeZone: timeZone)).contains(day),
              let dayStart = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              let dayEnd = calendar.date(byAdding: .day, value: 1, to: dayStart) else { return nil }
        (start, end, byDay) = (dayStart, dayEnd, false)
    }

    /// How many days the month has.
    public static func days(year: Int, month: Int, timeZone: TimeZone) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: year, month: month, day: 1)).flatMap { calendar.range(of: .day, in: .month, for: $0)?.count } ?? 31
    }

    /// The resolution of the period's buckets.
    public var resolution: StatisticsResolution { byDay ? .day : .quarterHour }

    /// The buckets, in order.
    public var buckets: [Range<Date>] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var result: [Range<Date>] = []
        var cursor = start
        while cursor < end {
            let next = byDay ? calendar.date(byAdding: .day, value: 1, to: cursor) ?? end : cursor.addingTimeInterval(900)
            result.append(cursor..<next)
            cursor = next
        }
        return result
    }

    /// Whether a bucket has data: it has begun by `now` and ends after the quarter-hour of the first sample.
    public static func isKnown(_ bucket: Range<Date>, firstSample: Date, now: Date) -> Bool {
        bucket.upperBound > StatisticsResolution.quarterHour.bucketStart(of: firstSample, utcOffset: 0) && bucket.lowerBound < now
    }
}
