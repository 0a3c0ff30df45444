import Foundation
import GridlinkCore
import GridlinkSandbox

/// JSON renderings of sandbox entities for the control API.
enum SandboxViews {
    static func account(_ account: VirtualAccount, in engine: SandboxEngine) -> JSONValue {
        [
            "id": .string(account.id), "vendor": .string(account.vendor), "username": .string(account.username),
            "password": .string(account.password), "siteId": .string(account.siteId),
            "credentialsValid": .bool(account.credentialsValid), "createdAt": .string(JSONCoding.timestamp(account.createdAt)),
            "deviceIds": .array(engine.devices.filter { $0.accountId == account.id }.map { .string($0.id) }),
        ]
    }

    static func fault(_ fault: FaultRule) -> JSONValue {
        var scope: [String: JSONValue] = [:]
        if let vendor = fault.scope.vendor { scope["vendor"] = .string(vendor) }
        if let accountId = fault.scope.accountId { scope["accountId"] = .string(accountId) }
        if let deviceId = fault.scope.deviceId { scope["deviceId"] = .string(deviceId) }
        if let command = fault.scope.command { scope["command"] = .string(command) }
        return [
            "id": .string(fault.id), "kind": .string(fault.kind.rawValue), "scope": .object(scope),
            "remaining": fault.remaining.map { .number(Double($0)) } ?? .null,
            "probability": fault.probability.map { .number($0) } ?? .null,
            "delaySeconds": .number(fault.delaySeconds), "isActive": .bool(fault.isActive),
        ]
    }

    static func clock(_ setting: SimulationClock.Setting, engine: SandboxEngine) -> JSONValue {
        [
            "time": .string(JSONCoding.timestamp(setting.simulationTime)), "speed": .number(setting.speed),
            "isPaused": .bool(setting.isPaused), "timing": .string(engine.settings.timing.rawValue),
            "seed": .string(String(engine.settings.seed)),
        ]
    }

    static func outcome(_ outcome: CommandOutcome) -> JSONValue {
        switch outcome {
        case .accepted(let effectiveAt):
            ["result": "ACCEPTED", "effectiveAt": effectiveAt.map { .string(JSONCoding.timestamp($0)) } ?? .null, "failure": .null]
        case .failed(let kind, let detail):
            ["result": "FAILED", "effectiveAt": .null, "failure": ["type": .string(kind.rawValue), "detail": .string(detail)]]
        }
    }

    static let catalogue: JSONValue = {
        func entry(_ vendor: String, _ type: VendorType, _ models: [JSONValue]) -> JSONValue {
            let traits = VendorTraitsCatalogue.traits(vendor: vendor, type: type)
            var entry: JSONValue = [
                "vendor": .string(vendor), "type": .string(type.rawValue), "models": .array(models),
                "missingCapabilities": .array(traits.missingCapabilities.map { .string($0) }),
                "commandLatencySeconds": ["mean": .number(traits.latency.mean), "spread": .number(traits.latency.spread)],
                "pollIntervalSeconds": ["idle": .number(traits.idlePollSeconds), "active": .number(traits.activePollSeconds)],
            ]
            if type == .vehicle { entry["reportsChargeLimit"] = .bool(traits.reportsChargeLimit) }
            return entry
        }
        func encoded(_ value: some Encodable) -> JSONValue {
            (try? JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))) ?? .null
        }
        var entries: [JSONValue] = []
        for type in VendorType.allCases {
            for vendor in VendorCatalogue.vendors(of: type) {
                let models: [JSONValue] = switch type {
                case .vehicle: ModelCatalogue.vehicles.filter { $0.vendor == vendor }.map(encoded)
                case .charger: ModelCatalogue.chargers.filter { $0.vendor == vendor }.map(encoded)
                case .hvac: ModelCatalogue.hvacs.filter { $0.vendor == vendor }.map(encoded)
                case .inverter: ModelCatalogue.inverters.filter { $0.vendor == vendor }.map(encoded)
                case .battery: ModelCatalogue.batteries.filter { $0.vendor == vendor }.map(encoded)
                case .meter: ModelCatalogue.meters.filter { $0.vendor == vendor }.map(encoded)
                }
                entries.append(entry(vendor, type, models))
            }
        }
        return .array(entries)
    }()
}
