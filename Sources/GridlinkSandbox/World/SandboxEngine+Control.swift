import Foundation
import GridlinkCore

/// Direct changes to a device's state through the control API; nil fields are left alone.
public struct DevicePatch: Sendable, Codable, Equatable {
    public var name: String?
    public var isReachable: Bool?
    public var batteryLevel: Double?
    public var chargeLimit: Double?
    public var latitude: Double?
    public var longitude: Double?
    public var chargingEnabled: Bool?
    public var maxCurrent: Double?
    public var currentTemperature: Double?
    public var mode: String?
    public var heatSetpoint: Double?
    public var coolSetpoint: Double?
    public var operationMode: String?
    public var cloudiness: Double?
    public var householdLoadKW: Double?
    public var outdoorTemperature: Double?
    /// Whether plugging in starts charging (vehicles and chargers).
    public var autoStart: Bool?

    /// An empty patch.
    public init() {}
}

extension SandboxEngine {
    /// Plugs a vehicle in, optionally into a simulated charger of the same client.
    public mutating func plug(vehicleId: String, chargerId: String?, clientId: String) throws(Problem) {
        guard let vehicleIndex = owned(vehicleId, clientId), case .vehicle(var vehicle) = devices[vehicleIndex].state else {
            throw device(vehicleId)?.clientId == clientId ? .badRequest("Device \(vehicleId) is not a vehicle") : Self.deviceNotFound(vehicleId)
        }
        var chargerIndex: Int?
        if let chargerId {
            guard let found = owned(chargerId, clientId), case .charger(let charger) = devices[found].state else {
                throw .badRequest("\"chargerId\" must name a sandbox charger of this client")
            }
            if charger.isPluggedIn && charger.pluggedVehicleId != vehicleId {
                throw .conflict("Charger \(chargerId) already has a cable connected")
            }
            chargerIndex = found
        }
        disconnect(vehicleId)
        if case .vehicle(let unplugged) = devices[vehicleIndex].state { vehicle = unplugged }
        vehicle.trip = nil
        vehicle.isPluggedIn = true
        // Without auto-start a new connection waits for a start command; with it the start setting stays as it was.
        if !vehicle.startsOnPlugIn { vehicle.chargingEnabled = false }
        if let chargerId, let chargerIndex, case .charger(var charger) = devices[chargerIndex].state {
            charger.isPluggedIn = true
            if !charger.startsOnPlugIn { charger.chargingEnabled = false }
            charger.pluggedVehicleId = vehicleId
            devices[chargerIndex].state = .charger(charger)
            vehicle.pluggedChargerId = chargerId
            let site = site(devices[chargerIndex].siteId)
            vehicle.latitude = site.latitude
            vehicle.longitude = site.longitude
        }
        devices[vehicleIndex].state = .vehicle(vehicle)
    }

    /// Connects an unsimulated car to a charger (it draws the charger's full power while enabled).
    public mutating func plugCharger(_ chargerId: String, clientId: String) throws(Problem) {
        guard let index = owned(chargerId, clientId), case .charger(var charger) = devices[index].state else {
            throw device(chargerId)?.clientId == clientId ? .badRequest("Device \(chargerId) cannot be plugged in") : Self.deviceNotFound(chargerId)
        }
        if charger.isPluggedIn { throw .conflict("Charger \(chargerId) already has a cable connected") }
        charger.isPluggedIn = true
        if !charger.startsOnPlugIn { charger.chargingEnabled = false }
        devices[index].state = .charger(charger)
    }

    /// Unplugs a vehicle or charger and whatever it was connected to.
    public mutating func unplug(_ deviceId: String, clientId: String) throws(Problem) {
        guard let index = owned(deviceId, clientId) else { throw Self.deviceNotFound(deviceId) }
        switch devices[index].state {
        case .vehicle, .charger: disconnect(deviceId)
        default: throw .badRequest("Device \(deviceId) has no charging cable")
        }
    }

    /// Starts a driving trip (unplugging the car first).
    public mutating func startTrip(vehicleId: String, clientId: String, trip: Trip) throws(Problem) {
        guard trip.remainingKm > 0, trip.remainingKm <= 2000 else { throw .badRequest("\"distanceKm\" must be between 0 and 2000") }
        guard trip.speedKmh > 0, trip.speedKmh <= 250 else { throw .badRequest("\"speedKmh\" must be between 0 and 250") }
        guard let index = owned(vehicleId, clientId), case .vehicle = devices[index].state else {
            throw device(vehicleId)?.clientId == clientId ? .badRequest("Device \(vehicleId) is not a vehicle") : Self.deviceNotFound(vehicleId)
        }
        disconnect(vehicleId)
        guard case .vehicle(var vehicle) = devices[index].state else { return }
        vehicle.trip = trip
        devices[index].state = .vehicle(vehicle)
    }

    /// Switches a capability off (with the interventions to report: the given catalogue ids, or when nil the
    /// catalogue's interventions for that capability of the device's vendor) or back on.
    public mutating func setCapability(
        _ name: String, deviceId: String, clientId: String, isCapable: Bool, interventionIds: [String]?
    ) throws(Problem) {
        guard let index = owned(deviceId, clientId) else { throw Self.deviceNotFound(deviceId) }
        let device = devices[index]
        let known = CapabilityNames.of(device.type)
        guard known.contains(name) else {
            throw .badRequest("\"capability\" must be one of [\(known.joined(separator: ", "))]; got \"\(name)\"")
        }
        guard !isCapable else {
            devices[index].disabledCapabilities[name] = nil
            return
        }
        var ids = interventionIds ?? InterventionCatalogue.interventionIds(vendor: device.vendor, type: device.type, capability: name)
        for (position, id) in ids.enumerated() {
            guard let intervention = InterventionCatalogue.intervention(id: id), intervention.matches(vendor: device.vendor, type: device.type) else {
                throw .badRequest("\"interventionIds[\(position)]\" names no intervention of \(device.vendor) \(device.type.rawValue)s (see GET /interventions)")
            }
            ids[position] = intervention.id
        }
        devices[index].disabledCapabilities[name] = CapabilityOverride(interventionIds: ids.removingDuplicates())
    }

    /// Applies a patch after validating every field; nothing changes when any field is invalid.
    public mutating func update(_ deviceId: String, clientId: String, patch: DevicePatch) throws(Problem) {
        guard let index = owned(deviceId, clientId) else { throw Self.deviceNotFound(deviceId) }
        var device = devices[index]
        var site = site(device.siteId)
        try PatchApplier.apply(patch, to: &device, site: &site)
        devices[index] = device
        if site != self.site(device.siteId) { settings.sites[device.siteId] = site }
    }

    func owned(_ id: String, _ clientId: String) -> Int? {
        guard let index = deviceIndex[id], devices[index].clientId == clientId else { return nil }
        return index
    }

    /// Breaks any cable connection of the device, on both ends.
    mutating func disconnect(_ deviceId: String) {
        guard let index = deviceIndex[deviceId] else { return }
        switch devices[index].state {
        case .vehicle(var vehicle):
            if let chargerId = vehicle.pluggedChargerId, let chargerIndex = deviceIndex[chargerId], case .charger(var charger) = devices[chargerIndex].state {
                charger.isPluggedIn = false
                charger.pluggedVehicleId = nil
                charger.chargeRateKW = 0
                devices[chargerIndex].state = .charger(charger)
            }
            vehicle.isPluggedIn = false
            vehicle.pluggedChargerId = nil
            vehicle.chargeRateKW = 0
            vehicle.noPower = false
            devices[index].state = .vehicle(vehicle)
        case .charger(var charger):
            if let vehicleId = charger.pluggedVehicleId, let vehicleIndex = deviceIndex[vehicleId], case .vehicle(var vehicle) = devices[vehicleIndex].state {
                vehicle.isPluggedIn = false
                vehicle.pluggedChargerId = nil
                vehicle.chargeRateKW = 0
                vehicle.noPower = false
                devices[vehicleIndex].state = .vehicle(vehicle)
            }
            charger.isPluggedIn = false
            charger.pluggedVehicleId = nil
            charger.chargeRateKW = 0
            devices[index].state = .charger(charger)
        default: break
        }
    }
}

/// Validates and applies a ``DevicePatch`` to one device and its site.
enum PatchApplier {
    static func apply(_ patch: DevicePatch, to device: inout SimDevice, site: inout SiteConditions) throws(Problem) {
        func range(_ value: Double?, _ field: String, _ bounds: ClosedRange<Double>) throws(Problem) {
            if let value, !bounds.contains(value) {
                throw .badRequest("\"\(field)\" must be between \(bounds.lowerBound) and \(bounds.upperBound)")
            }
        }
        func notFor(_ field: String) -> Problem { .badRequest("\"\(field)\" does not apply to a \(device.type.rawValue)") }
        try range(patch.batteryLevel, "batteryLevel", 0...100)
        try range(patch.chargeLimit, "chargeLimit", 0...100)
        try range(patch.latitude, "latitude", -90...90)
        try range(patch.longitude, "longitude", -180...180)
        try range(patch.maxCurrent, "maxCurrent", 0...80)
        try range(patch.currentTemperature, "currentTemperature", -30...50)
        try range(patch.heatSetpoint, "heatSetpoint", 5...35)
        try range(patch.coolSetpoint, "coolSetpoint", 5...35)
        try range(patch.cloudiness, "cloudiness", 0...1)
        try range(patch.householdLoadKW, "householdLoadKW", 0...100)
        try range(patch.outdoorTemperature, "outdoorTemperature", -50...60)
        if let name = patch.name {
            guard !name.isEmpty, name.count <= 200 else { throw .badRequest("\"name\" must be 1 to 200 characters") }
            device.name = name
        }
        if let reachable = patch.isReachable { device.isReachable = reachable }
        switch device.state {
        case .vehicle(var vehicle):
            for (field, value) in [("currentTemperature", patch.currentTemperature), ("heatSetpoint", patch.heatSetpoint), ("coolSetpoint", patch.coolSetpoint)] where value != nil { throw notFor(field) }
            if patch.mode != nil { throw notFor("mode") }
            if patch.operationMode != nil { throw notFor("operationMode") }
            if patch.chargeLimit != nil, !VendorTraitsCatalogue.traits(vendor: device.vendor, type: .vehicle).reportsChargeLimit {
                throw .badRequest("\"chargeLimit\" does not apply: \(device.vendor) vehicles do not report a charge limit")
            }
            vehicle.batteryLevel = patch.batteryLevel ?? vehicle.batteryLevel
            vehicle.chargeLimit = patch.chargeLimit ?? vehicle.chargeLimit
            vehicle.latitude = patch.latitude ?? vehicle.latitude
            vehicle.longitude = patch.longitude ?? vehicle.longitude
            vehicle.chargingEnabled = patch.chargingEnabled ?? vehicle.chargingEnabled
            vehicle.autoStart = patch.autoStart ?? vehicle.autoStart
            if let maxCurrent = patch.maxCurrent { vehicle.maxCurrent = maxCurrent }
            device.state = .vehicle(vehicle)
        case .charger(var charger):
            for (field, value) in [("batteryLevel", patch.batteryLevel), ("chargeLimit", patch.chargeLimit), ("currentTemperature", patch.currentTemperature)] where value != nil { throw notFor(field) }
            if patch.mode != nil || patch.operationMode != nil { throw notFor(patch.mode != nil ? "mode" : "operationMode") }
            charger.chargingEnabled = patch.chargingEnabled ?? charger.chargingEnabled
            charger.autoStart = patch.autoStart ?? charger.autoStart
            if let maxCurrent = patch.maxCurrent { charger.maxCurrent = min(maxCurrent, charger.ratedCurrent) }
            device.state = .charger(charger)
        case .hvac(var hvac):
            for (field, value) in [("batteryLevel", patch.batteryLevel), ("chargeLimit", patch.chargeLimit), ("maxCurrent", patch.maxCurrent)] where value != nil { throw notFor(field) }
            if patch.chargingEnabled != nil { throw notFor("chargingEnabled") }
            if patch.autoStart != nil { throw notFor("autoStart") }
            if patch.operationMode != nil { throw notFor("operationMode") }
            if let mode = patch.mode {
                guard hvac.capableModes.contains(mode) else {
                    throw .badRequest("\"mode\" must be one of [\(hvac.capableModes.joined(separator: ", "))]; got \"\(mode)\"")
                }
                hvac.mode = mode
            }
            hvac.currentTemperature = patch.currentTemperature ?? hvac.currentTemperature
            hvac.heatSetpoint = patch.heatSetpoint ?? hvac.heatSetpoint
            hvac.coolSetpoint = patch.coolSetpoint ?? hvac.coolSetpoint
            device.state = .hvac(hvac)
        case .battery(var battery):
            for (field, value) in [("chargeLimit", patch.chargeLimit), ("maxCurrent", patch.maxCurrent), ("currentTemperature", patch.currentTemperature)] where value != nil { throw notFor(field) }
            if patch.mode != nil { throw notFor("mode") }
            if patch.autoStart != nil { throw notFor("autoStart") }
            if let mode = patch.operationMode {
                guard ["IMPORT_FOCUS", "EXPORT_FOCUS", "TIME_OF_USE", "SELF_RELIANCE"].contains(mode) else {
                    throw .badRequest("\"operationMode\" must be one of [IMPORT_FOCUS, EXPORT_FOCUS, TIME_OF_USE, SELF_RELIANCE]; got \"\(mode)\"")
                }
                battery.operationMode = mode
            }
            battery.batteryLevel = patch.batteryLevel ?? battery.batteryLevel
            device.state = .battery(battery)
        case .inverter, .meter:
            for (field, value) in [("batteryLevel", patch.batteryLevel), ("chargeLimit", patch.chargeLimit), ("maxCurrent", patch.maxCurrent), ("currentTemperature", patch.currentTemperature)] where value != nil { throw notFor(field) }
            if patch.autoStart != nil { throw notFor("autoStart") }
            if patch.mode != nil || patch.operationMode != nil { throw notFor(patch.mode != nil ? "mode" : "operationMode") }
        }
        if let latitude = patch.latitude, device.type != .vehicle { site.latitude = latitude }
        if let longitude = patch.longitude, device.type != .vehicle { site.longitude = longitude }
        site.cloudiness = patch.cloudiness ?? site.cloudiness
        if let load = patch.householdLoadKW { site.householdLoadKW = load }
        if let outdoor = patch.outdoorTemperature { site.outdoorTemperature = outdoor }
    }
}
