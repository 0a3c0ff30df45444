import Foundation
import GridlinkCore
import Testing

@Suite("Schedule evaluation")
struct ScheduleEvaluatorTests {
    /// A rule list, the timezone it is read in, and what it should give at given instants.
    struct Case: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let zone: String
        let rules: [ScheduleRule<String>]
        /// ISO 8601 instants and the value expected at each.
        let expectations: KeyValuePairs<String, String>

        func evaluator() throws -> ScheduleEvaluator<String> {
            ScheduleEvaluator(rules: rules, defaultValue: "default", timeZone: try #require(TimeZone(identifier: zone)))
        }
    }

    static func rule(_ value: String, _ from: String? = nil, _ to: String? = nil, weekdays: Set<Int>? = nil,
                     fromTimestamp: String? = nil, toTimestamp: String? = nil) -> ScheduleRule<String> {
        let window = from.flatMap(ClockTime.init).flatMap { start in to.flatMap(ClockTime.init).map { HourMinuteWindow(from: start, to: $0) } }
        return ScheduleRule(value: value, hourMinute: window, fromTimestamp: fromTimestamp.map(instant),
                            toTimestamp: toTimestamp.map(instant), weekdays: weekdays)
    }

    static func instant(_ text: String) -> Date {
        (try? Date.ISO8601FormatStyle().parse(text)) ?? .distantPast
    }

    static let valueCases: [Case] = [
        Case(testDescription: "first matching rule wins, else the default", zone: "UTC",
             rules: [rule("A", "00:00", "12:00"), rule("B", "06:00", "18:00")],
             expectations: ["2026-01-05T07:00:00Z": "A", "2026-01-05T12:00:00Z": "B", "2026-01-05T18:00:00Z": "default"]),
        Case(testDescription: "a window whose to is before its from runs past midnight", zone: "UTC",
             rules: [rule("night", "22:00", "06:00")],
             expectations: ["2026-01-05T21:59:59Z": "default", "2026-01-05T22:00:00Z": "night", "2026-01-06T05:59:59Z": "night",
                            "2026-01-06T06:00:00Z": "default"]),
        Case(testDescription: "24:00 closes at the end of the day", zone: "UTC",
             rules: [rule("evening", "18:00", "24:00")],
             expectations: ["2026-01-05T23:59:59Z": "evening", "2026-01-06T00:00:00Z": "default", "2026-01-05T18:00:00Z": "evening"]),
        Case(testDescription: "equal from and to make a whole day", zone: "UTC",
             rules: [rule("all", "07:00", "07:00", weekdays: [0])],
             expectations: ["2026-01-05T07:00:00Z": "all", "2026-01-06T06:59:59Z": "all", "2026-01-06T07:00:00Z": "default"]),
        Case(testDescription: "a crossing window belongs to the weekday it opens (Friday night)", zone: "UTC",
             rules: [rule("friday-night", "22:00", "06:00", weekdays: [4])],
             expectations: ["2026-01-02T23:00:00Z": "friday-night", "2026-01-03T05:00:00Z": "friday-night",
                            "2026-01-02T03:00:00Z": "default", "2026-01-03T23:00:00Z": "default"]),
        Case(testDescription: "a Sunday window crossing into Monday", zone: "Europe/Oslo",
             rules: [rule("sunday-night", "22:00", "06:00", weekdays: [6])],
             expectations: ["2026-01-05T01:00:00Z": "sunday-night", "2026-01-04T21:00:00Z": "sunday-night",
                            "2026-01-04T01:00:00Z": "default", "2026-01-05T22:00:00Z": "default"]),
        Case(testDescription: "weekdays without a window cover whole local days", zone: "Europe/Oslo",
             rules: [rule("weekend", weekdays: [5, 6])],
             expectations: ["2026-01-02T22:59:59Z": "default", "2026-01-02T23:00:00Z": "weekend", "2026-01-04T22:59:59Z": "weekend",
                            "2026-01-04T23:00:00Z": "default"]),
        Case(testDescription: "fromTimestamp is inclusive, toTimestamp exclusive", zone: "UTC",
             rules: [rule("boost", fromTimestamp: "2026-01-02T10:00:00Z", toTimestamp: "2026-01-02T12:00:00Z")],
             expectations: ["2026-01-02T09:59:59Z": "default", "2026-01-02T10:00:00Z": "boost", "2026-01-02T11:59:59Z": "boost",
                            "2026-01-02T12:00:00Z": "default"]),
        Case(testDescription: "filters combine with AND", zone: "UTC",
             rules: [rule("both", "10:00", "11:00", weekdays: [4], fromTimestamp: "2026-01-09T00:00:00Z")],
             expectations: ["2026-01-02T10:30:00Z": "default", "2026-01-09T10:30:00Z": "both", "2026-01-08T10:30:00Z": "default"]),
        Case(testDescription: "Oslo spring-forward: 02:00–03:00 does not exist, 02:30–04:00 opens at 03:00", zone: "Europe/Oslo",
             rules: [rule("gap", "02:00", "03:00"), rule("late", "02:30", "04:00")],
             expectations: ["2026-03-29T00:59:59Z": "default", "2026-03-29T01:00:00Z": "late", "2026-03-29T01:59:59Z": "late",
                            "2026-03-29T02:00:00Z": "default"]),
        Case(testDescription: "Oslo fall-back: both passes of 02:00–03:00 are inside", zone: "Europe/Oslo",
             rules: [rule("repeat", "02:00", "03:00")],
             expectations: ["2026-10-24T23:59:59Z": "default", "2026-10-25T00:00:00Z": "repeat", "2026-10-25T00:30:00Z": "repeat",
                            "2026-10-25T01:30:00Z": "repeat", "2026-10-25T02:00:00Z": "default"]),
        Case(testDescription: "Oslo fall-back: a window ending at 02:30 is left and re-entered", zone: "Europe/Oslo",
             rules: [rule("early", "00:00", "02:30")],
             expectations: ["2026-10-25T00:29:59Z": "early", "2026-10-25T00:30:00Z": "default", "2026-10-25T01:00:00Z": "early",
                            "2026-10-25T01:30:00Z": "default"]),
        Case(testDescription: "New York spring-forward: 02:00–02:30 never happens", zone: "America/New_York",
             rules: [rule("gap", "02:00", "02:30"), rule("before", "01:00", "02:30")],
             expectations: ["2026-03-08T06:30:00Z": "before", "2026-03-08T06:59:59Z": "before", "2026-03-08T07:00:00Z": "default"]),
        Case(testDescription: "New York fall-back: 01:00–02:00 lasts two hours", zone: "America/New_York",
             rules: [rule("repeat", "01:00", "02:00")],
             expectations: ["2026-11-01T04:59:59Z": "default", "2026-11-01T05:00:00Z": "repeat", "2026-11-01T06:00:00Z": "repeat",
                            "2026-11-01T06:59:59Z": "repeat", "2026-11-01T07:00:00Z": "default"]),
    ]

    @Test("values", arguments: valueCases)
    func values(_ testCase: Case) throws {
        let evaluator = try testCase.evaluator()
        for (text, expected) in testCase.expectations {
            #expect(evaluator.value(at: Self.instant(text)) == expected, "at \(text)")
        }
    }

    /// A rule list, a start instant, a limit and the transitions expected after it.
    struct TransitionCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let schedule: Case
        let after: String
        let limit: Int
        let expected: KeyValuePairs<String, String>
    }

    static func transitionCase(_ description: String, zone: String = "UTC", _ rules: [ScheduleRule<String>], after: String, limit: Int = 2,
                               _ expected: KeyValuePairs<String, String>) -> TransitionCase {
        TransitionCase(testDescription: description, schedule: Case(testDescription: description, zone: zone, rules: rules, expectations: [:]),
                       after: after, limit: limit, expected: expected)
    }

    static let transitionCases: [TransitionCase] = [
        transitionCase("across midnight, limit 2", [rule("on", "22:00", "06:00")], after: "2026-01-02T12:00:00Z",
                       ["2026-01-02T22:00:00Z": "on", "2026-01-03T06:00:00Z": "default"]),
        transitionCase("starting inside a window", [rule("on", "22:00", "06:00")], after: "2026-01-03T01:00:00Z", limit: 3,
                       ["2026-01-03T06:00:00Z": "default", "2026-01-03T22:00:00Z": "on", "2026-01-04T06:00:00Z": "default"]),
        transitionCase("only real changes: adjacent rules with one value", [rule("on", "00:00", "12:00"), rule("on", "12:00", "18:00")],
                       after: "2026-01-02T20:00:00Z", ["2026-01-03T00:00:00Z": "on", "2026-01-03T18:00:00Z": "default"]),
        transitionCase("weekly rule: the horizon ends after eight days", [rule("on", "22:00", "06:00", weekdays: [4])],
                       after: "2026-01-01T12:00:00Z", limit: 3, ["2026-01-02T22:00:00Z": "on", "2026-01-03T06:00:00Z": "default"]),
        transitionCase("weekday-only rule changes at local midnight", zone: "Europe/Oslo", [rule("on", weekdays: [5])],
                       after: "2026-01-02T12:00:00Z", ["2026-01-02T23:00:00Z": "on", "2026-01-03T23:00:00Z": "default"]),
        transitionCase("timestamps", [rule("boost", fromTimestamp: "2026-01-02T10:15:00Z", toTimestamp: "2026-01-02T12:45:00Z")],
                       after: "2026-01-01T00:00:00Z", ["2026-01-02T10:15:00Z": "boost", "2026-01-02T12:45:00Z": "default"]),
        transitionCase("timestamps past the horizon are not reached", [rule("boost", fromTimestamp: "2026-01-20T00:00:00Z")],
                       after: "2026-01-01T00:00:00Z", [:]),
        transitionCase("Oslo spring-forward: a boundary in the gap takes effect after it", zone: "Europe/Oslo",
                       [rule("on", "02:30", "04:00")], after: "2026-03-28T12:00:00Z",
                       ["2026-03-29T01:00:00Z": "on", "2026-03-29T02:00:00Z": "default"]),
        transitionCase("Oslo fall-back: the repeated hour stays inside", zone: "Europe/Oslo",
                       [rule("on", "02:00", "03:00")], after: "2026-10-24T12:00:00Z",
                       ["2026-10-25T00:00:00Z": "on", "2026-10-25T02:00:00Z": "default"]),
        transitionCase("Oslo fall-back: a window ending in the repeated hour is re-entered", zone: "Europe/Oslo",
                       [rule("on", "00:00", "02:30")], after: "2026-10-24T12:00:00Z", limit: 4,
                       ["2026-10-24T22:00:00Z": "on", "2026-10-25T00:30:00Z": "default", "2026-10-25T01:00:00Z": "on",
                        "2026-10-25T01:30:00Z": "default"]),
        transitionCase("New York spring-forward: a window inside the gap is skipped that day", zone: "America/New_York",
                       [rule("on", "02:00", "02:30")], after: "2026-03-07T12:00:00Z",
                       ["2026-03-09T06:00:00Z": "on", "2026-03-09T06:30:00Z": "default"]),
        transitionCase("New York fall-back: the window lasts two hours", zone: "America/New_York",
                       [rule("on", "01:00", "02:00")], after: "2026-10-31T12:00:00Z",
                       ["2026-11-01T05:00:00Z": "on", "2026-11-01T07:00:00Z": "default"]),
        transitionCase("no rules, no transitions", [], after: "2026-01-01T00:00:00Z", [:]),
    ]

    @Test("transitions", arguments: transitionCases)
    func transitions(_ testCase: TransitionCase) throws {
        let evaluator = try testCase.schedule.evaluator()
        let found = evaluator.transitions(after: Self.instant(testCase.after), limit: testCase.limit)
        #expect(found == testCase.expected.map { ScheduleTransition(at: Self.instant($0.key), value: $0.value) })
    }

    @Test("nextChange is the first transition; limit 0 finds none")
    func nextChange() {
        let evaluator = ScheduleEvaluator(rules: [Self.rule("on", "22:00", "06:00")], defaultValue: "default")
        #expect(evaluator.nextChange(after: Self.instant("2026-01-02T22:00:00Z")) == Self.instant("2026-01-03T06:00:00Z"))
        #expect(evaluator.transitions(after: Self.instant("2026-01-02T22:00:00Z"), limit: 0).isEmpty)
    }

    @Test("clock times parse HH:mm from 00:00 to 24:00 and format back", arguments: ["00:00", "06:30", "23:59", "24:00"])
    func clockTimes(_ text: String) throws {
        #expect(try #require(ClockTime(text)).text == text)
    }

    @Test("malformed clock times are rejected", arguments: ["24:01", "25:00", "12:60", "7:00", "07:0", "0700", "07-00", "", "ab:cd", "+1:00"])
    func malformedClockTimes(_ text: String) {
        #expect(ClockTime(text) == nil)
    }

    @Test("windows decode from the wire form")
    func decoding() throws {
        let window = try JSONDecoder().decode(HourMinuteWindow.self, from: Data(#"{"from":"22:00","to":"06:00"}"#.utf8))
        #expect(window.durationMinutes == 480)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(HourMinuteWindow.self, from: Data(#"{"from":"22:00","to":"6"}"#.utf8)) }
    }
}
