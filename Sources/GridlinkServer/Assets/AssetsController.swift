import Foundation
import GridlinkCore
import GridlinkStore
import Hummingbird

/// The read API of one asset type: client-wide and per-user lists, get, refresh hint, and location updates.
struct AssetsController: Sendable {
    /// How one asset type is exposed.
    struct Kind: Sendable {
        let type: VendorType
        /// Path segment, e.g. `vehicles`.
        var segment: String { type.pathSegment }
        /// Name of the id path parameter, e.g. `vehicleId`.
        let idParameter: String
        /// Name used in operation ids and schemas, e.g. `Vehicle`.
        let name: String
        /// First version with `GET /users/{userId}/<assets>`; nil when it always existed.
        let userListSince: APIVersion?
        /// Whether `PUT /<assets>/{id}` sets the location.
        let isUpdatable: Bool

        /// The six asset types.
        static let all: [Kind] = [
            Kind(type: .vehicle, idParameter: "vehicleId", name: "Vehicle", userListSince: .v2023_08_01, isUpdatable: false),
            Kind(type: .charger, idParameter: "chargerId", name: "Charger", userListSince: .v2023_08_01, isUpdatable: true),
            Kind(type: .hvac, idParameter: "hvacId", name: "HVAC", userListSince: .v2023_08_01, isUpdatable: true),
            Kind(type: .inverter, idParameter: "inverterId", name: "Inverter", userListSince: .v2023_08_01, isUpdatable: false),
            Kind(type: .battery, idParameter: "batteryId", name: "Battery", userListSince: nil, isUpdatable: false),
            Kind(type: .meter, idParameter: "meterId", name: "Meter", userListSince: nil, isUpdatable: false),
        ]
    }

    let kind: Kind
    let dependencies: ServerDependencies
    let synchronizer: DeviceSynchronizer

    private var tag: String { kind.name == "HVAC" ? "HVACs" : kind.name + "s" }
    private var schema: JSONValue { OpenAPISchemas.ref(kind.name) }
    private static let refreshSince = VersionRange(introduced: .v2023_08_01)
    private static let fieldParameter = OpenAPIOperation.Parameter.query(
        "field", "Deprecated before 2023-08-01: fetch fresh data from the vendor before answering", schema: ["type": "string"])

    /// Adds the routes of this asset type.
    func register(in registry: RouteRegistry) {
        let kind = self.kind
        registry.add(.get, "/\(kind.segment)", operation: .init(
            "list\(kind.name)s", summary: "List \(kind.segment)", tag: tag, parameters: OpenAPISchemas.pageParameters + [Self.fieldParameter],
            responses: [200: .init("\(kind.name)s, newest first (a bare array before 2023-08-01)", schema: OpenAPISchemas.versionedList(schema))])
        ) { request, context in
            let clientId = try context.requireClient().id
            // Before 2023-08-01 these lists belonged to the user named by Enode-User-Id.
            let userId = context.apiVersion < .v2023_08_01 ? request.headers[.enodeUserId] : nil
            return try await list(request, context, clientId: clientId, userId: userId)
        }

        registry.add(.get, "/users/{userId}/\(kind.segment)", versions: VersionRange(introduced: kind.userListSince), operation: .init(
            "listUser\(kind.name)s", summary: "List a user's \(kind.segment)", tag: tag, parameters: OpenAPISchemas.pageParameters,
            responses: [200: .init("The user's \(kind.segment), newest first (a bare array before 2023-08-01)", schema: OpenAPISchemas.versionedList(schema))])
        ) { request, context in
            let clientId = try context.requireClient().id
            let userId = try context.parameters.require("userId")
            try await dependencies.store.requireUser(clientId: clientId, userId: userId)
            return try await list(request, context, clientId: clientId, userId: userId)
        }

        registry.add(.get, "/\(kind.segment)/{\(kind.idParameter)}", operation: .init(
            "get\(kind.name)", summary: "Get a \(kind.type.rawValue)", tag: tag, parameters: [Self.fieldParameter],
            responses: [200: .init("The \(kind.type.rawValue)", schema: schema)])
        ) { request, context in
            var asset = try await find(context)
            if context.apiVersion < .v2023_08_01, request.uri.queryParameters["field"] != nil {
                asset = try await refreshed(asset)
            }
            return try AssetBodies.rendering(kind.type).response(asset.body, for: context.apiVersion)
        }

        registry.add(.post, "/\(kind.segment)/{\(kind.idParameter)}/refresh-hint", versions: Self.refreshSince, operation: .init(
            "\(kind.type.rawValue)RefreshHint", summary: "Ask for an expedited data refresh", tag: tag,
            responses: [204: .init("Refresh queued")])
        ) { _, context in
            let asset = try await find(context)
            let soon = dependencies.clock.now().addingTimeInterval(5)
            try await dependencies.store.write {
                try await $0.expediteSync(clientId: asset.clientId, userId: asset.userId, accountRef: asset.accountRef, to: soon)
            }
            return Response(status: .noContent)
        }

        guard kind.isUpdatable else { return }
        registry.add(.put, "/\(kind.segment)/{\(kind.idParameter)}", operation: .init(
            "update\(kind.name)", summary: "Set the location of a \(kind.type.rawValue)", tag: tag,
            requestBody: (contentType: "application/json", schema: OpenAPISchemas.ref("AssetLocationUpdate")),
            responses: [200: .init("The \(kind.type.rawValue)", schema: schema)])
        ) { request, context in
            let asset = try await find(context)
            let update = try await JSONBody.decode(LocationUpdate.self, from: request)
            let field = update.field
            if let id = update.locationId {
                let location = try await dependencies.store.read { try await $0.location(clientId: asset.clientId, id: id) }
                guard location?.userId == asset.userId else {
                    throw Problem.badRequest("\"\(field)\" must be the id of one of the user's locations")
                }
            }
            var body = asset.body
            body["location"]?["id"] = update.locationId.map { .string($0) } ?? .null
            try await dependencies.store.write { [body] session in
                try await session.setAssetLocation(id: asset.id, locationId: update.locationId)
                try await session.updateAsset(id: asset.id, body: body, scopes: asset.scopes)
            }
            return try AssetBodies.rendering(kind.type).response(body, for: context.apiVersion)
        }
    }

    private func list(_ request: Request, _ context: GridlinkRequestContext, clientId: String, userId: String?) async throws -> Response {
        let store = dependencies.store
        let type = kind.type
        if context.apiVersion < .v2023_08_01, request.uri.queryParameters["field"] != nil {
            let assets = try await store.read { try await $0.assets(clientId: clientId, type: type, userId: userId, page: PageRequest(size: PageRequest.maximumSize)) }
            for asset in assets.items { _ = try await refreshed(asset) }
        }
        return try await ListRendering.respond(to: request, context: context, rendering: AssetBodies.rendering(type)) { page in
            try await store.read { try await $0.assets(clientId: clientId, type: type, userId: userId, page: page) }
        } render: { $0.body }
    }

    private func find(_ context: GridlinkRequestContext) async throws -> AssetRecord {
        let clientId = try context.requireClient().id
        let id = try context.parameters.require(kind.idParameter)
        let type = kind.type
        guard let asset = try await dependencies.store.read({ try await $0.asset(clientId: clientId, type: type, id: id) }) else {
            throw Problem.notFound("\(kind.name) \(id) not found", title: "Entity Not Found")
        }
        return asset
    }

    /// Synchronizes the asset's account now and returns the fresh asset (the pre-2023-08-01 `field` behaviour).
    private func refreshed(_ asset: AssetRecord) async throws -> AssetRecord {
        let links = try await dependencies.store.read { try await $0.vendorLinks(clientId: asset.clientId, userId: asset.userId) }
        if let link = links.first(where: { $0.accountRef == asset.accountRef && $0.isValid }) {
            try await synchronizer.sync(link)
        }
        let type = kind.type
        return try await dependencies.store.read { try await $0.asset(clientId: asset.clientId, type: type, id: asset.id) } ?? asset
    }
}

/// `PUT /chargers/{id}` and `PUT /hvacs/{id}` body: `locationId` (`chargingLocationId` before 2023-08-01) is required and
/// may be null, which clears the location.
struct LocationUpdate: Decodable {
    /// The location to set, nil to clear.
    let locationId: String?
    /// The body key the client used.
    let field: String

    private enum CodingKeys: String, CodingKey { case locationId, chargingLocationId }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let key = [CodingKeys.locationId, .chargingLocationId].first(where: container.contains) else {
            throw DecodingError.keyNotFound(CodingKeys.locationId, .init(codingPath: [], debugDescription: "required"))
        }
        field = key.stringValue
        locationId = try container.decodeNil(forKey: key) ? nil : try container.decode(String.self, forKey: key)
    }
}
