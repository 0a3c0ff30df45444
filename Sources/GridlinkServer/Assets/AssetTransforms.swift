import GridlinkCore

/// 2024-10-01 moved an asset's location id into `location.id`; before, it was the top-level `locationId`.
struct LocationObjectTransform: ResponseTransform {
    let introducedIn = APIVersion.v2024_10_01
    let summary = "Asset location id moved from locationId to location.id"

    func downgrade(_ body: JSONValue) -> JSONValue {
        ItemBodies.update(body) { asset in
            asset["locationId"] = asset["location"]?["id"] ?? .null
            if case .object(var location) = asset["location"] {
                location["id"] = nil
                let keepsData = location["latitude"] != nil || location["longitude"] != nil
                asset["location"] = keepsData ? .object(location) : nil
            }
        }
    }
}

/// 2024-01-01 added `scopes` to every asset.
struct AssetScopesTransform: ResponseTransform {
    let introducedIn = APIVersion.v2024_01_01
    let summary = "Assets gained a scopes property"

    func downgrade(_ body: JSONValue) -> JSONValue {
        ItemBodies.update(body) { asset in
            asset["scopes"] = nil
        }
    }
}

/// A deprecated `information.id` that a version removed, shown before it as a copy of the field that replaces it:
/// a vehicle's `vin` (removed 2023-03-01, "use information.vin"), a charger's `serialNumber` (removed 2024-10-01).
struct InformationIdTransform: ResponseTransform {
    let introducedIn: APIVersion
    /// The `information` field `id` copies.
    let source: String
    var summary: String { "information.id removed (use information.\(source))" }

    /// Vehicles: 2023-03-01, the vin.
    static let vehicle = InformationIdTransform(introducedIn: .v2023_03_01, source: "vin")
    /// Chargers: 2024-10-01, the serial number.
    static let charger = InformationIdTransform(introducedIn: .v2024_10_01, source: "serialNumber")

    func downgrade(_ body: JSONValue) -> JSONValue {
        ItemBodies.update(body) { asset in
            let value = asset["information"]?[source] ?? .null
            asset["information"]?["id"] = value
        }
    }
}

/// 2024-10-01 added HEM systems and a battery's `hemSystemId`.
struct HemSystemIdTransform: ResponseTransform {
    let introducedIn = APIVersion.v2024_10_01
    let summary = "Batteries gained hemSystemId"

    func downgrade(_ body: JSONValue) -> JSONValue {
        ItemBodies.update(body) { battery in battery["hemSystemId"] = nil }
    }
}

/// 2023-03-01 removed a vehicle's `chargeState.isChargingReasons`. Gridlink records no charging reasons, so it is empty.
struct ChargingReasonsTransform: ResponseTransform {
    let introducedIn = APIVersion.v2023_03_01
    let summary = "Vehicles lost chargeState.isChargingReasons"

    func downgrade(_ body: JSONValue) -> JSONValue {
        ItemBodies.update(body) { vehicle in vehicle["chargeState"]?["isChargingReasons"] = [] }
    }
}

/// 2023-03-01 removed `targetTemperature` from HVAC responses (the setpoints live in `thermostatState`).
struct HVACTargetTemperatureTransform: ResponseTransform {
    let introducedIn = APIVersion.v2023_03_01
    let summary = "HVACs lost targetTemperature"

    /// The setpoint of the current mode: heat for HEAT and AUTO, cool for COOL, else null.
    func downgrade(_ body: JSONValue) -> JSONValue {
        ItemBodies.update(body) { hvac in
            let thermostat = hvac["thermostatState"]
            hvac["targetTemperature"] = switch thermostat?["mode"] {
            case "HEAT", "AUTO": thermostat?["heatSetpoint"] ?? .null
            case "COOL": thermostat?["coolSetpoint"] ?? .null
            default: .null
            }
        }
    }
}

/// 2024-10-01 removed the deprecated top-level copies of an HVAC's thermostat and temperature state and
/// `capabilities.capableHoldTypes` (replaced by `setPermanentHold`/`setFollowSchedule`).
struct HVACDeprecatedFieldsTransform: ResponseTransform {
    let introducedIn = APIVersion.v2024_10_01
    let summary = "HVACs lost mode, heatSetpoint, coolSetpoint, holdType, isActive, currentTemperature and capabilities.capableHoldTypes"

    func downgrade(_ body: JSONValue) -> JSONValue {
        ItemBodies.update(body) { hvac in
            for key in ["mode", "heatSetpoint", "coolSetpoint", "holdType"] { hvac[key] = hvac["thermostatState"]?[key] ?? .null }
            hvac["isActive"] = hvac["temperatureState"]?["isActive"] ?? false
            hvac["currentTemperature"] = hvac["temperatureState"]?["currentTemperature"] ?? .null
            let holds: [(String, String)] = [("setPermanentHold", "PERMANENT"), ("setFollowSchedule", "SCHEDULED")]
            let capable = holds.filter { hvac["capabilities"]?[$0.0]?["isCapable"] == true }.map { JSONValue.string($0.1) }
            hvac["capabilities"]?["capableHoldTypes"] = .array(capable)
        }
    }
}

/// The dated transforms of asset responses.
enum AssetBodies {
    /// The transforms every asset type shares.
    static let common: [any ResponseTransform] = [LocationObjectTransform(), AssetScopesTransform(), ChargingLocationIdTransform()]

    /// The renderings of single assets and lists, per asset type.
    static let renderings: [VendorType: VersionedRendering] = Dictionary(uniqueKeysWithValues: VendorType.allCases.map { type in
        (type, VersionedRendering(common + specific(type) + [UnpaginatedListTransform()]))
    })

    /// The transforms of one asset type only.
    static func specific(_ type: VendorType) -> [any ResponseTransform] {
        switch type {
        case .vehicle: [InformationIdTransform.vehicle, ChargingReasonsTransform()]
        case .charger: [InformationIdTransform.charger]
        case .hvac: [HVACTargetTemperatureTransform(), HVACDeprecatedFieldsTransform()]
        case .battery: [HemSystemIdTransform()]
        case .inverter, .meter: []
        }
    }

    /// The rendering of `type`'s responses (single assets and lists).
    static func rendering(_ type: VendorType) -> VersionedRendering {
        renderings[type] ?? VersionedRendering(common + [UnpaginatedListTransform()])
    }
}

extension VersionedRendering {
    /// The rendering of Enode list endpoints without per-item changes.
    static let lists = VersionedRendering([UnpaginatedListTransform()])
}
