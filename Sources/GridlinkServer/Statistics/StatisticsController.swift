import Foundation
import GridlinkCore
import GridlinkStore
import Hummingbird

/// Charging statistics: `/users/{userId}/statistics/charging[/sessions]` from 2023-08-01 and the deprecated
/// `/statistics/charging[/sessions]` (Enode-User-Id, older parameter names and fields) before it.
struct StatisticsController: Sendable {
    let service: StatisticsService

    private static let tag = "Statistics"
    private static func query(_ name: String, _ description: String, required: Bool = false, schema: JSONValue = ["type": "string"]) -> OpenAPIOperation.Parameter {
        .query(name, description, schema: schema, required: required)
    }
    private static let typeSchema: JSONValue = ["type": "string", "enum": ["vehicle", "charger", "hvac"]]
    private static let common = [
        query("startDate", "Earliest date to include", required: true, schema: ["type": "string", "format": "date-time"]),
        query("endDate", "Latest date to include (now when omitted)", schema: ["type": "string", "format": "date-time"]),
    ]
    private static let bucketing = [
        query("resolution", "Bucket size", schema: ["type": "string", "enum": .array(StatisticsResolution.allCases.map { .string($0.rawValue) }), "default": "DAY"]),
        query("utcOffset", "Hours from UTC that day and longer buckets follow", schema: ["type": "string"]),
    ]

    /// Adds the statistics routes.
    func register(in registry: RouteRegistry) {
        let since20230801 = VersionRange(introduced: .v2023_08_01)
        let before20230801 = VersionRange(removed: .v2023_08_01)
        let series = OpenAPISchemas.ref("ChargingStatistics")
        let sessions = OpenAPISchemas.ref("ChargingSessionStatistics")
        let current = Self.common + [Self.query("type", "Hardware type", required: true, schema: Self.typeSchema), Self.query("id", "One device"),
                                     Self.query("locationId", "One location")]
        registry.add(.get, "/users/{userId}/statistics/charging", versions: since20230801, operation: .init(
            "getChargingStatistics", summary: "Energy, power and cost per bucket of a user's charging", tag: Self.tag, parameters: current + Self.bucketing,
            responses: [200: .init("The buckets", schema: ["type": "array", "items": series])])
        ) { request, context in
            let query = try StatisticsQuery(Parameters(request), now: service.clock.now(), defaultType: nil)
            return try JSONCoding.response(try await timeseries(context, userId: try context.parameters.require("userId"), query: query))
        }
        registry.add(.get, "/users/{userId}/statistics/charging/sessions", versions: since20230801, operation: .init(
            "getChargingSessionsStatistics", summary: "Energy, power and cost of each charging session", tag: Self.tag, parameters: current,
            responses: [200: .init("The sessions", schema: ["type": "array", "items": sessions])])
        ) { request, context in
            let query = try StatisticsQuery(Parameters(request), now: service.clock.now(), defaultType: nil)
            return try JSONCoding.response(try await self.sessions(context, userId: try context.parameters.require("userId"), query: query))
        }
        let legacy = Self.common + [UserHeader.parameter, Self.query("chargingLocationId", "One charging location")]
        registry.add(.get, "/statistics/charging", versions: before20230801, operation: .init(
            "getChargingStatisticsDeprecated", summary: "Charging statistics of the Enode-User-Id user (deprecated)", tag: Self.tag,
            parameters: legacy + Self.bucketing + [Self.query("type", "Hardware type (vehicle when omitted)", schema: Self.typeSchema),
                                                   Self.query("id", "One device (2023-03-01 on)"), Self.query("vehicleId", "One vehicle (before 2023-03-01)")],
            responses: [200: .init("The buckets", schema: ["type": "array", "items": ["type": "object"]])])
        ) { request, context in
            let parameters = Parameters(request)
            let beforeMultiHardware = context.apiVersion < .v2023_03_01
            let query = try StatisticsQuery(parameters, now: service.clock.now(), defaultType: .vehicle,
                                            idName: beforeMultiHardware ? "vehicleId" : "id", locationName: "chargingLocationId")
            if beforeMultiHardware, parameters.value("type").map({ $0 != "vehicle" }) == true {
                throw Problem.badRequest("\"type\" is only available from version 2023-03-01; this version reports vehicles")
            }
            let buckets = try await timeseries(context, userId: try request.headerUserId(), query: query)
            return try JSONCoding.response(LegacyStatistics.timeseries(buckets))
        }
        registry.add(.get, "/statistics/charging/sessions", versions: before20230801, operation: .init(
            "getChargingSessionsStatisticsDeprecated", summary: "Charging sessions of the Enode-User-Id user (deprecated)", tag: Self.tag,
            parameters: legacy + [Self.query("targetType", "Hardware type (vehicle when omitted)", schema: Self.typeSchema), Self.query("targetId", "One device")],
            responses: [200: .init("The sessions", schema: ["type": "array", "items": ["type": "object"]])])
        ) { request, context in
            let query = try StatisticsQuery(Parameters(request), now: service.clock.now(), defaultType: .vehicle, typeName: "targetType",
                                            idName: "targetId", locationName: "chargingLocationId")
            return try JSONCoding.response(LegacyStatistics.sessions(try await self.sessions(context, userId: try request.headerUserId(), query: query)))
        }
    }

    /// `GET /users/{userId}/statistics/production` (2023-08-01 to 2024-10-01) and `GET /statistics/production` before.
    func registerProduction(in registry: RouteRegistry) {
        let parameters = Self.common + Self.bucketing + [
            Self.query("type", "Hardware type (inverter when omitted)", schema: ["type": "string", "enum": ["inverter"]]), Self.query("id", "One inverter"),
        ]
        let response: [Int: OpenAPIOperation.ResponseSpec] = [200: .init("The buckets", schema: ["type": "array", "items": ["type": "object"]])]
        let handler: @Sendable (Request, GridlinkRequestContext, String) async throws -> Response = { request, context, userId in
            let query = try StatisticsQuery(Parameters(request), now: service.clock.now(), defaultType: .inverter,
                                            locationName: context.apiVersion < .v2023_08_01 ? "chargingLocationId" : "locationId", types: [.inverter])
            return try JSONCoding.response(try await timeseries(context, userId: userId, query: query).map(Self.production))
        }
        registry.add(.get, "/users/{userId}/statistics/production", versions: VersionRange(introduced: .v2023_08_01, removed: .v2024_10_01), operation: .init(
            "getProductionStatistics", summary: "Energy produced and its value per bucket", tag: Self.tag,
            parameters: parameters + [Self.query("locationId", "One location")], responses: response)
        ) { request, context in try await handler(request, context, try context.parameters.require("userId")) }
        registry.add(.get, "/statistics/production", versions: VersionRange(removed: .v2023_08_01), operation: .init(
            "getProductionStatisticsDeprecated", summary: "Production statistics of the Enode-User-Id user (deprecated)", tag: Self.tag,
            parameters: parameters + [UserHeader.parameter, Self.query("chargingLocationId", "One charging location")], responses: response)
        ) { request, context in try await handler(request, context, try request.headerUserId()) }
    }

    /// A production bucket: what the energy earned instead of what it cost.
    private static func production(_ bucket: JSONValue) -> JSONValue {
        var bucket = bucket
        bucket["earningsSum"] = bucket["costSum"]
        for key in ["costSum", "nonSmartPrice", "estimatedSavings"] { bucket[key] = nil }
        return bucket
    }

    private func timeseries(_ context: GridlinkRequestContext, userId: String, query: StatisticsQuery) async throws -> [JSONValue] {
        let clientId = try context.requireClient().id
        let samples = try await service.samples(clientId: clientId, userId: userId, query: query)
        let quarters = try await service.pricedQuarters(samples, clientId: clientId, userId: userId, from: query.from, to: query.to,
                                                        locationId: query.locationId)
        return ChargingStatistics.timeseries(quarters, resolution: query.resolution, utcOffset: query.utcOffset, from: query.from, to: query.to)
    }

    private func sessions(_ context: GridlinkRequestContext, userId: String, query: StatisticsQuery) async throws -> [JSONValue] {
        let clientId = try context.requireClient().id
        let samples = try await service.samples(clientId: clientId, userId: userId, query: query)
        var result: [JSONValue] = []
        for session in ChargingSession.sessions(in: samples)
        where session.to >= query.from && session.from <= query.to && (query.locationId == nil || session.locationId == query.locationId) {
            let own = samples.filter { $0.assetId == session.assetId && session.span.contains($0.at) }
            let quarters = try await service.pricedQuarters(own, clientId: clientId, userId: userId, from: session.span.lowerBound, to: session.span.upperBound)
            var entry = ChargingStatistics.summary(quarters)
            entry["id"] = .string(session.assetId)
            entry["locationId"] = session.locationId.map { .string($0) } ?? .null
            entry["from"] = .string(Timestamp.format(session.from))
            entry["to"] = .string(Timestamp.format(session.to))
            result.append(.object(entry))
        }
        return result
    }
}

/// The shapes of the deprecated statistics routes (before 2023-08-01): `smartSession` and `nonSmartCostSum` on
/// buckets; sessions with `targetId`, `chargingLocationId`, `smartSession` and a `smartStats` object.
enum LegacyStatistics {
    /// Buckets with their deprecated fields.
    static func timeseries(_ buckets: [JSONValue]) -> [JSONValue] {
        buckets.map { bucket in
            var bucket = bucket
            let smart = bucket["estimatedSavings"] != .null
            bucket["smartSession"] = .bool(smart)
            bucket["nonSmartCostSum"] = nonSmartCost(bucket, smart: smart)
            if !smart { bucket["estimatedSavings"] = 0 }
            return bucket
        }
    }

    /// Sessions in the shape before 2023-08-01.
    static func sessions(_ sessions: [JSONValue]) -> [JSONValue] {
        sessions.map { session in
            var session = session
            let smart = session["estimatedSavings"] != .null
            session["targetId"] = session["id"]
            session["chargingLocationId"] = session["locationId"]
            session["locationId"] = nil
            session["smartSession"] = .bool(smart)
            session["smartStats"] = ["nonSmartPrice": session["nonSmartPrice"] ?? .null, "estimatedSavings": session["estimatedSavings"] ?? .null,
                                     "nonSmartCostSum": nonSmartCost(session, smart: smart)]
            session["nonSmartPrice"] = nil
            session["estimatedSavings"] = nil
            return session
        }
    }

    private static func nonSmartCost(_ entry: JSONValue, smart: Bool) -> JSONValue {
        guard smart, let energy = entry["kwhSum"]?.number, let mean = entry["nonSmartPrice"]?["mean"]?.number else { return .null }
        return .number((energy * mean * 10_000).rounded() / 10_000)
    }
}
