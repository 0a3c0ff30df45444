import Foundation
import GridlinkCore

/// A device to create: its type and, optionally, the catalogue model and a display name.
public struct DeviceSpec: Sendable, Codable, Equatable {
    /// Asset type.
    public var type: VendorType
    /// Catalogue model name; the vendor's first model of the type when absent.
    public var model: String?
    /// Display name; the model name when absent.
    public var name: String?
    /// Whether plugging in starts charging (vehicles and chargers; true when absent).
    public var autoStart: Bool?

    /// Creates a device spec.
    public init(type: VendorType, model: String? = nil, name: String? = nil, autoStart: Bool? = nil) {
        self.type = type
        self.model = model
        self.name = name
        self.autoStart = autoStart
    }
}

extension SandboxEngine {
    /// Creates a virtual account with devices. Username and password are generated when absent. `limits` bound what the
    /// client may hold (nil: unbounded, for worlds built in code such as the benchmark's).
    public mutating func createAccount(
        clientId: String, vendor: String, username: String?, password: String?, siteId: String?, devices specs: [DeviceSpec],
        limits: SandboxLimits? = SandboxLimits()
    ) throws(Problem) -> VirtualAccount {
        guard VendorCatalogue.all.contains(vendor) else {
            throw .badRequest("\"vendor\" must be a known vendor name such as TESLA or EASEE; got \"\(vendor)\"")
        }
        let login = username ?? "\(vendor.lowercased())-\(settings.makeId().prefix(8))@sandbox.gridlink"
        guard !login.isEmpty else { throw .badRequest("\"username\" must not be empty") }
        if accounts.contains(where: { $0.clientId == clientId && $0.vendor == vendor && $0.username == login }) {
            throw Self.usernameTaken(vendor: vendor, username: login)
        }
        for (index, spec) in specs.enumerated() { try validate(spec, vendor: vendor, field: "devices[\(index)]") }
        if let limits { try checkNewAccount(clientId: clientId, newDevices: specs.count, limits: limits) }
        let id = unusedId()
        let account = VirtualAccount(
            id: id, ordinal: settings.nextOrdinal(), clientId: clientId, vendor: vendor, username: login,
            password: password ?? String(settings.makeId().replacingOccurrences(of: "-", with: "").prefix(12)),
            siteId: siteId ?? id, credentialsValid: true, createdAt: settings.time)
        accounts.append(account)
        for spec in specs { _ = appendDevice(to: account, spec: spec) }
        return account
    }

    /// The 409 for a second account of a client with the same vendor and username.
    static func usernameTaken(vendor: String, username: String) -> Problem {
        .conflict("A \(vendor) account with username \(username) already exists")
    }

    /// Deletes an account and its devices.
    public mutating func deleteAccount(_ id: String, clientId: String) throws(Problem) {
        guard let account = account(id), account.clientId == clientId else { throw Self.accountNotFound(id) }
        for device in devices where device.accountId == id { try removeDevice(device.id, clientId: clientId) }
        accounts.removeAll { $0.id == id }
    }

    /// Adds a device to an account, within `limits`.
    public mutating func addDevice(accountId: String, clientId: String, spec: DeviceSpec, limits: SandboxLimits) throws(Problem) -> SimDevice {
        guard let account = account(accountId), account.clientId == clientId else { throw Self.accountNotFound(accountId) }
        try validate(spec, vendor: account.vendor, field: "type")
        try checkNewDevice(accountId: accountId, clientId: clientId, limits: limits)
        return appendDevice(to: account, spec: spec)
    }

    /// Creates a validated device in an account.
    private mutating func appendDevice(to account: VirtualAccount, spec: DeviceSpec) -> SimDevice {
        let site = site(account.siteId)
        let (model, year, state) = initialState(vendor: account.vendor, spec: spec, site: site)
        let device = SimDevice(
            id: unusedId(), ordinal: settings.nextOrdinal(), clientId: account.clientId, accountId: account.id, vendor: account.vendor, type: spec.type,
            model: model, year: year, name: spec.name ?? model, siteId: account.siteId, isReachable: true,
            disabledCapabilities: [:], state: state, createdAt: settings.time)
        devices.append(device)
        deviceIndex[device.id] = devices.count - 1
        return device
    }

    /// Removes a device, unplugging whatever it was connected to and dropping its pending effects.
    public mutating func removeDevice(_ id: String, clientId: String) throws(Problem) {
        guard let device = device(id), device.clientId == clientId else { throw Self.deviceNotFound(id) }
        disconnect(id)
        settings.timers.removeAll { $0.deviceId == id }
        devices.removeAll { $0.id == id }
        reindex()
        _ = device
    }

    /// Removes every account, device and fault of a client.
    public mutating func reset(clientId: String) {
        for device in devices where device.clientId == clientId { disconnect(device.id) }
        let removed = Set(devices.filter { $0.clientId == clientId }.map(\.id))
        settings.timers.removeAll { removed.contains($0.deviceId) }
        settings.faults.removeAll { $0.clientId == clientId }
        devices.removeAll { $0.clientId == clientId }
        accounts.removeAll { $0.clientId == clientId }
        reindex()
    }

    private func validate(_ spec: DeviceSpec, vendor: String, field: String) throws(Problem) {
        guard VendorCatalogue.vendors(of: spec.type).contains(vendor) else {
            throw .badRequest("\"\(field)\": \(vendor) has no \(spec.type.rawValue) devices")
        }
        if let model = spec.model, !ModelLookup.models(vendor: vendor, type: spec.type).contains(model) {
            let known = ModelLookup.models(vendor: vendor, type: spec.type).joined(separator: ", ")
            throw .badRequest("\"model\" must be one of [\(known)] for \(vendor) \(spec.type.rawValue); got \"\(model)\"")
        }
        if spec.autoStart != nil, spec.type != .vehicle, spec.type != .charger {
            throw .badRequest("\"autoStart\" applies to vehicles and chargers only")
        }
    }

    private mutating func initialState(vendor: String, spec: DeviceSpec, site: SiteConditions) -> (String, Int, DeviceState) {
        func pick<Model>(_ models: [Model], name: (Model) -> String) -> Model {
            models.first { spec.model == nil || name($0) == spec.model }!
        }
        switch spec.type {
        case .vehicle:
            let model = pick(ModelCatalogue.vehicles.filter { $0.vendor == vendor }, name: \.model)
            let level = (40 + settings.random.unit() * 40).rounded()
            return (model.model, model.year, .vehicle(VehicleState(
                capacityKWh: model.capacityKWh, maxACKW: model.maxACKW, kmPerKWh: model.kmPerKWh, batteryLevel: level,
                chargeLimit: VendorTraitsCatalogue.traits(vendor: vendor, type: .vehicle).reportsChargeLimit ? 80 : 100, isPluggedIn: false, pluggedChargerId: nil, chargingEnabled: true, maxCurrent: nil,
                chargeRateKW: 0, noPower: false, latitude: site.latitude, longitude: site.longitude,
                odometerKm: (5000 + settings.random.unit() * 40000).rounded(), trip: nil, autoStart: spec.autoStart)))
        case .charger:
            let model = pick(ModelCatalogue.chargers.filter { $0.vendor == vendor }, name: \.model)
            return (model.model, model.year, .charger(ChargerState(
                maxCurrent: model.maxCurrent, ratedCurrent: model.maxCurrent, phases: model.phases, isPluggedIn: false,
                pluggedVehicleId: nil, chargingEnabled: true, chargeRateKW: 0, lifetimeKWh: 0, autoStart: spec.autoStart)))
        case .hvac:
            let model = pick(ModelCatalogue.hvacs.filter { $0.vendor == vendor }, name: \.model)
            let mode = model.modes.contains("HEAT") ? "HEAT" : model.modes.first { $0 != "OFF" } ?? "OFF"
            return (model.model, model.year, .hvac(HvacState(
                mode: mode, heatSetpoint: 21, coolSetpoint: 24, holdType: "PERMANENT", currentTemperature: 20,
                isActive: false, isHeating: true, powerKW: model.powerKW, capableModes: model.modes)))
        case .inverter:
            let model = pick(ModelCatalogue.inverters.filter { $0.vendor == vendor }, name: \.model)
            return (model.model, model.year, .inverter(InverterState(ratedKW: model.ratedKW, productionKW: 0, lifetimeKWh: 0)))
        case .battery:
            let model = pick(ModelCatalogue.batteries.filter { $0.vendor == vendor }, name: \.model)
            return (model.model, model.year, .battery(BatteryState(
                capacityKWh: model.capacityKWh, maxPowerKW: model.maxPowerKW, batteryLevel: 50, dischargeLimit: 10,
                operationMode: "SELF_RELIANCE", chargeRateKW: 0)))
        case .meter:
            let model = pick(ModelCatalogue.meters.filter { $0.vendor == vendor }, name: \.model)
            return (model.model, model.year, .meter(MeterState(powerKW: 0, importedKWh: 0, exportedKWh: 0)))
        }
    }

    /// The 404 for an unknown or foreign account.
    public static func accountNotFound(_ id: String) -> Problem { .notFound("Virtual account \(id) not found", title: "Entity Not Found") }
    /// The 404 for an unknown or foreign device.
    public static func deviceNotFound(_ id: String) -> Problem { .notFound("Sandbox device \(id) not found", title: "Entity Not Found") }
}

/// Model names per vendor and type.
public enum ModelLookup {
    /// The catalogue model names of `vendor` for `type`.
    public static func models(vendor: String, type: VendorType) -> [String] {
        switch type {
        case .vehicle: ModelCatalogue.vehicles.filter { $0.vendor == vendor }.map(\.model)
        case .charger: ModelCatalogue.chargers.filter { $0.vendor == vendor }.map(\.model)
        case .hvac: ModelCatalogue.hvacs.filter { $0.vendor == vendor }.map(\.model)
        case .inverter: ModelCatalogue.inverters.filter { $0.vendor == vendor }.map(\.model)
        case .battery: ModelCatalogue.batteries.filter { $0.vendor == vendor }.map(\.model)
        case .meter: ModelCatalogue.meters.filter { $0.vendor == vendor }.map(\.model)
        }
    }
}
