import GridlinkCore

/// 2023-03-01 (charge actions and charge schedules) and 2023-05-01 (temperature schedules) replaced
/// `chargeableId`/`chargeableType` with `targetId`/`targetType`; before, the target went by the old names.
struct TargetRenameTransform: ResponseTransform {
    let introducedIn: APIVersion
    /// The target types whose items the change touched.
    let targetTypes: Set<String>
    let summary = "chargeableId/chargeableType replaced by targetId/targetType"

    /// Charge actions and charge schedules (vehicle and charger targets): 2023-03-01.
    static let charging = TargetRenameTransform(introducedIn: .v2023_03_01, targetTypes: ["vehicle", "charger"])
    /// Temperature schedules (HVAC targets): 2023-05-01.
    static let temperature = TargetRenameTransform(introducedIn: .v2023_05_01, targetTypes: ["hvac"])

    func downgrade(_ body: JSONValue) -> JSONValue {
        ItemBodies.map(body) { item in
            guard case .string(let type) = item["targetType"], targetTypes.contains(type) else { return item }
            var item = item
            item["chargeableId"] = item["targetId"]
            item["chargeableType"] = item["targetType"]
            item["targetId"] = nil
            item["targetType"] = nil
            return item
        }
    }
}
