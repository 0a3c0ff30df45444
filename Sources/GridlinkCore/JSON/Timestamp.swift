import Foundation

/// The API's timestamp form: ISO 8601 with milliseconds in UTC, e.g. `2023-07-18T10:08:02.373Z`.
public enum Timestamp {
    /// Formats a date.
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    /// Parses an ISO 8601 instant with or without fractional seconds; nil when malformed.
    public static func parse(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: .iso8601))
    }
}
