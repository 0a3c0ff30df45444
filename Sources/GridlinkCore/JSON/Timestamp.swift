import Foundation

/// The API's timestamp form: ISO 8601 with milliseconds in UTC, e.g. `2023-07-18T10:08:02.373Z`.
public enum Timestamp {
    /// Formats a date.
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }
}
