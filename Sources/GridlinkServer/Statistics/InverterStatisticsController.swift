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
            let store = service.store
            guard let inverter = try await store.read({ try await $0.asset(clientId: clientId, type: .inverter, id: inverterId) }) else {
                throw Problem.notFound("Inverter \(inverterId) not found", title: "Entity Not Found")
            }
            let timeZone = try await service.timeZone(clientId: clientId, locationId: inverter.locationId)
            let period = try Self.period(parameters, timeZone: timeZone)
            let now = service.clock.now()
            let query = try StatisticsQuery(Parameters(values: [
                "type": "inverter", "id": inverterId, "startDate": Timestamp.format(period.start), "endDate": Timestamp.format(period.end),
            ]), now: now, defaultType: nil, types: [.inverter])
            let samples = try await service.samples(clientId: clientId, userId: inverter.userId, query: query)
            let quarters = EnergyQuarter.spread(samples)
            let firstSample = samples.first?.at ?? now
            let data: [JSONValue] = period.buckets.map { bucket in
                let energy = quarters.filter { bucket.contains($0.start) }.reduce(0) { $0 + $1.kWh }
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
