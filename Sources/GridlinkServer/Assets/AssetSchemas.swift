import GridlinkCore

/// OpenAPI schemas of the asset read API (2024-10-01 shapes; older versions differ as docs/VERSIONS.md lists).
enum AssetSchemas {
    private static func object(_ required: [String]) -> JSONValue {
        ["type": "object", "required": .array(required.map { .string($0) })]
    }
    private static let common = ["id", "userId", "vendor", "lastSeen", "isReachable", "capabilities"]

    static let components: [String: JSONValue] = [
        "Vehicle": object(common + ["information", "chargeState", "smartChargingPolicy", "odometer"]),
        "Charger": object(common + ["information", "chargeState"]),
        "HVAC": object(common + ["information", "temperatureState", "thermostatState"]),
        "Inverter": object(common + ["information", "productionState"]),
        "Battery": object(common + ["information", "chargeState", "config"]),
        "Meter": object(common + ["information", "energyState"]),
        "AssetLocationUpdate": [
            "type": "object", "required": ["locationId"],
            "properties": ["locationId": ["type": ["string", "null"]]],
        ],
    ]
}
