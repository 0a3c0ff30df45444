/// EV-charger pairing (integration guide "EV charger pairing"): a vehicle and a charger of the same user form a pair
/// through which the charger unlocks the vehicle's charging control and location.
public enum ChargerPairing {
    /// Capabilities a paired charger can unlock on the vehicle, with the charger capability that provides each.
    private static let unlocked = [("startCharging", "startCharging"), ("stopCharging", "stopCharging"), ("location", "chargeState")]

    /// The vehicle body with the pair applied: unlocked capabilities with the vehicle's interventions suppressed, the
    /// charger's interventions first where it cannot help, both `chargeState` intervention lists merged, `chargeRate`
    /// from the charger when the vehicle reports none, and a GPS-less vehicle's location taken from the charger it
    /// is plugged into.
    public static func apply(to vehicle: JSONValue, reading: DeviceReading, charger: JSONValue, pluggedIn: Bool) -> JSONValue {
        var body = vehicle
        let vehicleCapabilities = vehicle["capabilities"] ?? [:]
        let chargerCapabilities = charger["capabilities"] ?? [:]
        let hadLocation = vehicleCapabilities["location"]?["isCapable"] == .bool(true)
        for (name, provider) in unlocked {
            let own = vehicleCapabilities[name] ?? ["isCapable": false, "interventionIds": []]
            guard own["isCapable"] != .bool(true) else { continue }
            let offered = chargerCapabilities[provider] ?? [:]
            if offered["isCapable"] == .bool(true) {
                body["capabilities"]?[name] = ["isCapable": true, "interventionIds": []]
            } else {
                body["capabilities"]?[name] = ["isCapable": false, "interventionIds": .array(ids(offered) + ids(own))]
            }
        }
        let chargeState = vehicleCapabilities["chargeState"] ?? ["isCapable": false, "interventionIds": []]
        let merged = ids(chargeState) + ids(chargerCapabilities["chargeState"] ?? [:]).filter { !ids(chargeState).contains($0) }
        body["capabilities"]?["chargeState"]?["interventionIds"] = .array(merged)
        if body["chargeState"]?["chargeRate"] == .null, pluggedIn {
            body["chargeState"]?["chargeRate"] = charger["chargeState"]?["chargeRate"] ?? .null
        }
        if !hadLocation, body["capabilities"]?["location"]?["isCapable"] == .bool(true) {
            let chargerLocation = charger["location"]?["id"] ?? .null
            let state = reading.view["state"] ?? [:]
            body["location"]?["latitude"] = pluggedIn ? state["latitude"] ?? .null : .null
            body["location"]?["longitude"] = pluggedIn ? state["longitude"] ?? .null : .null
            body["location"]?["lastUpdated"] = pluggedIn ? charger["chargeState"]?["lastUpdated"] ?? .null : .null
            if body["location"]?["id"] == .null, pluggedIn { body["location"]?["id"] = chargerLocation }
        }
        return body
    }

    private static func ids(_ capability: JSONValue) -> [JSONValue] {
        if case .array(let ids) = capability["interventionIds"] ?? [] { return ids }
        return []
    }
}
