import Foundation
import GridlinkCore
import GridlinkStore

/// A HEM system: one user's inverter, battery and meter assets of one vendor at one vendor site, as their bodies show.
struct HemSystem: Sendable {
    /// User, vendor and site.
    let identity: HemSystemIdentity
    /// The member assets, oldest first.
    let members: [AssetRecord]

    /// The system's id.
    var id: String { identity.id }

    /// The systems `assets` form (assets of other types, or without a site, belong to none).
    static func grouping(_ assets: [AssetRecord]) -> [HemSystem] {
        var order: [HemSystemIdentity] = []
        var members: [HemSystemIdentity: [AssetRecord]] = [:]
        for asset in assets {
            guard let identity = HemSystemIdentity(asset: asset.body, type: asset.type) else { continue }
            if members[identity] == nil { order.append(identity) }
            members[identity, default: []].append(asset)
        }
        return order.map { HemSystem(identity: $0, members: members[$0] ?? []) }
    }

    /// The members of one type.
    func members(_ type: VendorType) -> [AssetRecord] { members.filter { $0.type == type } }

    /// The location of the system: the first member's.
    var locationId: String? { members.lazy.compactMap(\.locationId).first }

    /// The list entry: id, owner, vendor, site, location and member asset ids by type.
    var summary: JSONValue {
        let place = members.first?.body["location"]
        return [
            "id": .string(id), "userId": .string(identity.userId), "vendor": .string(identity.vendor), "siteName": .string(identity.site),
            "location": ["id": locationId.map { .string($0) } ?? .null, "latitude": place?["latitude"] ?? .null, "longitude": place?["longitude"] ?? .null],
            "assets": [
                "inverterIds": .array(members(.inverter).map { .string($0.id) }), "batteryIds": .array(members(.battery).map { .string($0.id) }),
                "meterIds": .array(members(.meter).map { .string($0.id) }),
            ],
        ]
    }

    /// The status: the summary with the latest power flows (kW, null where the system lacks the member measuring
    /// them), the battery level and the newest member reading.
    func status(timeZone: TimeZone) -> JSONValue {
        let flows = HemPowerFlows(self)
        var body = summary
        body["timezone"] = .string(timeZone.identifier)
        body["power"] = flows.json
        body["batteryLevel"] = flows.batteryLevel.map { .number(($0 * 100).rounded() / 100) } ?? .null
        body["lastUpdated"] = members.compactMap { $0.body["lastSeen"]?.string.flatMap(Timestamp.parse) }.max().map { .string(Timestamp.format($0)) } ?? .null
        return body
    }
}

/// A HEM system's latest power flows from its members' bodies, kW.
struct HemPowerFlows {
    /// Solar production; nil without an inverter.
    let generation: Double?
    /// Battery power, positive charging; nil without a battery.
    let battery: Double?
    /// Grid power, positive importing; nil without a meter.
    let grid: Double?
    /// Capacity-weighted state of charge, %; nil without a battery level.
    let batteryLevel: Double?

    /// Reads the flows of a system.
    init(_ system: HemSystem) {
        func total(_ type: VendorType, _ path: (JSONValue) -> JSONValue?) -> Double? {
            let members = system.members(type)
            return members.isEmpty ? nil : members.reduce(0) { $0 + (path($1.body)?.number ?? 0) }
        }
        generation = total(.inverter) { $0["productionState"]?["productionRate"] }
        battery = total(.battery) { $0["chargeState"]?["chargeRate"] }
        grid = total(.meter) { $0["energyState"]?["power"] }
        let levels = system.members(.battery).compactMap { asset -> (level: Double, capacity: Double)? in
            guard let level = asset.body["chargeState"]?["batteryLevel"]?.number else { return nil }
            return (level, asset.body["chargeState"]?["batteryCapacity"]?.number ?? 1)
        }
        let capacity = levels.reduce(0) { $0 + $1.capacity }
        batteryLevel = levels.isEmpty || capacity <= 0 ? nil : levels.reduce(0) { $0 + $1.level * $1.capacity } / capacity
    }

    /// `{generation, consumption, charge, discharge, import, export}`; consumption = import − export + generation +
    /// discharge − charge, known with a meter.
    var json: JSONValue {
        func value(_ number: Double?) -> JSONValue { number.map { .number((max(0, $0) * 1000).rounded() / 1000) } ?? .null }
        let consumption = grid.map { $0 + (generation ?? 0) - (battery ?? 0) }
        return [
            "generation": value(generation), "consumption": value(consumption),
            "charge": value(battery), "discharge": value(battery.map { -$0 }),
            "import": value(grid), "export": value(grid.map { -$0 }),
        ]
    }
}
