import Foundation

/// What an asset's rendering needs besides the device reading.
public struct AssetContext: Sendable {
    /// Asset id.
    public let id: String
    /// Owning user.
    public let userId: String
    /// Scopes the user granted for the asset.
    public let scopes: [String]
    /// Location the asset belongs to, if any.
    public let locationId: String?
    /// When this reading was taken (every `lastUpdated`).
    public let observedAt: Date
    /// When the device last answered.
    public let lastSeen: Date
    /// When the asset was linked (reported as `installationDate`).
    public let linkedAt: Date
    /// False once the vendor credentials stopped working.
    public let credentialsValid: Bool
    /// Asset ids of the user's other devices, by connector device id (for pairing references).
    public let assetIdsByDeviceRef: [String: String]

    /// Creates a context.
    public init(
        id: String, userId: String, scopes: [String], locationId: String?, observedAt: Date, lastSeen: Date, linkedAt: Date,
        credentialsValid: Bool, assetIdsByDeviceRef: [String: String]
    ) {
        self.id = id
        self.userId = userId
        self.scopes = scopes
        self.locationId = locationId
        self.observedAt = observedAt
        self.lastSeen = lastSeen
        self.linkedAt = linkedAt
        self.credentialsValid = credentialsValid
        self.assetIdsByDeviceRef = assetIdsByDeviceRef
    }
}

/// Renders device readings as API assets in the 2024-10-01 shape (ENUMS.md §2.2).
public enum AssetRenderer {
    /// Intervention reported on every capability while the vendor credentials are invalid.
    public static let relinkInterventionId = InterventionCatalogue.relink.id

    /// The asset body for a reading.
    public static func render(_ reading: DeviceReading, context: AssetContext) -> JSONValue {
        let state = reading.view["state"] ?? [:]
        let updated: JSONValue = .string(Timestamp.format(context.observedAt))
        var body: JSONValue = [
            "id": .string(context.id),
            "userId": .string(context.userId),
            "vendor": .string(reading.vendor),
            "lastSeen": .string(Timestamp.format(context.lastSeen)),
            "isReachable": .bool(context.credentialsValid && reading.isReachable),
            "scopes": .array(context.scopes.map { .string($0) }),
            "capabilities": capabilities(reading, context: context),
        ]
        let brand = JSONValue.string(BrandNames.brand(of: reading.vendor))
        let model = reading.view["model"] ?? .null
        let site = reading.view["site"] ?? [:]
        let installed = JSONValue.string(Timestamp.format(context.linkedAt))
        let siteName = reading.view["siteId"] ?? "Home"
        let locationId = context.locationId.map { JSONValue.string($0) } ?? .null
        switch reading.type {
        case .vehicle:
            let locationCapable = capable(reading, "location")
            body["information"] = [
                "vin": .string(SerialNumbers.vin(for: reading.deviceRef)), "brand": brand, "model": model,
                "year": reading.view["year"] ?? .null, "displayName": reading.view["name"] ?? .null,
            ]
            body["chargeState"] = [
                "batteryLevel": state["batteryLevel"] ?? .null, "range": state["range"] ?? .null,
                "isPluggedIn": state["isPluggedIn"] ?? .null, "isCharging": state["isCharging"] ?? .null,
                "isFullyCharged": state["isFullyCharged"] ?? .null, "batteryCapacity": state["batteryCapacity"] ?? .null,
                "chargeLimit": state["chargeLimit"] ?? .null, "chargeRate": state["chargeRate"] ?? .null,
                "chargeTimeRemaining": state["chargeTimeRemaining"] ?? .null, "lastUpdated": updated,
                "maxCurrent": state["maxCurrent"] ?? .null, "powerDeliveryState": state["powerDeliveryState"] ?? "UNKNOWN",
                "pluggedInChargerId": pairedAsset(state["pluggedInChargerId"], context),
            ]
            body["smartChargingPolicy"] = ["isEnabled": false, "deadline": nil, "minimumChargeLimit": 0]
            body["odometer"] = ["distance": capable(reading, "odometer") ? state["odometer"] ?? .null : .null, "lastUpdated": updated]
            body["location"] = [
                "longitude": locationCapable ? state["longitude"] ?? .null : .null,
                "latitude": locationCapable ? state["latitude"] ?? .null : .null,
                "lastUpdated": locationCapable ? updated : .null, "id": locationId,
            ]
        case .charger:
            body["information"] = [
                "brand": brand, "model": model, "year": reading.view["year"] ?? .null,
                "serialNumber": .string(SerialNumbers.serial(for: reading.deviceRef, prefix: reading.vendor)),
            ]
            body["chargeState"] = [
                "isPluggedIn": state["isPluggedIn"] ?? .null, "isCharging": state["isCharging"] ?? .null,
                "chargeRate": state["chargeRate"] ?? .null, "lastUpdated": updated, "maxCurrent": state["maxCurrent"] ?? .null,
                "powerDeliveryState": state["powerDeliveryState"] ?? "UNKNOWN",
                "pluggedInVehicleId": pairedAsset(state["pluggedInVehicleId"], context),
            ]
            body["location"] = ["id": locationId, "lastUpdated": context.locationId == nil ? .null : updated]
        case .hvac:
            let modes = reading.view["state"]?["capableModes"] ?? .null
            body["consumptionRate"] = state["power"] ?? .null
            body["information"] = [
                "brand": brand, "model": model, "displayName": reading.view["name"] ?? brand, "groupName": nil,
                "category": reading.view["category"] ?? "HEAT_PUMP",
            ]
            body["temperatureState"] = ["currentTemperature": state["currentTemperature"] ?? .null, "isActive": state["isActive"] ?? false, "lastUpdated": updated]
            body["thermostatState"] = [
                "mode": state["mode"] ?? "UNKNOWN", "heatSetpoint": state["heatSetpoint"] ?? .null,
                "coolSetpoint": state["coolSetpoint"] ?? .null, "holdType": state["holdType"] ?? .null, "lastUpdated": updated,
            ]
            var capabilities = body["capabilities"] ?? [:]
            capabilities["capableModes"] = modes
            capabilities["heatSetpointRange"] = ["min": 5, "max": 30]
            capabilities["coolSetpointRange"] = ["min": 16, "max": 32]
            capabilities["setpointDifferenceRange"] = ["min": 2, "max": 10]
            body["capabilities"] = capabilities
            body["location"] = ["id": locationId]
        case .inverter:
            let rate = state["productionRate"] ?? .null
            let producing: JSONValue = if case .number(let value) = rate { .bool(value > 0) } else { .null }
            body["productionState"] = [
                "productionRate": rate, "isProducing": producing,
                "totalLifetimeProduction": state["totalLifetimeProduction"] ?? .null, "lastUpdated": updated,
            ]
            body["timezone"] = "UTC"
            body["information"] = [
                "id": .string(reading.deviceRef), "sn": .string(SerialNumbers.serial(for: reading.deviceRef, prefix: "INV")),
                "brand": brand, "model": model, "siteName": siteName, "installationDate": installed,
            ]
            body["location"] = siteLocation(site, locationId: locationId, updated: updated)
        case .battery:
            body["chargeState"] = [
                "status": state["status"] ?? .null, "batteryCapacity": state["batteryCapacity"] ?? .null,
                "batteryLevel": state["batteryLevel"] ?? .null, "chargeRate": state["chargeRate"] ?? .null,
                "dischargeLimit": state["dischargeLimit"] ?? .null, "lastUpdated": updated,
            ]
            body["config"] = ["operationMode": state["operationMode"] ?? .null, "lastUpdated": updated]
            body["information"] = ["id": .string(reading.deviceRef), "brand": brand, "model": model, "siteName": siteName, "installationDate": installed]
            body["location"] = siteLocation(site, locationId: locationId, updated: updated)
            if let site = siteName.string { body["hemSystemId"] = .string(HemSystemIdentity(userId: context.userId, vendor: reading.vendor, site: site).id) }
        case .meter:
            body["information"] = ["brand": brand, "model": model, "siteName": siteName, "installationDate": installed]
            body["energyState"] = ["power": state["power"] ?? .null, "lastUpdated": updated]
            body["location"] = siteLocation(site, locationId: locationId, updated: updated)
        }
        return body
    }

    private static func siteLocation(_ site: JSONValue, locationId: JSONValue, updated: JSONValue) -> JSONValue {
        ["id": locationId, "longitude": site["longitude"] ?? .null, "latitude": site["latitude"] ?? .null, "lastUpdated": updated]
    }

    private static func capable(_ reading: DeviceReading, _ name: String) -> Bool {
        reading.view["capabilities"]?[name]?["isCapable"] == .bool(true)
    }

    private static func pairedAsset(_ deviceRef: JSONValue?, _ context: AssetContext) -> JSONValue {
        guard case .string(let ref) = deviceRef, let assetId = context.assetIdsByDeviceRef[ref] else { return .null }
        return .string(assetId)
    }

    private static func capabilities(_ reading: DeviceReading, context: AssetContext) -> JSONValue {
        var result: [String: JSONValue] = [:]
        guard case .object(let reported) = reading.view["capabilities"] ?? [:] else { return [:] }
        for (name, capability) in reported {
            if context.credentialsValid {
                result[name] = catalogued(capability)
            } else {
                result[name] = ["isCapable": false, "interventionIds": [.string(relinkInterventionId)]]
            }
        }
        return .object(result)
    }

    /// The capability with only the intervention ids `GET /interventions/{id}` resolves, in catalogue form.
    private static func catalogued(_ capability: JSONValue) -> JSONValue {
        guard case .array(let ids) = capability["interventionIds"] ?? [] else { return capability }
        var result = capability
        result["interventionIds"] = .array(ids.compactMap { $0.string.flatMap(InterventionCatalogue.intervention(id:)).map { .string($0.id) } })
        return result
    }
}

/// Stable identifiers derived from a device id, so the same device always shows the same VIN and serial.
public enum SerialNumbers {
    private static let vinAlphabet = Array("ABCDEFGHJKLMNPRSTUVWXYZ0123456789")

    /// A 17-character VIN-like identifier.
    public static func vin(for ref: String) -> String {
        String(digest(ref).prefix(17).map { vinAlphabet[Int($0) % vinAlphabet.count] })
    }

    /// A serial number with a vendor prefix.
    public static func serial(for ref: String, prefix: String) -> String {
        prefix.prefix(3).uppercased() + "-" + String(digest(ref).prefix(10).map { vinAlphabet[Int($0) % vinAlphabet.count] })
    }

    /// 24 stable bytes hashed from `text` (three rounds of FNV-1a).
    static func digest(_ text: String) -> [UInt8] {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var bytes: [UInt8] = []
        for round in 0..<3 {
            for byte in text.utf8 { hash = (hash ^ UInt64(byte) ^ UInt64(round)) &* 0x100_0000_01b3 }
            bytes += withUnsafeBytes(of: hash.bigEndian, Array.init)
        }
        return bytes
    }
}
