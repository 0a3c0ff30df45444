import Foundation

/// Bucket sizes of charging statistics (StatisticsResolution).
public enum StatisticsResolution: String, Sendable, CaseIterable {
    case quarterHour = "QUARTER_HOUR", halfHour = "HALF_HOUR", hour = "HOUR", day = "DAY", week = "WEEK", month = "MONTH", year = "YEAR"

    /// The start of the bucket containing `instant`; day and longer buckets follow `utcOffset` (seconds), weeks start on Monday.
    public func bucketStart(of instant: Date, utcOffset: Int) -> Date {
        switch self {
        case .quarterHour: return Self.floor(instant, 900)
        case .halfHour: return Self.floor(instant, 1800)
        case .hour: return Self.floor(instant, 3600)
        case .day, .week, .month, .year:
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(secondsFromGMT: utcOffset) ?? .gmt
            calendar.firstWeekday = 2
            calendar.minimumDaysInFirstWeek = 4
            let components: Set<Calendar.Component> = switch self {
            case .day: [.year, .month, .day]
            case .month: [.year, .month]
            case .year: [.year]
            default: [.yearForWeekOfYear, .weekOfYear]
            }
            var parts = calendar.dateComponents(components, from: instant)
            if self == .week { parts.weekday = 2 }
            return calendar.date(from: parts) ?? instant
        }
    }

    /// The start of the bucket after the one starting at `start`.
    public func bucketEnd(after start: Date, utcOffset: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: utcOffset) ?? .gmt
        switch self {
        case .quarterHour: return start.addingTimeInterval(900)
        case .halfHour: return start.addingTimeInterval(1800)
        case .hour: return start.addingTimeInterval(3600)
        case .day: return calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400)
        case .week: return calendar.date(byAdding: .day, value: 7, to: start) ?? start.addingTimeInterval(7 * 86_400)
        case .month: return calendar.date(byAdding: .month, value: 1, to: start) ?? start.addingTimeInterval(31 * 86_400)
        case .year: return calendar.date(byAdding: .year, value: 1, to: start) ?? start.addingTimeInterval(366 * 86_400)
        }
    }

    /// The buckets from the one containing `from` to the last starting before `to` (just the first when they are equal).
    public func buckets(from: Date, to: Date, utcOffset: Int) -> [Range<Date>] {
        var buckets: [Range<Date>] = []
        var start = bucketStart(of: from, utcOffset: utcOffset)
        repeat {
            let end = bucketEnd(after: start, utcOffset: utcOffset)
            buckets.append(start..<end)
            start = end
        } while start < to
        return buckets
    }

    private static func floor(_ instant: Date, _ seconds: Double) -> Date {
        Date(timeIntervalSince1970: (instant.timeIntervalSince1970 / seconds).rounded(.down) * seconds)
    }
}

/// Energy an asset used (or produced) in one quarter-hour, with its price.
public struct EnergyQuarter: Sendable, Equatable {
    /// The asset.
    public let assetId: String
    /// Where the asset was.
    public let locationId: String?
    /// Quarter-hour start.
    public let start: Date
    /// Energy, kWh.
    public let kWh: Double
    /// Price per kWh in the quarter-hour.
    public var price: Double = 0
    /// Price per kWh charging at once would have paid, for smart-charged energy; nil otherwise.
    public var nonSmartPrice: Double?

    /// Creates a quarter.
    public init(assetId: String, locationId: String?, start: Date, kWh: Double) {
        self.assetId = assetId
        self.locationId = locationId
        self.start = start
        self.kWh = kWh
    }

    /// The quarters in each of `buckets` (ordered, not overlapping), in one pass over the quarters sorted by start.
    public static func grouped(_ quarters: [EnergyQuarter], into buckets: [Range<Date>]) -> [[EnergyQuarter]] {
        var groups = Array(repeating: [EnergyQuarter](), count: buckets.count)
        var index = 0
        for quarter in quarters.sorted(by: { $0.start < $1.start }) {
            while index < buckets.count, buckets[index].upperBound <= quarter.start { index += 1 }
            guard index < buckets.count else { break }
            if buckets[index].contains(quarter.start) { groups[index].append(quarter) }
        }
        return groups
    }

    /// The energy of the quarters in each of `buckets`, kWh.
    public static func energy(_ quarters: [EnergyQuarter], in buckets: [Range<Date>]) -> [Double] {
        grouped(quarters, into: buckets).map { $0.reduce(0) { $0 + $1.kWh } }
    }

    /// Spreads the energy between consecutive samples of each asset evenly over the time between them, into
    /// quarter-hours (samples ordered by asset and time, as the store returns them).
    public static func spread(_ samples: [TelemetrySample]) -> [EnergyQuarter] {
        var quarters: [String: Double] = [:]
        var keys: [String: (assetId: String, locationId: String?, start: Date)] = [:]
        for (previous, sample) in zip(samples, samples.dropFirst()) where previous.assetId == sample.assetId {
            let energy = sample.energyKWh - previous.energyKWh
            let span = sample.at.timeIntervalSince(previous.at)
            guard energy > 0, span > 0 else { continue }
            var cursor = previous.at
            while cursor < sample.at {
                let start = StatisticsResolution.quarterHour.bucketStart(of: cursor, utcOffset: 0)
                let end = min(start.addingTimeInterval(900), sample.at)
                let key = "\(sample.assetId)|\(start.timeIntervalSince1970)"
                quarters[key, default: 0] += energy * end.timeIntervalSince(cursor) / span
                keys[key] = (sample.assetId, previous.locationId ?? sample.locationId, start)
                cursor = end
            }
        }
        return keys.map { key, value in EnergyQuarter(assetId: value.assetId, locationId: value.locationId, start: value.start, kWh: quarters[key] ?? 0) }
            .sorted { ($0.start, $0.assetId) < ($1.start, $1.assetId) }
    }
}

/// Min, max and mean of a quantity.
public struct Aggregates: Sendable, Equatable {
    /// Smallest value.
    public let min: Double
    /// Largest value.
    public let max: Double
    /// Mean value.
    public let mean: Double

    /// The aggregates as JSON (zeros or nulls when there is nothing to aggregate).
    static func json(_ value: Aggregates?, nullable: Bool) -> JSONValue {
        guard let value else { return nullable ? ["min": nil, "max": nil, "mean": nil] : ["min": 0, "max": 0, "mean": 0] }
        return ["min": .number(round(value.min)), "max": .number(round(value.max)), "mean": .number(round(value.mean))]
    }

    static func round(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}

/// Aggregation of priced quarter-hours into the charging statistics shapes.
public enum ChargingStatistics {
    /// The ChargingStatisticsTimeseries fields of a group of quarters (without `date`).
    public static func summary(_ quarters: [EnergyQuarter]) -> [String: JSONValue] {
        let byQuarter = Dictionary(grouping: quarters.filter { $0.kWh > 0 }, by: \.start)
        let powers = byQuarter.values.map { $0.reduce(0) { $0 + $1.kWh } / 0.25 }
        let energy = quarters.reduce(0) { $0 + $1.kWh }
        let cost = quarters.reduce(0) { $0 + $1.kWh * $1.price }
        let consuming = quarters.filter { $0.kWh > 0 }
        let smart = consuming.filter { $0.nonSmartPrice != nil }
        let nonSmartCost = consuming.reduce(0) { $0 + $1.kWh * ($1.nonSmartPrice ?? $1.price) }
        func aggregate(_ values: [Double], mean: Double) -> Aggregates? {
            guard let low = values.min(), let high = values.max() else { return nil }
            return Aggregates(min: low, max: high, mean: mean)
        }
        let meanPower = powers.isEmpty ? 0 : powers.reduce(0, +) / Double(powers.count)
        return [
            "kw": Aggregates.json(aggregate(powers, mean: meanPower), nullable: false),
            "kwhSum": .number(Aggregates.round(energy)),
            "price": Aggregates.json(aggregate(consuming.map(\.price), mean: energy > 0 ? cost / energy : 0), nullable: false),
            "costSum": .number(Aggregates.round(cost)),
            "nonSmartPrice": Aggregates.json(aggregate(consuming.map { $0.nonSmartPrice ?? $0.price }, mean: energy > 0 ? nonSmartCost / energy : 0), nullable: true),
            "estimatedSavings": smart.isEmpty ? .null : .number(Aggregates.round(smart.reduce(0) { $0 + $1.kWh * (($1.nonSmartPrice ?? $1.price) - $1.price) })),
        ]
    }

    /// Buckets from the one containing `from` to the last starting before `to` (only the first when they are equal).
    public static func timeseries(_ quarters: [EnergyQuarter], resolution: StatisticsResolution, utcOffset: Int, from: Date, to: Date) -> [JSONValue] {
        let buckets = resolution.buckets(from: from, to: to, utcOffset: utcOffset)
        return zip(buckets, EnergyQuarter.grouped(quarters, into: buckets)).map { bucket, members in
            var entry = summary(members)
            entry["date"] = .string(Timestamp.format(bucket.lowerBound))
            return .object(entry)
        }
    }

    /// How many buckets a range has, for limiting requests.
    public static func bucketCount(resolution: StatisticsResolution, utcOffset: Int, from: Date, to: Date) -> Int {
        let seconds = max(0, to.timeIntervalSince(from))
        let size: Double = switch resolution {
        case .quarterHour: 900
        case .halfHour: 1800
        case .hour: 3600
        case .day: 86_400
        case .week: 7 * 86_400
        case .month: 28 * 86_400
        case .year: 365 * 86_400
        }
        return Int(seconds / size) + 2
    }
}

/// A charging session: two or more consecutive samples of one asset showing consumption.
public struct ChargingSession: Sendable, Equatable {
    /// The asset.
    public let assetId: String
    /// Where it charged.
    public let locationId: String?
    /// First consuming sample.
    public let from: Date
    /// Last consuming sample.
    public let to: Date
    /// The samples around the session, whose counter difference is its energy: the one before and the one after.
    public let span: ClosedRange<Date>

    /// The sessions in samples ordered by asset and time.
    public static func sessions(in samples: [TelemetrySample]) -> [ChargingSession] {
        var sessions: [ChargingSession] = []
        var index = 0
        while index < samples.count {
            guard samples[index].powerKW > 0 else { index += 1; continue }
            var end = index
            while end + 1 < samples.count, samples[end + 1].assetId == samples[index].assetId, samples[end + 1].powerKW > 0 { end += 1 }
            if end > index {
                let before = index > 0 && samples[index - 1].assetId == samples[index].assetId ? samples[index - 1].at : samples[index].at
                let after = end + 1 < samples.count && samples[end + 1].assetId == samples[index].assetId ? samples[end + 1].at : samples[end].at
                sessions.append(ChargingSession(assetId: samples[index].assetId, locationId: samples[index].locationId,
                                                from: samples[index].at, to: samples[end].at, span: before...after))
            }
            index = end + 1
        }
        return sessions
    }
}
