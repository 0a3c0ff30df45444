import Foundation
import GridlinkCore
import Hummingbird

/// The query of the charging statistics routes, validated field by field.
struct StatisticsQuery: Sendable {
    /// Asset type.
    let type: VendorType
    /// Range start.
    let from: Date
    /// Range end (now when not given).
    let to: Date
    /// One asset only.
    let assetId: String?
    /// One location only.
    let locationId: String?
    /// Bucket size.
    let resolution: StatisticsResolution
    /// Offset of day and longer buckets from UTC, seconds.
    let utcOffset: Int

    /// Longest range a request may cover.
    static let maximumDays = 400.0

    /// Reads the query; `defaultType` applies when `type` may be omitted (before 2023-08-01), and the parameter names
    /// are those of the route's version.
    init(_ parameters: Parameters, now: Date, defaultType: VendorType?, typeName: String = "type", idName: String = "id",
         locationName: String = "locationId", types: [VendorType] = [.vehicle, .charger, .hvac]) throws(Problem) {
        if let raw = parameters.value(typeName) {
            guard let type = VendorType(rawValue: raw), types.contains(type) else {
                throw .badRequest("\"\(typeName)\" must be one of \(types.map(\.rawValue).joined(separator: ", "))")
            }
            self.type = type
        } else if let defaultType {
            type = defaultType
        } else {
            throw .badRequest("\"\(typeName)\" is required (\(types.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let start = parameters.value("startDate") else { throw .badRequest("\"startDate\" is required") }
        guard let from = Self.date(start) else { throw .badRequest("\"startDate\" must be an ISO 8601 date-time \(Timestamp.inputRangeText)") }
        var to = now
        if let end = parameters.value("endDate") {
            guard let parsed = Self.date(end) else { throw .badRequest("\"endDate\" must be an ISO 8601 date-time \(Timestamp.inputRangeText)") }
            to = parsed
        }
        guard to >= from else { throw .badRequest("\"endDate\" must not be before \"startDate\"") }
        guard to.timeIntervalSince(from) <= Self.maximumDays * 86_400 else { throw .badRequest("The range may cover at most 400 days") }
        self.from = from
        self.to = to
        assetId = parameters.value(idName)
        locationId = parameters.value(locationName)
        if let raw = parameters.value("resolution") {
            guard let resolution = StatisticsResolution(rawValue: raw) else {
                throw .badRequest("\"resolution\" must be one of \(StatisticsResolution.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.resolution = resolution
        } else {
            resolution = .day
        }
        if let raw = parameters.value("utcOffset") {
            guard let hours = Double(raw), (-14...14).contains(hours) else { throw .badRequest("\"utcOffset\" must be a number of hours from -14 to 14") }
            utcOffset = Int((hours * 3600).rounded())
        } else {
            utcOffset = 0
        }
        guard ChargingStatistics.bucketCount(resolution: resolution, utcOffset: utcOffset, from: from, to: to) <= 10_000 else {
            throw .badRequest("The range has more than 10000 buckets at resolution \(resolution.rawValue)")
        }
    }

    /// A date-time or a date, nil when malformed or outside ``Timestamp/inputRange``.
    private static func date(_ text: String) -> Date? {
        let date = Timestamp.parse(text) ?? (try? Date.ISO8601FormatStyle().parse(text)) ?? (try? Date.ISO8601FormatStyle().year().month().day().parse(text))
        return date.flatMap { Timestamp.inputRange.contains($0) ? $0 : nil }
    }
}

/// Query parameters by name.
struct Parameters: Sendable {
    let values: [String: String]

    /// Parameters given directly.
    init(values: [String: String]) {
        self.values = values
    }

    /// The request's query parameters.
    init(_ request: Request) {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { values[String(key)] = String(value) }
        self.values = values
    }

    /// The parameter's value, nil when absent or empty.
    func value(_ name: String) -> String? {
        values[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}
