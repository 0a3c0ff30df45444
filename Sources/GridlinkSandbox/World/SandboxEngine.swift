import Foundation
import GridlinkCore

/// The simulated world: accounts, devices, sites, faults and the physics that advance them, deterministically.
///
/// A value type with no I/O and no clock of its own: callers advance it to a time.
public struct SandboxEngine: Sendable {
    /// Length of one physics step, seconds.
    public static let tickSeconds = 1.0

    /// Time, randomness, sites, timers and faults.
    public internal(set) var settings: WorldSettings
    /// Sets whether commands take effect instantly or after vendor latency.
    public mutating func setTiming(_ timing: TimingProfile) { settings.timing = timing }

    /// Virtual accounts in creation order.
    public internal(set) var accounts: [VirtualAccount] = []
    /// Devices in creation order (the order physics visits them).
    public internal(set) var devices: [SimDevice] = []
    var deviceIndex: [String: Int] = [:]

    /// A fresh, empty world.
    public init(settings: WorldSettings) {
        self.settings = settings
    }

    /// Restores a world from its persisted parts.
    public init(settings: WorldSettings, accounts: [VirtualAccount], devices: [SimDevice]) {
        self.settings = settings
        self.accounts = accounts
        self.devices = devices
        reindex()
    }

    mutating func reindex() {
        deviceIndex = Dictionary(uniqueKeysWithValues: devices.enumerated().map { ($1.id, $0) })
    }

    /// A new id from the world's generator that no account, device, fault or site of any client has yet (drawing again
    /// while it is taken, so an id never names two entities whatever the generator's history).
    mutating func unusedId() -> String {
        while true {
            let id = settings.makeId()
            let taken = deviceIndex[id] != nil || settings.sites[id] != nil || accounts.contains { $0.id == id || $0.siteId == id }
                || devices.contains { $0.siteId == id } || settings.faults.contains { $0.id == id }
            if !taken { return id }
        }
    }

    /// The world's current simulation time.
    public var time: Date { settings.time }

    /// Conditions at a site.
    public func site(_ id: String) -> SiteConditions { settings.sites[id] ?? .standard }

    /// The device with `id`, if any.
    public func device(_ id: String) -> SimDevice? { deviceIndex[id].map { devices[$0] } }

    /// The account with `id`, if any.
    public func account(_ id: String) -> VirtualAccount? { accounts.first { $0.id == id } }

    // MARK: Time

    /// Advances to `target`, interleaving physics steps of at most one second with due command effects, in order.
    public mutating func advance(to target: Date) {
        while settings.time < target {
            var next = min(settings.time.addingTimeInterval(Self.tickSeconds), target)
            if let due = settings.timers.first?.dueAt, due > settings.time, due < next { next = due }
            step(seconds: next.timeIntervalSince(settings.time), at: settings.time)
            settings.time = next
            fireDueTimers()
        }
        fireDueTimers()
    }

    private mutating func fireDueTimers() {
        while let first = settings.timers.first, first.dueAt <= settings.time {
            settings.timers.removeFirst()
            apply(first.command, to: first.deviceId)
        }
    }

    /// Net power flows of one site during one step, kW.
    private struct SiteFlow {
        var solar = 0.0
        var vehicles = 0.0
        var hvac = 0.0
        var battery = 0.0
    }

    /// Environmental values of one site during one step.
    private struct SiteMoment {
        let conditions: SiteConditions
        let solarHour: Double
        let outdoor: Double
        let household: Double
    }

    private mutating func step(seconds: Double, at time: Date) {
        guard seconds > 0 else { return }
        var moments: [String: SiteMoment] = [:]
        var flows: [String: SiteFlow] = [:]
        func moment(_ siteId: String) -> SiteMoment {
            if let cached = moments[siteId] { return cached }
            let conditions = site(siteId)
            let value = SiteMoment(
                conditions: conditions,
                solarHour: Environment.solarHour(time, longitude: conditions.longitude),
                outdoor: Environment.outdoorTemperature(at: time, site: conditions),
                household: Environment.householdLoad(at: time, site: conditions))
            moments[siteId] = value
            return value
        }

        // Producers and independent consumers first, then the chargers and cars, then storage, then meters.
        for index in devices.indices {
            switch devices[index].state {
            case .inverter(var inverter):
                inverter.productionKW = Environment.solarPower(ratedKW: inverter.ratedKW, at: time, site: moment(devices[index].siteId).conditions)
                inverter.lifetimeKWh += inverter.productionKW * seconds / 3600
                flows[devices[index].siteId, default: SiteFlow()].solar += inverter.productionKW
                devices[index].state = .inverter(inverter)
            case .hvac(var hvac):
                let here = moment(devices[index].siteId)
                let power = HvacPhysics.step(&hvac, outdoor: here.outdoor, solarHour: here.solarHour, seconds: seconds)
                hvac.consumedKWh = (hvac.consumedKWh ?? 0) + power * seconds / 3600
                flows[devices[index].siteId, default: SiteFlow()].hvac += power
                devices[index].state = .hvac(hvac)
            case .charger(var charger):
                charger.chargeRateKW = 0
                if charger.isPluggedIn, charger.pluggedVehicleId == nil, charger.chargingEnabled {
                    charger.chargeRateKW = charger.powerLimitKW
                    charger.lifetimeKWh += charger.chargeRateKW * seconds / 3600
                    flows[devices[index].siteId, default: SiteFlow()].vehicles += charger.chargeRateKW
                }
                devices[index].state = .charger(charger)
            default: break
            }
        }
        for index in devices.indices {
            guard case .vehicle(var vehicle) = devices[index].state else { continue }
            VehiclePhysics.drive(&vehicle, seconds: seconds)
            var siteId = devices[index].siteId
            var chargerIndex: Int?
            var plugLimit = vehicle.maxACKW
            var phases = 3
            var chargerEnabled = true
            if vehicle.isPluggedIn, let chargerId = vehicle.pluggedChargerId, let found = deviceIndex[chargerId],
               case .charger(let charger) = devices[found].state {
                chargerIndex = found
                plugLimit = charger.powerLimitKW
                phases = charger.phases
                chargerEnabled = charger.chargingEnabled
                siteId = devices[found].siteId
            }
            let wantsCharge = vehicle.isPluggedIn && vehicle.chargingEnabled && chargerEnabled
            let available = VehiclePhysics.availablePower(vehicle, plugLimitKW: plugLimit, phases: phases)
            vehicle.noPower = wantsCharge && available <= 0 && vehicle.batteryLevel < vehicle.chargeLimit
            let average = wantsCharge ? VehiclePhysics.charge(&vehicle, availableKW: available, seconds: seconds) : 0
            if !wantsCharge { vehicle.chargeRateKW = 0 }
            vehicle.chargedKWh = (vehicle.chargedKWh ?? 0) + average * seconds / 3600
            flows[siteId, default: SiteFlow()].vehicles += average
            if let chargerIndex, case .charger(var charger) = devices[chargerIndex].state {
                charger.chargeRateKW = vehicle.chargeRateKW
                charger.lifetimeKWh += average * seconds / 3600
                devices[chargerIndex].state = .charger(charger)
            }
            devices[index].state = .vehicle(vehicle)
        }
        for index in devices.indices {
            guard case .battery(var battery) = devices[index].state else { continue }
            let siteId = devices[index].siteId
            let here = moment(siteId)
            let flow = flows[siteId] ?? SiteFlow()
            let surplus = flow.solar - here.household - flow.vehicles - flow.hvac - flow.battery
            let requested = BatteryPhysics.requestedPower(battery, surplusKW: surplus, solarHour: here.solarHour)
            flows[siteId, default: SiteFlow()].battery += BatteryPhysics.apply(&battery, requestedKW: requested, seconds: seconds)
            devices[index].state = .battery(battery)
        }
        for index in devices.indices {
            guard case .meter(var meter) = devices[index].state else { continue }
            let siteId = devices[index].siteId
            let flow = flows[siteId] ?? SiteFlow()
            meter.powerKW = moment(siteId).household + flow.vehicles + flow.hvac + flow.battery - flow.solar
            let energy = abs(meter.powerKW) * seconds / 3600
            if meter.powerKW >= 0 { meter.importedKWh += energy } else { meter.exportedKWh += energy }
            devices[index].state = .meter(meter)
        }
    }
}
