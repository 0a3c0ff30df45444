import Foundation
import GridlinkCore
import GridlinkStore
import Hummingbird

/// `GET /inverters/{inverterId}/statistics` (2024-10-01): a month of daily or a day of quarter-hourly production in
/// the inverter's local time; 202 with `retryAfter` while the period is still running.
struct InverterStatisticsController: Sendable {
    let service: StatisticsService

    /// Seconds after which a client should ask again for a period that has not ended.
    static let retrySeconds: TimeInterval = 900

    /// Adds the route.
    func register(in registry: RouteRegistry) {
        let integer: JSONValue = ["type": "integer"]
        registry.add(.get, "/inverters/{inverterId}/statistics", versions: VersionRange(introduced: .v2024_10_01), operation: .init(
            "getInverterStatistics", summary: "Production of an inverter: a month by day, or a day by quarter-hour", tag: "Solar inverters",
            parameters: [.query("year", "Year", schema: integer, required: true), .query("month", "Month, 1–12", schema: integer, required: true),
                         .query("day", "Day of the month: quarter-hours of that day", schema: integer)],
            responses: [200: .init("The statistics", schema: Self.schema), 202: .init("The statistics so far; ask again after retryAfter", schema: Self.schema),
                        400: .problem("Invalid year, month or day")])
        ) { request, context in
            let clientId = try context.requireClient().id
            let inverterId = try context.parameters.require("inverterId")
            let parameters = Parameters(request)
            let inverter = try await inverter(clientId: clientId, id: inverterId)
            let timeZone = try await service.timeZone(clientId: clientId, locationId: inverter.locationId)
            let period = try Self.period(parameters, timeZone: timeZone)
            let now = service.clock.now()
            let query = try StatisticsQuery(Parameters(values: [
                "type": "inverter", "id": inverterId, "startDate": Timestamp.format(period.start), "endDate": Timestamp.format(period.end),
            ]), now: now, defaultType: nil, types: [.inverter])
            let samples = try await service.samples(clientId: clientId, userId: inverter.userId, query: query)
            let quarters = EnergyQuarter.spread(samples)
            // Data exists from the inverter's first sample ever (not just the first one read for this period).
            let firstSample = try await service.firstSampleTime(of: [inverterId]) ?? samples.first?.at ?? now
            let buckets = period.buckets
            let data: [JSONValue] = zip(buckets, EnergyQuarter.energy(quarters, in: buckets)).map { bucket, energy in
                let known = LocalPeriod.isKnown(bucket, firstSample: firstSample, now: now)
                return ["date": .string(Timestamp.format(bucket.lowerBound)), "value": known ? .number((energy * 1000).rounded() / 1000) : .null]
            }
            var body: JSONValue = ["timezone": .string(timeZone.identifier),
                                   "resolutions": [period.byDay ? "DAY" : "QUARTER_HOUR": ["unit": "kWh", "data": .array(data)]]]
            guard period.end > now else { return try JSONCoding.response(body) }
            body["retryAfter"] = .string(Timestamp.format(min(period.end, now.addingTimeInterval(Self.retrySeconds))))
            return try JSONCoding.response(body, status: .accepted)
        }
    }

    /// `GET /inverters/{inverterId}/vendor-statistics` (deprecated beta, before 2024-10-01): production per bucket
    /// from `startDate` (its bucket start: buckets follow the vendor's boundaries, not shifted to midnight) to
    /// `endDate`, at most a month.
    func registerVendorStatistics(in registry: RouteRegistry) {
        let resolutions: [StatisticsResolution] = [.quarterHour, .hour, .day]
        registry.add(.get, "/inverters/{inverterId}/vendor-statistics", versions: VersionRange(removed: .v2024_10_01), operation: .init(
            "getInverterVendorStatistics", summary: "Production of an inverter per bucket (deprecated)", tag: "Statistics",
            parameters: [.query("resolution", "Bucket size", schema: ["type": "string", "enum": .array(resolutions.map { .string($0.rawValue) })], required: true),
                         .query("startDate", "Earliest date", schema: ["type": "string", "format": "date-time"], required: true),
                         .query("endDate", "Latest date (now when omitted)", schema: ["type": "string", "format": "date-time"])],
            responses: [200: .init("The production series", schema: ["type": "object", "required": ["production"], "properties": ["production": [
                "type": "object", "required": ["unit", "data"],
                "properties": ["unit": ["type": "string", "enum": ["kWh"]], "data": ["type": "array", "items": [
                    "type": "object", "required": ["date", "value"], "properties": ["date": ["type": "string", "format": "date-time"], "value": ["type": "number"]],
                ]]],
            ]]]), 400: .problem("Invalid resolution or dates")])
        ) { request, context in
            let clientId = try context.requireClient().id
            let inverter = try await inverter(clientId: clientId, id: try context.parameters.require("inverterId"))
            let given = Parameters(request)
            guard let raw = given.value("resolution"), let resolution = StatisticsResolution(rawValue: raw), resolutions.contains(resolution) else {
                throw Problem.badRequest("\"resolution\" is required: one of \(resolutions.map(\.rawValue).joined(separator: ", "))")
            }
            var values = given.values
            values["type"] = "inverter"
            values["id"] = inverter.id
            let query = try StatisticsQuery(Parameters(values: values), now: service.clock.now(), defaultType: nil, types: [.inverter])
            guard query.to.timeIntervalSince(query.from) <= 31 * 86_400 else { throw Problem.badRequest("\"endDate\" may be at most a month after \"startDate\"") }
            let quarters = EnergyQuarter.spread(try await service.samples(clientId: clientId, userId: inverter.userId, query: query))
            let buckets = resolution.buckets(from: query.from, to: query.to, utcOffset: 0)
            let data: [JSONValue] = zip(buckets, EnergyQuarter.energy(quarters, in: buckets)).map { bucket, energy in
                ["date": .string(Timestamp.format(bucket.lowerBound)), "value": .number((energy * 1000).rounded() / 1000)]
            }
            return try JSONCoding.response(["production": ["unit": "kWh", "data": .array(data)]] as JSONValue)
        }
    }

    private func inverter(clientId: String, id: String) async throws -> AssetRecord {
        try await service.store.requireAsset(clientId: clientId, type: .inverter, id: id)
    }

    private static let schema: JSONValue = [
        "type": "object", "required": ["timezone", "resolutions"],
        "properties": ["timezone": ["type": "string"], "resolutions": ["type": "object"], "retryAfter": ["type": "string", "format": "date-time"]],
    ]

    /// The local month (or day) the query names.
    private static func period(_ parameters: Parameters, timeZone: TimeZone) throws(Problem) -> LocalPeriod {
        guard let year = parameters.value("year").flatMap(Int.init), (2000...2100).contains(year) else {
            throw .badRequest("\"year\" is required: a year from 2000 to 2100")
        }
        guard let month = parameters.value("month").flatMap(Int.init), (1...12).contains(month) else {
            throw .badRequest("\"month\" is required: a month from 1 to 12")
        }
        let raw = parameters.value("day")
        guard let period = LocalPeriod(year: year, month: month, day: raw.map { Int($0) ?? 0 }, timeZone: timeZone) else {
            throw .badRequest("\"day\" must be a day of the month from 1 to \(LocalPeriod.days(year: year, month: month, timeZone: timeZone))")
        }
        return period
    }
}
