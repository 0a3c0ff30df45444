import Foundation
import GridlinkCore
import GridlinkStore
import Hummingbird

/// `GET /hem-systems`, `GET /hem-systems/{hemSystem}` and `GET /hem-systems/{hemSystem}/statistics` (2024-10-01):
/// the client's HEM systems, one system's latest power flows, and its energy flows over a local day or month.
struct HemSystemsController: Sendable {
    let service: StatisticsService

    private static let tag = "HEM systems"
    private static let versions = VersionRange(introduced: .v2024_10_01)

    /// Adds the routes.
    func register(in registry: RouteRegistry) {
        registry.add(.get, "/hem-systems", versions: Self.versions, operation: .init(
            "listHEMSystems", summary: "The client's HEM systems: each user's inverters, batteries and meters of one vendor site", tag: Self.tag,
            parameters: OpenAPISchemas.pageParameters,
            responses: [200: .init("A page of HEM systems", schema: OpenAPISchemas.paginated(Self.summarySchema))])
        ) { request, context in
            let clientId = try context.requireClient().id
            let systems = try await systems(clientId: clientId)
            return try await ListRendering.respond(to: request, context: context, rendering: nil, fetch: { page in
                Page.slice(systems, request: page, position: \.identity.position)
            }, render: \.summary)
        }
        registry.add(.get, "/hem-systems/{hemSystem}", versions: Self.versions, operation: .init(
            "getHemsStatus", summary: "A HEM system's members and latest power flows", tag: Self.tag,
            responses: [200: .init("The HEM system", schema: Self.statusSchema), 404: .problem("Unknown HEM system")])
        ) { _, context in
            let clientId = try context.requireClient().id
            let system = try await system(clientId: clientId, id: try context.parameters.require("hemSystem"))
            return try JSONCoding.response(system.status(timeZone: try await service.timeZone(clientId: clientId, locationId: system.locationId)))
        }
        registry.add(.get, "/hem-systems/{hemSystem}/statistics", versions: Self.versions, operation: .init(
            "getHemsStatistics", summary: "A HEM system's energy flows over a local day (quarter-hours) or month (days)", tag: Self.tag,
            parameters: [.query("interval", "YYYY-MM-DD (a day of quarter-hours) or YYYY-MM (a month of days); today when omitted", schema: ["type": "string"])],
            responses: [200: .init("The statistics", schema: Self.statisticsSchema), 400: .problem("Invalid interval"), 404: .problem("Unknown HEM system")])
        ) { request, context in
            let clientId = try context.requireClient().id
            let system = try await system(clientId: clientId, id: try context.parameters.require("hemSystem"))
            let timeZone = try await service.timeZone(clientId: clientId, locationId: system.locationId)
            let now = service.clock.now()
            let period = try HemInterval.period(Parameters(request).value("interval"), timeZone: timeZone, now: now)
            let samples = try await service.samples(of: system.members, clientId: clientId, from: period.start, to: period.end)
            let first = try await service.firstSampleTime(of: system.members.map(\.id))
            let statistics = HemStatistics(period: period, now: now, memberTypes: Set(system.members.map(\.type)), samples: samples, firstSample: first)
            return try JSONCoding.response(statistics.body)
        }
    }

    /// Every HEM system of the client.
    private func systems(clientId: String) async throws -> [HemSystem] {
        HemSystem.grouping(try await service.store.read { try await $0.assets(clientId: clientId, types: HemSystemIdentity.memberTypes) })
    }

    /// The client's HEM system with `id`, or a 404 problem.
    private func system(clientId: String, id: String) async throws -> HemSystem {
        guard let system = try await systems(clientId: clientId).first(where: { $0.id == id }) else {
            throw Problem.notFound("HEM system \(id) not found", title: "Entity Not Found")
        }
        return system
    }

    private static let nullableNumber: JSONValue = ["type": ["number", "null"]]

    private static let summaryProperties: [String: JSONValue] = [
        "id": ["type": "string"], "userId": ["type": "string"], "vendor": ["type": "string"], "siteName": ["type": "string"],
        "location": ["type": "object", "required": ["id", "latitude", "longitude"],
                     "properties": ["id": OpenAPISchemas.nullableString, "latitude": nullableNumber, "longitude": nullableNumber]],
        "assets": ["type": "object", "required": ["inverterIds", "batteryIds", "meterIds"], "properties": [
            "inverterIds": ["type": "array", "items": ["type": "string"]], "batteryIds": ["type": "array", "items": ["type": "string"]],
            "meterIds": ["type": "array", "items": ["type": "string"]],
        ]],
    ]

    private static let summarySchema: JSONValue = [
        "type": "object", "required": ["id", "userId", "vendor", "siteName", "location", "assets"], "properties": .object(summaryProperties),
    ]

    private static let statusSchema: JSONValue = {
        var properties = summaryProperties
        properties["timezone"] = ["type": "string"]
        properties["power"] = ["type": "object", "required": ["generation", "consumption", "charge", "discharge", "import", "export"],
                               "properties": .object(Dictionary(uniqueKeysWithValues: ["generation", "consumption", "charge", "discharge", "import", "export"]
                                   .map { ($0, nullableNumber) }))]
        properties["batteryLevel"] = nullableNumber
        properties["lastUpdated"] = ["type": ["string", "null"], "format": "date-time"]
        return [
            "type": "object", "required": ["id", "userId", "vendor", "siteName", "location", "assets", "timezone", "power", "batteryLevel", "lastUpdated"],
            "properties": .object(properties),
        ]
    }()

    private static let statisticsSchema: JSONValue = {
        let series: JSONValue = [
            "type": "object", "required": ["data", "isAvailable", "sampling", "timezone", "unit", "unitType"],
            "properties": [
                "data": ["type": "array", "items": ["type": "object", "required": ["t", "v"], "properties": ["t": ["type": "string", "format": "date-time"], "v": ["type": "number"]]]],
                "isAvailable": ["type": "boolean"],
                "sampling": ["type": "object", "required": ["mode", "resolution"], "properties": ["mode": ["type": "string"], "resolution": ["type": "string"]]],
                "timezone": ["type": "string"], "unit": ["type": "string"], "unitType": ["type": "string"],
            ],
        ]
        let names = ["generation", "import", "export", "charge", "discharge", "consumption", "batteryLevel"]
        return [
            "type": "object", "required": ["timeseries"],
            "properties": ["timeseries": ["type": "object", "required": .array(names.map { .string($0) }),
                                          "properties": .object(Dictionary(uniqueKeysWithValues: names.map { ($0, series) }))]],
        ]
    }()
}

/// The `interval` query of HEM statistics: `YYYY-MM-DD` or `YYYY-MM` in the system's time zone.
enum HemInterval {
    /// The local day or month `text` names (today without one), or a 400 problem naming `interval`.
    static func period(_ text: String?, timeZone: TimeZone, now: Date) throws(Problem) -> LocalPeriod {
        guard let text else {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let today = calendar.dateComponents([.year, .month, .day], from: now)
            if let period = LocalPeriod(year: today.year ?? 2000, month: today.month ?? 1, day: today.day, timeZone: timeZone) { return period }
            throw .badRequest("\"interval\" is required: YYYY-MM-DD or YYYY-MM")
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let widths = parts.map(\.count)
        guard widths == [4, 2] || widths == [4, 2, 2], parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), (2000...2100).contains(year), let month = Int(parts[1]),
              let period = LocalPeriod(year: year, month: month, day: parts.count == 3 ? Int(parts[2]) : nil, timeZone: timeZone) else {
            throw .badRequest("\"interval\" must be a day (YYYY-MM-DD) or a month (YYYY-MM) from 2000 to 2100; got \"\(text)\"")
        }
        return period
    }
}
