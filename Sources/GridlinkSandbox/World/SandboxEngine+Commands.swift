import Foundation
import GridlinkCore

extension SandboxEngine {
    /// Sends a command as the vendor's cloud would receive it: capability and fault checks, then the effect after
    /// the vendor's latency (instant under the ideal profile).
    public mutating func send(_ command: DeviceCommand, to deviceId: String, clientId: String) throws(Problem) -> CommandOutcome {
        guard let index = owned(deviceId, clientId) else { throw Self.deviceNotFound(deviceId) }
        let device = devices[index]
        guard Self.applies(command, to: device.type) else {
            return .failed(.unsupported, "\(command.name) does not apply to a \(device.type.rawValue)")
        }
        guard isCapable(device, command.capability) else {
            return .failed(.notCapable, "\(device.vendor) \(device.type.rawValue) is not capable of \(command.capability)")
        }
        guard account(device.accountId)?.credentialsValid ?? false else {
            return .failed(.credentialsInvalid, "The \(device.vendor) credentials are no longer valid")
        }
        var extraDelay = 0.0
        for faultIndex in settings.faults.indices {
            let fault = settings.faults[faultIndex]
            guard fault.isActive, fault.clientId == clientId, fault.scope.matches(device, command: command) else { continue }
            if let remaining = fault.remaining {
                settings.faults[faultIndex].remaining = remaining - 1
            } else if settings.random.unit() >= (fault.probability ?? 1) {
                continue
            }
            switch fault.kind {
            case .ignoreCommands: return .accepted(effectiveAt: nil)
            case .respondLate: extraDelay += fault.delaySeconds
            case .vendorError: return .failed(.vendorError, "\(device.vendor) returned an error")
            case .rateLimit: return .failed(.rateLimited, "\(device.vendor) rate-limited the request")
            case .outage: return .failed(.outage, "\(device.vendor) is unavailable")
            case .unreachable, .asleep: return .failed(.unreachable, "The device does not respond")
            case .invalidateCredentials:
                invalidateCredentials(accountId: device.accountId)
                return .failed(.credentialsInvalid, "The \(device.vendor) credentials are no longer valid")
            }
        }
        guard isReachable(device) else { return .failed(.unreachable, "The device does not respond") }
        let traits = VendorTraitsCatalogue.traits(vendor: device.vendor, type: device.type)
        var delay = extraDelay
        if settings.timing == .realistic {
            delay += max(0, traits.latency.mean + (2 * settings.random.unit() - 1) * traits.latency.spread)
        }
        if delay <= 0 {
            apply(command, to: deviceId)
            return .accepted(effectiveAt: settings.time)
        }
        let effect = PendingEffect(dueAt: settings.time.addingTimeInterval(delay), sequence: settings.sequence, deviceId: deviceId, command: command)
        settings.sequence += 1
        let position = settings.timers.firstIndex { ($0.dueAt, $0.sequence) > (effect.dueAt, effect.sequence) } ?? settings.timers.count
        settings.timers.insert(effect, at: position)
        return .accepted(effectiveAt: effect.dueAt)
    }

    /// Adds a fault rule for a client.
    public mutating func addFault(
        clientId: String, scope: FaultScope, kind: FaultKind, count: Int?, probability: Double?, delaySeconds: Double?
    ) throws(Problem) -> FaultRule {
        if count != nil && probability != nil { throw .badRequest("\"count\" and \"probability\" cannot be used together") }
        try Self.checkFaultNumbers(count: count, countField: "count", minimumCount: 1, probability: probability, delaySeconds: delaySeconds, prefix: "")
        if let vendor = scope.vendor, !VendorCatalogue.all.contains(vendor) { throw .badRequest("\"scope.vendor\" is not a known vendor") }
        if let accountId = scope.accountId, account(accountId)?.clientId != clientId { throw .badRequest("\"scope.accountId\" names no account of this client") }
        if let deviceId = scope.deviceId, owned(deviceId, clientId) == nil { throw .badRequest("\"scope.deviceId\" names no device of this client") }
        // An outage without count or probability lasts until it is removed; other faults default to one command.
        let lastsUntilRemoved = probability != nil || (kind == .outage && count == nil)
        let rule = FaultRule(
            id: unusedId(), clientId: clientId, scope: scope, kind: kind,
            remaining: lastsUntilRemoved ? nil : (count ?? 1), probability: probability, delaySeconds: delaySeconds ?? 300)
        settings.faults.append(rule)
        if kind == .invalidateCredentials, count == nil, probability == nil {
            for account in accounts where account.clientId == clientId && matchesAccount(scope, account) {
                invalidateCredentials(accountId: account.id)
            }
        }
        return rule
    }

    /// Refuses (400) a fault's numbers out of bounds: the count (`countField`, `minimumCount`…1,000,000), `probability`
    /// 0…1 and `delaySeconds` 0…86,400; `prefix` leads each field name in the message.
    static func checkFaultNumbers(
        count: Int?, countField: String, minimumCount: Int, probability: Double?, delaySeconds: Double?, prefix: String
    ) throws(Problem) {
        if let count, count < minimumCount || count > 1_000_000 {
            throw .badRequest("\"\(prefix)\(countField)\" must be between \(minimumCount) and 1000000")
        }
        if let probability, !(0...1).contains(probability) { throw .badRequest("\"\(prefix)probability\" must be between 0 and 1") }
        if let delaySeconds, !(0...86_400).contains(delaySeconds) { throw .badRequest("\"\(prefix)delaySeconds\" must be between 0 and 86400") }
    }

    /// Removes a fault rule.
    public mutating func removeFault(_ id: String, clientId: String) throws(Problem) {
        guard settings.faults.contains(where: { $0.id == id && $0.clientId == clientId }) else {
            throw .notFound("Fault \(id) not found", title: "Entity Not Found")
        }
        settings.faults.removeAll { $0.id == id }
    }

    /// Marks an account's credentials valid again (a re-link).
    public mutating func restoreCredentials(accountId: String) {
        guard let index = accounts.firstIndex(where: { $0.id == accountId }) else { return }
        accounts[index].credentialsValid = true
    }

    /// Whether an active outage fault covers the vendor for the client.
    public func isVendorDown(_ vendor: String, clientId: String) -> Bool {
        vendorStatus(vendor, clientId: clientId) == .outage
    }

    /// The vendor's health for a client: `OUTAGE` under an active vendor-wide outage fault, `ELEVATED_ERROR_RATE`
    /// under an active vendor-wide `vendorError` or `rateLimit` fault, else `READY`.
    public func vendorStatus(_ vendor: String, clientId: String) -> VendorHealthStatus {
        let vendorWide = settings.faults.filter {
            $0.isActive && $0.clientId == clientId && ($0.scope.vendor == nil || $0.scope.vendor == vendor)
                && $0.scope.deviceId == nil && $0.scope.accountId == nil
        }
        if vendorWide.contains(where: { $0.kind == .outage }) { return .outage }
        if vendorWide.contains(where: { $0.kind == .vendorError || $0.kind == .rateLimit }) { return .elevatedErrorRate }
        return .ready
    }

    /// Whether a device currently answers: its own flag, and no active fault making it unreachable.
    public func isReachable(_ device: SimDevice) -> Bool {
        device.isReachable && !settings.faults.contains { $0.isActive && $0.makesUnreachable && $0.clientId == device.clientId && $0.scope.matches(device, command: nil) }
    }

    /// Whether a device has a capability: the vendor offers it and the integrator has not switched it off.
    public func isCapable(_ device: SimDevice, _ capability: String) -> Bool {
        guard device.disabledCapabilities[capability] == nil else { return false }
        let missing = VendorTraitsCatalogue.traits(vendor: device.vendor, type: device.type).missingCapabilities
        return !missing.contains(capability)
    }

    private func matchesAccount(_ scope: FaultScope, _ account: VirtualAccount) -> Bool {
        (scope.vendor == nil || scope.vendor == account.vendor) && (scope.accountId == nil || scope.accountId == account.id)
            && scope.deviceId == nil
    }

    private mutating func invalidateCredentials(accountId: String) {
        guard let index = accounts.firstIndex(where: { $0.id == accountId }) else { return }
        accounts[index].credentialsValid = false
    }

    private static func applies(_ command: DeviceCommand, to type: VendorType) -> Bool {
        switch command {
        case .startCharging, .stopCharging, .setMaxCurrent: type == .vehicle || type == .charger
        case .setOperationMode: type == .battery
        case .setPermanentHold, .followSchedule: type == .hvac
        }
    }

    /// Applies a command's effect to the device's state.
    mutating func apply(_ command: DeviceCommand, to deviceId: String) {
        guard let index = deviceIndex[deviceId] else { return }
        switch (devices[index].state, command) {
        case (.vehicle(var vehicle), .startCharging), (.vehicle(var vehicle), .stopCharging):
            vehicle.chargingEnabled = command == .startCharging
            devices[index].state = .vehicle(vehicle)
        case (.vehicle(var vehicle), .setMaxCurrent(let current)):
            vehicle.maxCurrent = current
            devices[index].state = .vehicle(vehicle)
        case (.charger(var charger), .startCharging), (.charger(var charger), .stopCharging):
            charger.chargingEnabled = command == .startCharging
            devices[index].state = .charger(charger)
        case (.charger(var charger), .setMaxCurrent(let current)):
            charger.maxCurrent = min(current, charger.ratedCurrent)
            devices[index].state = .charger(charger)
        case (.battery(var battery), .setOperationMode(let mode)):
            battery.operationMode = mode
            devices[index].state = .battery(battery)
        case (.hvac(var hvac), .setPermanentHold(let mode, let heat, let cool)):
            hvac.mode = mode
            hvac.heatSetpoint = heat ?? hvac.heatSetpoint
            hvac.coolSetpoint = cool ?? hvac.coolSetpoint
            hvac.holdType = "PERMANENT"
            devices[index].state = .hvac(hvac)
        case (.hvac(var hvac), .followSchedule):
            hvac.holdType = "SCHEDULED"
            devices[index].state = .hvac(hvac)
        default: break
        }
    }
}
