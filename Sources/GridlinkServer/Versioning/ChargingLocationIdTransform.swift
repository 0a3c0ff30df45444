import GridlinkCore

/// 2023-08-01 began renaming `chargingLocationId` to `locationId`: on assets and charge schedules; temperature schedules,
/// which name no location of their own, lost the (always null) `chargingLocationId`.
struct ChargingLocationIdTransform: ResponseTransform {
    let introducedIn = APIVersion.v2023_08_01
    let summary = "chargingLocationId renamed to locationId"

    func downgrade(_ body: JSONValue) -> JSONValue {
        ItemBodies.update(body) { item in
            item["chargingLocationId"] = item["locationId"] ?? .null
            item["locationId"] = nil
        }
    }
}
