import Foundation
import GridlinkCore
import GridlinkStore
import Hummingbird

/// `/tariffs/{tariffId}` and a location's tariff link (`/locations/{id}/tariff`; `/charging-locations/{id}/tariff`
/// before 2023-08-01).
struct TariffsController: Sendable {
    let store: Store
    let clock: any GridClock
    let locations: LocationsController

    private static let tag = "Tariffs"

    /// Adds the tariff routes.
    func register(in registry: RouteRegistry) {
        registry.add(.put, "/tariffs/{tariffId}", operation: .init(
            "sendTariffInformation", summary: "Create or replace a tariff's named rates", tag: Self.tag,
            requestBody: (contentType: "application/json", schema: ["type": "array", "items": OpenAPISchemas.ref("TariffRate")]),
            responses: [204: .init("Saved")])
        ) { request, context in
            let clientId = try context.requireClient().id
            let tariffId = try Self.tariffId(context)
            let rates = try TariffRates.parse(try await JSONBody.decode(JSONValue.self, from: request))
            let body = JSONValue.array(rates.map { ["name": .string($0.name), "cost": .string($0.cost)] })
            try await store.write { [now = clock.now()] in try await $0.saveTariff(clientId: clientId, id: tariffId, rates: body, at: now) }
            return Response(status: .noContent)
        }

        registry.add(.get, "/tariffs/{tariffId}", operation: .init(
            "getTariffInformation", summary: "Get a tariff's named rates", tag: Self.tag,
            responses: [200: .init("The rates", schema: ["type": "array", "items": OpenAPISchemas.ref("TariffRate")])])
        ) { _, context in
            let clientId = try context.requireClient().id
            let tariffId = try Self.tariffId(context)
            guard let rates = try await store.read({ try await $0.tariffRates(clientId: clientId, id: tariffId) }) else {
                throw Problem.notFound("Tariff \(tariffId) not found", title: "Entity Not Found")
            }
            return try JSONCoding.response(rates)
        }

        registerLink(in: registry, path: "/locations/{locationId}/tariff", parameter: "locationId",
                     versions: VersionRange(introduced: .v2023_08_01), operationSuffix: "UserLocationTariff")
        registerLink(in: registry, path: "/charging-locations/{chargingLocationId}/tariff", parameter: "chargingLocationId",
                     versions: VersionRange(removed: .v2023_08_01), operationSuffix: "ChargingLocationTariff")
    }

    private func registerLink(in registry: RouteRegistry, path: String, parameter: String, versions: VersionRange, operationSuffix: String) {
        registry.add(.put, path, versions: versions, operation: .init(
            "associate\(operationSuffix)", summary: "Link a tariff to a location with weekly intervals (replaces the previous link)",
            tag: Self.tag, requestBody: (contentType: "application/json", schema: OpenAPISchemas.ref("LocationTariffInterval")),
            responses: [204: .init("Linked"), 400: .problem("Overlapping tariff schedule"), 404: .problem("Location or tariff not found")])
        ) { request, context in
            let location = try await locations.find(context, parameter: parameter)
            let body = try await JSONBody.decode(JSONValue.self, from: request)
            guard case .object = body else { throw Problem.badRequest("The request body must be a JSON object") }
            guard let tariffId = body["tariffId"]?.string else { throw Problem.badRequest("\"tariffId\" is required (a string)") }
            guard let intervals = body["tariffIntervals"] else { throw Problem.badRequest("\"tariffIntervals\" is required") }
            guard let stored = try await store.read({ try await $0.tariffRates(clientId: location.clientId, id: tariffId) }) else {
                throw Problem.notFound("Tariff \(tariffId) not found", title: "Entity Not Found")
            }
            let parsed = try TariffSchedule.intervals(from: intervals, rates: try TariffRates.parse(stored))
            try await store.write { [now = clock.now()] in
                try await $0.linkTariff(locationId: location.id, tariffId: tariffId, intervals: TariffSchedule.json(parsed), at: now)
            }
            return Response(status: .noContent)
        }

        registry.add(.get, path, versions: versions, operation: .init(
            "get\(operationSuffix)", summary: "The location's tariff schedule per weekday, in UTC clock times", tag: Self.tag,
            responses: [200: .init("The schedule (empty without a linked tariff)", schema: ["type": "array", "items": OpenAPISchemas.ref("LocationTariffSchedule")]),
                        404: .problem("Location not found")])
        ) { _, context in
            let location = try await locations.find(context, parameter: parameter)
            let schedule = try await store.read { session -> [LocationTariffScheduleEntry] in
                guard let link = try await session.tariffLink(locationId: location.id),
                      let rates = try await session.tariffRates(clientId: location.clientId, id: link.tariffId) else { return [] }
                // Intervals whose rate a later PUT /tariffs removed fall back to market prices, so they are not shown.
                let names = Set(try TariffRates.parse(rates).map(\.name))
                let intervals = try TariffSchedule.intervals(from: link.intervals, rates: nil).filter { names.contains($0.name) }
                return TariffSchedule.utcSchedule(intervals, tariffId: link.tariffId, timeZone: location.timeZone, reference: clock.now())
            }
            return try JSONCoding.response(schedule)
        }
    }

    private static func tariffId(_ context: GridlinkRequestContext) throws -> String {
        let id = try context.parameters.require("tariffId")
        guard !id.isEmpty, id.count <= 200 else { throw Problem.badRequest("\"tariffId\" must be 1 to 200 characters") }
        return id
    }
}
