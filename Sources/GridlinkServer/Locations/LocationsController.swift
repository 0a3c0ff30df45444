import Foundation
import GridlinkCore
import GridlinkStore
import Hummingbird

/// `/locations` and `/users/{userId}/locations` (2023-08-01 on), and `/charging-locations` before 2023-08-01.
struct LocationsController: Sendable {
    let store: Store
    let clock: any GridClock

    private static let tag = "Locations"
    private static let schema = OpenAPISchemas.ref("Location")
    private static let since20230801 = VersionRange(introduced: .v2023_08_01)
    private static let before20230801 = VersionRange(removed: .v2023_08_01)

    /// Adds the location routes of every version.
    func register(in registry: RouteRegistry) {
        registry.add(.post, "/users/{userId}/locations", versions: Self.since20230801, operation: .init(
            "createLocation", summary: "Create a location for a user", tag: Self.tag,
            requestBody: (contentType: "application/json", schema: OpenAPISchemas.ref("LocationPayload")),
            responses: [200: .init("The location", schema: Self.schema)])
        ) { request, context in
            try await create(request, context, userId: try context.parameters.require("userId"))
        }

        registry.add(.get, "/users/{userId}/locations", versions: Self.since20230801, operation: .init(
            "getUserlocations", summary: "List a user's locations", tag: Self.tag, parameters: OpenAPISchemas.pageParameters,
            responses: [200: .init("The user's locations, newest first", schema: OpenAPISchemas.paginated(Self.schema))])
        ) { request, context in
            let clientId = try context.requireClient().id
            let userId = try context.parameters.require("userId")
            try await store.requireUser(clientId: clientId, userId: userId)
            return try await list(request, context, userId: userId)
        }

        registry.add(.get, "/locations", versions: Self.since20230801, operation: .init(
            "getLocations", summary: "List locations", tag: Self.tag, parameters: OpenAPISchemas.pageParameters,
            responses: [200: .init("Locations, newest first", schema: OpenAPISchemas.paginated(Self.schema))])
        ) { request, context in
            try await list(request, context, userId: nil)
        }

        registerItemRoutes(in: registry, prefix: "/locations", parameter: "locationId", versions: Self.since20230801, suffix: "")

        registry.add(.get, "/charging-locations", versions: Self.before20230801, operation: .init(
            "getChargingLocations", summary: "List the Enode-User-Id user's charging locations (deprecated)", tag: Self.tag,
            parameters: [UserHeader.parameter],
            responses: [200: .init("The user's charging locations", schema: ["type": "array", "items": Self.schema])])
        ) { request, context in
            try await list(request, context, userId: try request.headerUserId())
        }
        registry.add(.post, "/charging-locations", versions: Self.before20230801, operation: .init(
            "createChargingLocation", summary: "Create a charging location for the Enode-User-Id user (deprecated)", tag: Self.tag,
            parameters: [UserHeader.parameter],
            requestBody: (contentType: "application/json", schema: OpenAPISchemas.ref("LocationPayload")),
            responses: [200: .init("The charging location", schema: Self.schema)])
        ) { request, context in
            try await create(request, context, userId: try request.headerUserId())
        }
        registerItemRoutes(in: registry, prefix: "/charging-locations", parameter: "chargingLocationId", versions: Self.before20230801, suffix: "ChargingLocation")
    }

    private func registerItemRoutes(in registry: RouteRegistry, prefix: String, parameter: String, versions: VersionRange, suffix: String) {
        let path = "\(prefix)/{\(parameter)}"
        registry.add(.get, path, versions: versions, operation: .init(
            "get\(suffix.isEmpty ? "Location" : suffix)", summary: "Get a location", tag: Self.tag,
            responses: [200: .init("The location", schema: Self.schema)])
        ) { _, context in
            try JSONCoding.response(Self.view(try await find(context, parameter: parameter)))
        }

        registry.add(.put, path, versions: versions, operation: .init(
            "update\(suffix.isEmpty ? "Location" : suffix)", summary: "Update a location", tag: Self.tag,
            requestBody: (contentType: "application/json", schema: OpenAPISchemas.ref("PartialLocation")),
            responses: [200: .init("The location", schema: Self.schema)])
        ) { request, context in
            var location = try await find(context, parameter: parameter)
            let body = try await JSONBody.decode(LocationInput.self, from: request)
            if let name = body.name { location.name = try Self.checkName(name) }
            if let latitude = body.latitude { location.latitude = try Self.checkCoordinate(latitude, "latitude", limit: 90) }
            if let longitude = body.longitude { location.longitude = try Self.checkCoordinate(longitude, "longitude", limit: 180) }
            if let timezone = body.timezoneName { location.timezoneName = try Self.checkTimezone(timezone) }
            let updated = location
            try await store.write { [now = clock.now()] session in
                try await session.updateLocation(updated)
                try await AssetLocating.relocateAssets(clientId: updated.clientId, userId: updated.userId, in: session, at: now)
            }
            return try JSONCoding.response(Self.view(updated))
        }

        registry.add(.delete, path, versions: versions, operation: .init(
            "delete\(suffix.isEmpty ? "Location" : suffix)", summary: "Delete a location; assets and schedules lose the reference",
            tag: Self.tag, responses: [200: .init("The deleted location", schema: Self.schema)])
        ) { _, context in
            let location = try await find(context, parameter: parameter)
            try await store.write { [now = clock.now()] session in
                try await session.deleteLocation(location)
                try await AssetLocating.relocateAssets(clientId: location.clientId, userId: location.userId, in: session, at: now)
            }
            return try JSONCoding.response(Self.view(location))
        }
    }

    private func create(_ request: Request, _ context: GridlinkRequestContext, userId: String) async throws -> Response {
        let clientId = try context.requireClient().id
        let body = try await JSONBody.decode(LocationInput.self, from: request)
        guard let name = body.name else { throw Problem.badRequest("\"name\" is required") }
        guard let latitude = body.latitude else { throw Problem.badRequest("\"latitude\" is required") }
        guard let longitude = body.longitude else { throw Problem.badRequest("\"longitude\" is required") }
        guard !userId.isEmpty, userId.count <= 200 else { throw Problem.badRequest("\"userId\" must be 1 to 200 characters") }
        let now = clock.now()
        let location = Location(
            id: UUID().uuidString.lowercased(), clientId: clientId, userId: userId, name: try Self.checkName(name),
            latitude: try Self.checkCoordinate(latitude, "latitude", limit: 90), longitude: try Self.checkCoordinate(longitude, "longitude", limit: 180),
            timezoneName: try Self.checkTimezone(body.timezoneName ?? "UTC"), createdAt: now)
        try await store.write { try await Self.add(location, in: $0, at: now) }
        return try JSONCoding.response(Self.view(location))
    }

    /// Stores a new location (creating its user when unknown) and places the user's assets again.
    static func add(_ location: Location, in session: StoreSession, at now: Date) async throws {
        try await session.ensureUser(clientId: location.clientId, userId: location.userId, at: now)
        try await session.insertLocation(location)
        try await AssetLocating.relocateAssets(clientId: location.clientId, userId: location.userId, in: session, at: now)
    }

    private func list(_ request: Request, _ context: GridlinkRequestContext, userId: String?) async throws -> Response {
        let clientId = try context.requireClient().id
        return try await ListRendering.respond(to: request, context: context) { page in
            try await store.read { try await $0.locations(clientId: clientId, userId: userId, page: page) }
        } render: { Self.view($0) }
    }

    /// The caller's location named by the path parameter, or 404.
    func find(_ context: GridlinkRequestContext, parameter: String) async throws -> Location {
        let clientId = try context.requireClient().id
        let id = try context.parameters.require(parameter)
        guard let location = try await store.read({ try await $0.location(clientId: clientId, id: id) }) else {
            throw Problem.notFound("Location \(id) not found", title: "Entity Not Found")
        }
        return location
    }

    /// The Location object of the API.
    static func view(_ location: Location) -> JSONValue {
        [
            "id": .string(location.id), "userId": .string(location.userId), "name": .string(location.name),
            "latitude": .number(location.latitude), "longitude": .number(location.longitude),
            "timezoneName": .string(location.timezoneName),
        ]
    }

    private static func checkName(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, name.count <= 200 else { throw Problem.badRequest("\"name\" must be 1 to 200 characters") }
        return name
    }

    private static func checkCoordinate(_ value: Double, _ field: String, limit: Double) throws -> Double {
        guard value.isFinite, abs(value) <= limit else { throw Problem.badRequest("\"\(field)\" must be between -\(Int(limit)) and \(Int(limit))") }
        return value
    }

    private static func checkTimezone(_ name: String) throws -> String {
        guard Location.isKnownTimezone(name) else { throw Problem.badRequest("\"timezoneName\" must be an IANA timezone name such as Europe/Oslo") }
        return name
    }
}

/// Create and update body of a location; every key optional here, required ones are checked by the create route.
struct LocationInput: Decodable {
    let name: String?
    let latitude: Double?
    let longitude: Double?
    let timezoneName: String?
}
