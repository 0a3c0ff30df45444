import Foundation
import GridlinkCore
import GridlinkStore

/// Keeps assets' location ids true: positioned assets (vehicles, and the site devices) are at the user's location
/// whose geofence holds their coordinates; chargers and HVACs keep the location set through `PUT` while it exists.
enum AssetLocating {
    /// Asset types whose location follows their reported coordinates.
    static let positionedTypes: Set<VendorType> = [.vehicle, .inverter, .battery, .meter]

    /// The location id an asset with this rendered body has.
    ///
    /// A vehicle without coordinates that is plugged into one of the user's chargers is where that charger is.
    static func locationId(of body: JSONValue, type: VendorType, stored: String?, locations: [Location], chargers: [AssetRecord]) -> String? {
        guard positionedTypes.contains(type) else { return locations.contains { $0.id == stored } ? stored : nil }
        if let latitude = body["location"]?["latitude"]?.number, let longitude = body["location"]?["longitude"]?.number {
            return GeoFence.locationId(latitude: latitude, longitude: longitude, among: locations)
        }
        guard type == .vehicle, let chargerId = body["chargeState"]?["pluggedInChargerId"]?.string else { return nil }
        return chargers.first { $0.id == chargerId }?.locationId
    }

    /// The body with `location.id` set.
    static func placed(_ body: JSONValue, at locationId: String?) -> JSONValue {
        var body = body
        if body["location"] == nil { body["location"] = [:] }
        body["location"]?["id"] = locationId.map { .string($0) } ?? .null
        return body
    }

    /// Re-evaluates every asset of a user after its locations changed; moved assets get `user:<type>:updated`.
    static func relocateAssets(clientId: String, userId: String, in session: StoreSession, at now: Date) async throws {
        let locations = try await session.locations(clientId: clientId, userId: userId)
        let assets = try await session.assets(clientId: clientId, userId: userId)
        let chargers = assets.filter { $0.type == .charger }
        for asset in assets {
            let target = locationId(of: asset.body, type: asset.type, stored: asset.locationId, locations: locations, chargers: chargers)
            let shown = asset.body["location"]?["id"]?.string
            guard target != asset.locationId || target != shown else { continue }
            let body = placed(asset.body, at: target)
            try await session.setAssetLocation(id: asset.id, locationId: target)
            try await session.updateAsset(id: asset.id, body: body, scopes: asset.scopes)
            let changed = FieldDiff.changedFields(from: asset.body, to: body)
            try await session.appendEvent(NewOutboxEvent(
                clientId: clientId, userId: userId, name: "user:\(asset.type.rawValue):updated",
                payload: try EventPayload.encode([
                    asset.type.rawValue: body, "updatedFields": .array(changed.map { .string($0) }), "user": ["id": .string(userId)],
                ])), at: now)
        }
    }
}
