import GridlinkCore

/// 2024-10-01 moved an asset's location id into `location.id`; before, it was the top-level `locationId`.
struct LocationObjectTransform: ResponseTransform {
    let introducedIn = APIVersion.v2024_10_01
    let summary = "Asset location id moved from locationId to location.id"

    func downgrade(_ body: JSONValue) -> JSONValue {
        ItemBodies.map(body) { asset in
            var asset = asset
            asset["locationId"] = asset["location"]?["id"] ?? .null
            if case .object(var location) = asset["location"] {
                location["id"] = nil
                let keepsData = location["latitude"] != nil || location["longitude"] != nil
                asset["location"] = keepsData ? .object(location) : nil
            }
            return asset
        }
    }
}

/// 2024-01-01 added `scopes` to every asset.
struct AssetScopesTransform: ResponseTransform {
    let introducedIn = APIVersion.v2024_01_01
    let summary = "Assets gained a scopes property"

    func downgrade(_ body: JSONValue) -> JSONValue {
        ItemBodies.map(body) { asset in
            var asset = asset
            asset["scopes"] = nil
            return asset
        }
    }
}

/// 2023-08-01 began renaming `chargingLocationId` to `locationId`.
struct ChargingLocationIdTransform: ResponseTransform {
    let introducedIn = APIVersion.v2023_08_01
    let summary = "chargingLocationId renamed to locationId"

    func downgrade(_ body: JSONValue) -> JSONValue {
        ItemBodies.map(body) { asset in
            var asset = asset
            asset["chargingLocationId"] = asset["locationId"] ?? .null
            asset["locationId"] = nil
            return asset
        }
    }
}

/// The dated transforms of asset responses.
enum AssetBodies {
    /// Every dated transform of asset responses.
    static let transforms: [any ResponseTransform] = [LocationObjectTransform(), AssetScopesTransform(), ChargingLocationIdTransform()]
}

extension VersionedRendering {
    /// The rendering of asset responses (single assets and lists).
    static let assets = VersionedRendering(AssetBodies.transforms + [UnpaginatedListTransform()])
}

extension VersionedRendering {
    /// The rendering of Enode list endpoints without per-item changes.
    static let lists = VersionedRendering([UnpaginatedListTransform()])
}
