import Foundation

/// An instant as read on a timezone's wall clock: seconds since local 1970-01-01 00:00, with no daylight-saving jumps.
struct WallClock: Sendable {
    /// Seconds per day on the wall clock.
    static let secondsPerDay: Double = 86_400

    /// Seconds since local 1970-01-01 00:00.
    let seconds: Double

    /// Reads `instant` on the wall clock of `timeZone`.
    init(_ instant: Date, in timeZone: TimeZone) {
        seconds = instant.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: instant))
    }

    /// Local days since 1970-01-01.
    var day: Int { Int((seconds / Self.secondsPerDay).rounded(.down)) }

    /// Seconds since the local midnight that starts ``day``.
    var secondOfDay: Double { seconds - Double(day) * Self.secondsPerDay }

    /// The weekday of ``day``, 0 = Monday … 6 = Sunday.
    var weekday: Int { Self.weekday(ofDay: day) }

    /// The weekday of a local day count, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    static func weekday(ofDay day: Int) -> Int {
        ((day + 3) % 7 + 7) % 7
    }
}
