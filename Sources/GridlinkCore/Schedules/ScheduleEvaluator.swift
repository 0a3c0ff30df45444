import Foundation

/// A coming change of a schedule's value.
public struct ScheduleTransition<Value: Sendable & Equatable>: Sendable, Equatable {
    /// The instant the new value takes effect.
    public let at: Date
    /// The value from `at` on.
    public let value: Value

    /// Creates a transition to `value` at `at`.
    public init(at: Date, value: Value) {
        self.at = at
        self.value = value
    }
}

/// Evaluates an ordered rule list in a timezone: the first matching rule's value, else the default.
///
/// Clock times are wall-clock: on a spring-forward day the skipped times never match (a boundary inside the
/// gap takes effect at the first instant after it), and on a fall-back day both passes of the repeated hour do.
public struct ScheduleEvaluator<Value: Sendable & Equatable>: Sendable {
    /// How far ahead ``transitions(after:limit:)`` looks.
    public static var horizon: TimeInterval { 8 * WallClock.secondsPerDay }

    /// The rules, first match wins.
    public let rules: [ScheduleRule<Value>]
    /// The value when no rule matches.
    public let defaultValue: Value
    /// The timezone clock times and weekdays are read in.
    public let timeZone: TimeZone

    /// Creates an evaluator over `rules` (first match wins) falling back to `defaultValue`, reading clocks in `timeZone`.
    public init(rules: [ScheduleRule<Value>], defaultValue: Value, timeZone: TimeZone = .gmt) {
        self.rules = rules
        self.defaultValue = defaultValue
        self.timeZone = timeZone
    }

    /// The scheduled value at `instant`.
    public func value(at instant: Date) -> Value {
        let wall = WallClock(instant, in: timeZone)
        return rules.first { $0.matches(instant, wall: wall) }?.value ?? defaultValue
    }

    /// Up to `limit` instants after `instant`, within ``horizon``, where the value changes, with the value from then on.
    public func transitions(after instant: Date, limit: Int = 2) -> [ScheduleTransition<Value>] {
        guard limit > 0 else { return [] }
        let end = instant.addingTimeInterval(Self.horizon)
        var current = value(at: instant)
        var result: [ScheduleTransition<Value>] = []
        for candidate in boundaries(from: instant, to: end) where candidate > instant {
            let next = value(at: candidate)
            guard next != current else { continue }
            result.append(ScheduleTransition(at: candidate, value: next))
            current = next
            if result.count == limit { break }
        }
        return result
    }

    /// The first instant after `instant`, within ``horizon``, where the value changes.
    public func nextChange(after instant: Date) -> Date? {
        transitions(after: instant, limit: 1).first?.at
    }

    /// Every instant in `start … end` where a rule's filter can start or stop matching, sorted.
    private func boundaries(from start: Date, to end: Date) -> [Date] {
        var instants = Set(rules.flatMap { [$0.fromTimestamp, $0.toTimestamp].compactMap(\.self) })
        for segment in offsetSegments(from: start, to: end) {
            instants.insert(segment.lowerBound)
            let offset = Double(timeZone.secondsFromGMT(for: segment.lowerBound))
            let firstDay = WallClock(segment.lowerBound, in: timeZone).day - 1
            let lastDay = WallClock(segment.upperBound, in: timeZone).day
            for day in firstDay...lastDay {
                var wallTimes = [Double(day) * WallClock.secondsPerDay]
                for window in rules.compactMap(\.hourMinute) {
                    let span = window.span(openingOn: day)
                    wallTimes += [span.lowerBound, span.upperBound]
                }
                instants.formUnion(wallTimes.map { Date(timeIntervalSince1970: $0 - offset) }.filter(segment.contains))
            }
        }
        return instants.filter { $0 <= end }.sorted()
    }

    /// `start ..< end` cut at the timezone's offset changes, so each piece has one UTC offset.
    private func offsetSegments(from start: Date, to end: Date) -> [Range<Date>] {
        var segments: [Range<Date>] = []
        var lower = start
        while lower < end {
            let change = timeZone.nextDaylightSavingTimeTransition(after: lower).flatMap { $0 > lower ? $0 : nil }
            let upper = min(change ?? end, end)
            segments.append(lower..<upper)
            lower = upper
        }
        return segments
    }
}
