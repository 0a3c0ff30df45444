import Foundation

/// The API's timestamp form: ISO 8601 with milliseconds in UTC, e.g. `2023-07-18T10:08:02.373Z`.
public enum Timestamp {
    /// The instants a request may name: from 2000-01-01 (inclusive) to 2100-01-01 (exclusive), UTC.
    public static let inputRange = Date(timeIntervalSince1970: 946_684_800)..<Date(timeIntervalSince1970: 4_102_444_800)
    /// How a 400 problem describes ``inputRange``.
    public static let inputRangeText = "from 2000-01-01T00:00:00Z to 2100-01-01T00:00:00Z"

    /// Formats a date.
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    /// Parses an ISO 8601 instant with or without fractional seconds; nil when malformed.
    public static func parse(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: .iso8601))
    }

    /// Parses an instant a request gives: nil when malformed or outside ``inputRange``.
    public static func parseInput(_ text: String) -> Date? {
        parse(text).flatMap { inputRange.contains($0) ? $0 : nil }
    }
}
