/// A local wall-clock time of day written "HH:mm", from 00:00 to 24:00, held as minutes since midnight.
public struct ClockTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Minutes since local midnight, 0 … 1440 (1440 is "24:00", the end of the day).
    public let minutes: Int

    /// Creates a time from minutes since midnight; nil outside 0 … 1440.
    public init?(minutes: Int) {
        guard (0...Self.minutesPerDay).contains(minutes) else { return nil }
        self.minutes = minutes
    }

    /// Parses "HH:mm" with two digits each; nil when malformed or past "24:00".
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
              let hourTens = Self.digit(bytes[0]), let hourUnits = Self.digit(bytes[1]),
              let minuteTens = Self.digit(bytes[3]), let minuteUnits = Self.digit(bytes[4]), minuteTens < 6
        else { return nil }
        self.init(minutes: (hourTens * 10 + hourUnits) * 60 + minuteTens * 10 + minuteUnits)
    }

    /// Creates a time from minutes the caller has already kept within 0 … 1440.
    init(checkedMinutes minutes: Int) {
        precondition((0...Self.minutesPerDay).contains(minutes), "clock time out of range: \(minutes)")
        self.minutes = minutes
    }

    /// Minutes in a day without a daylight-saving change.
    static let minutesPerDay = 1440

    /// The "HH:mm" form.
    public var text: String {
        let hours = minutes / 60, rest = minutes % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
    }

    /// The "HH:mm" form.
    public var description: String { text }

    /// Whether `lhs` is earlier in the day than `rhs`.
    public static func < (lhs: ClockTime, rhs: ClockTime) -> Bool { lhs.minutes < rhs.minutes }

    /// Decodes the "HH:mm" string form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let time = ClockTime(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be a time \"HH:mm\" from 00:00 to 24:00; got \"\(text)\"")
        }
        self = time
    }

    /// Encodes the "HH:mm" string form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
