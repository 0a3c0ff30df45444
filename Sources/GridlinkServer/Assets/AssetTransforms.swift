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

/// 2023-08-01 began renaming `chargingLocationId` to `locationId`.
struct ChargingLocationIdTransform: ResponseTransform {
    let introducedIn = APIVersion.v2023_08_01
    let summary = "chargingLocationId renamed to locationId"

    func downgrade(_ body: JSONValue) -> JSONValue {
        ItemBodies.update(body) { asset in
            asset["chargingLocationId"] = asset["locationId"] ?? .null
            asset["locationId"] = nil
        }
    }
}

/// 2023-03-01 removed a vehicle's `chargeState.isChargingReasons` and `information.id` (use `information.vin`).
struct VehicleRemovedFieldsTransform: ResponseTransform {
    let introducedIn = APIVersion.v2023_03_01
    let summary = "Vehicles lost chargeState.isChargingReasons and information.id"

    /// `information.id` is the vin (what 2023-03-01 told clients to use instead); Gridlink records no charging
    /// reasons, so `isChargingReasons` is empty.
    func downgrade(_ body: JSONValue) -> JSONValue {
        ItemBodies.update(body) { vehicle in
            let vin = vehicle["information"]?["vin"] ?? .null
            vehicle["information"]?["id"] = vin
            vehicle["chargeState"]?["isChargingReasons"] = []
        }
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

/// 2024-10-01 removed a charger's deprecated `information.id` (the vendor's id of the unit; Gridlink's is its serial number).
struct ChargerInformationIdTransform: ResponseTransform {
    let introducedIn = APIVersion.v2024_10_01
    let summary = "Chargers lost information.id"

    func downgrade(_ body: JSONValue) -> JSONValue {
        ItemBodies.update(body) { charger in
            let serialNumber = charger["information"]?["serialNumber"] ?? .null
            charger["information"]?["id"] = serialNumber
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
        case .vehicle: [VehicleRemovedFieldsTransform()]
        case .charger: [ChargerInformationIdTransform()]
        case .hvac: [HVACTargetTemperatureTransform(), HVACDeprecatedFieldsTransform()]
        case .inverter, .battery, .meter: []
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
