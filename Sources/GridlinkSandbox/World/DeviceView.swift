import Foundation
import GridlinkCore

extension SandboxEngine {
    /// The device as the sandbox control API shows it: identity, capabilities and derived state, as JSON.
    public func view(of device: SimDevice) -> JSONValue {
        var capabilities: [String: JSONValue] = [:]
        for name in CapabilityNames.of(device.type) {
            let ids = device.disabledCapabilities[name]?.interventionIds ?? []
            capabilities[name] = ["isCapable": .bool(isCapable(device, name)), "interventionIds": .array(ids.map { .string($0) })]
        }
        let site = site(device.siteId)
        var view: JSONValue = [
            "id": .string(device.id),
            "accountId": .string(device.accountId),
            "vendor": .string(device.vendor),
            "type": .string(device.type.rawValue),
            "model": .string(device.model),
            "year": .number(Double(device.year)),
            "name": .string(device.name),
            "siteId": .string(device.siteId),
            "isReachable": .bool(isReachable(device)),
            "capabilities": .object(capabilities),
            "state": Self.stateView(device.state),
            "site": ["latitude": .number(site.latitude), "longitude": .number(site.longitude)],
        ]
        if device.type == .vehicle, !VendorTraitsCatalogue.traits(vendor: device.vendor, type: .vehicle).reportsChargeLimit {
            view["state"]?["chargeLimit"] = .null
        }
        if device.type == .hvac, let model = ModelCatalogue.hvacs.first(where: { $0.vendor == device.vendor && $0.model == device.model }) {
            view["category"] = .string(model.kind.rawValue)
        }
        return view
    }

    /// The derived, externally visible state of a device.
    static func stateView(_ state: DeviceState) -> JSONValue {
        func round(_ value: Double, _ places: Double = 100) -> JSONValue { .number((value * places).rounded() / places) }
        switch state {
        case .vehicle(let vehicle):
            return [
                "batteryLevel": round(vehicle.batteryLevel), "chargeLimit": round(vehicle.chargeLimit),
                "batteryCapacity": round(vehicle.capacityKWh), "isPluggedIn": .bool(vehicle.isPluggedIn),
                "isCharging": .bool(vehicle.chargeRateKW > 0), "isFullyCharged": .bool(vehicle.batteryLevel >= vehicle.chargeLimit),
                "chargeRate": round(vehicle.chargeRateKW), "chargeTimeRemaining": VehiclePhysics.minutesToLimit(vehicle).map { .number($0.rounded()) } ?? .null,
                "range": round(VehiclePhysics.range(vehicle), 1), "powerDeliveryState": .string(VehiclePhysics.powerDeliveryState(vehicle)),
                "pluggedInChargerId": vehicle.pluggedChargerId.map { .string($0) } ?? .null,
                "chargingEnabled": .bool(vehicle.chargingEnabled), "maxCurrent": vehicle.maxCurrent.map { .number($0) } ?? .null,
                "latitude": round(vehicle.latitude, 1e6), "longitude": round(vehicle.longitude, 1e6),
                "odometer": round(vehicle.odometerKm, 10), "isDriving": .bool(vehicle.trip != nil),
                "lifetimeEnergy": round(vehicle.chargedKWh ?? 0, 1000), "autoStart": .bool(vehicle.startsOnPlugIn),
            ]
        case .charger(let charger):
            let delivery = !charger.isPluggedIn ? "UNPLUGGED"
                : charger.chargeRateKW > 0 ? "PLUGGED_IN:CHARGING"
                : charger.chargingEnabled && charger.maxCurrent <= 0 ? "PLUGGED_IN:NO_POWER" : "PLUGGED_IN:STOPPED"
            return [
                "isPluggedIn": .bool(charger.isPluggedIn), "isCharging": .bool(charger.chargeRateKW > 0),
                "chargeRate": round(charger.chargeRateKW), "maxCurrent": .number(charger.maxCurrent),
                "ratedCurrent": .number(charger.ratedCurrent), "phases": .number(Double(charger.phases)),
                "powerDeliveryState": .string(delivery), "pluggedInVehicleId": charger.pluggedVehicleId.map { .string($0) } ?? .null,
                "chargingEnabled": .bool(charger.chargingEnabled), "lifetimeEnergy": round(charger.lifetimeKWh, 1000),
                "autoStart": .bool(charger.startsOnPlugIn),
            ]
        case .hvac(let hvac):
            return [
                "mode": .string(hvac.mode), "heatSetpoint": round(hvac.heatSetpoint), "coolSetpoint": round(hvac.coolSetpoint),
                "holdType": .string(hvac.holdType), "currentTemperature": round(hvac.currentTemperature),
                "isActive": .bool(hvac.isActive), "capableModes": .array(hvac.capableModes.map { .string($0) }),
                "power": round(hvac.isActive ? hvac.powerKW : 0), "lifetimeEnergy": round(hvac.consumedKWh ?? 0, 1000),
            ]
        case .inverter(let inverter):
            return ["productionRate": round(inverter.productionKW, 1000), "totalLifetimeProduction": round(inverter.lifetimeKWh, 1000), "ratedPower": .number(inverter.ratedKW)]
        case .battery(let battery):
            return [
                "batteryLevel": round(battery.batteryLevel), "batteryCapacity": .number(battery.capacityKWh),
                "chargeRate": round(battery.chargeRateKW, 1000), "status": .string(BatteryPhysics.status(battery)),
                "operationMode": .string(battery.operationMode), "dischargeLimit": .number(battery.dischargeLimit),
                "maxPower": .number(battery.maxPowerKW), "chargedEnergy": round(battery.chargedKWh ?? 0, 1000),
                "dischargedEnergy": round(battery.dischargedKWh ?? 0, 1000),
            ]
        case .meter(let meter):
            return ["power": round(meter.powerKW, 1000), "importedEnergy": round(meter.importedKWh, 1000), "exportedEnergy": round(meter.exportedKWh, 1000)]
        }
    }
}
