import Foundation
import GridlinkCore
import GridlinkStore

/// Reading, validating and writing vehicles' smart-charging policies. The policy lives in the vehicle body
/// (`smartChargingPolicy`), so a change is a vehicle update with its `user:vehicle:updated` event.
enum SmartChargingPolicies {
    /// The policy `body` (PartialVehicleSmartChargingPolicy) makes of `current`; 400 problems name the field.
    static func merged(_ current: SmartChargingPolicy, with body: JSONValue) throws(Problem) -> SmartChargingPolicy {
        guard case .object(let fields) = body else { throw .badRequest("The request body must be a JSON object") }
        var policy = current
        if let value = fields["isEnabled"] {
            guard let enabled = value.bool else { throw .badRequest("\"isEnabled\" must be a boolean") }
            policy.isEnabled = enabled
        }
        if let value = fields["deadline"] {
            switch value {
            case .null: policy.deadline = nil
            case .string(let text):
                guard let time = ClockTime(text), time.minutes < 24 * 60, text.count == 5 else {
                    throw .badRequest("\"deadline\" must be an hour and minute from \"00:00\" to \"23:59\"")
                }
                policy.deadline = text
            default: throw .badRequest("\"deadline\" must be a string such as \"07:00\"")
            }
        }
        if let value = fields["minimumChargeLimit"] {
            guard let limit = value.number, (0...100).contains(limit) else { throw .badRequest("\"minimumChargeLimit\" must be a number from 0 to 100") }
            policy.minimumChargeLimit = limit
        }
        return policy
    }

    /// Checks that smart charging can be enabled for the vehicle (the reference's 400 problems); capability and
    /// single-user checks apply from 2023-04-01, when they moved into the policy update.
    static func checkEnabling(_ policy: SmartChargingPolicy, vehicle: AssetRecord, version: APIVersion, in session: StoreSession) async throws {
        guard policy.isEnabled else { return }
        let capable = vehicle.body["capabilities"]?["smartCharging"]?["isCapable"]?.bool ?? false
        if version >= .v2023_04_01 {
            guard capable else { throw Problem.badRequest("The vehicle is not capable of smart charging (capabilities.smartCharging)") }
            let users = try await session.userCount(clientId: vehicle.clientId, vendor: vehicle.vendor, deviceRef: vehicle.deviceRef)
            guard users <= 1 else { throw Problem.badRequest("The vehicle is linked by \(users) users; smart charging needs a single user") }
        }
        guard policy.deadline != nil else { throw Problem.badRequest("\"deadline\" is required to enable smart charging") }
        if let limit = vehicle.body["chargeState"]?["chargeLimit"]?.number, policy.minimumChargeLimit > limit {
            throw Problem.badRequest("\"minimumChargeLimit\" (\(Int(policy.minimumChargeLimit))) must not exceed the vehicle's charge limit (\(Int(limit)))")
        }
        if vehicle.vendor == "MERCEDES", policy.minimumChargeLimit < 50 {
            throw Problem.badRequest("\"minimumChargeLimit\" must be at least 50 for MERCEDES vehicles")
        }
        let locations = try await session.locations(clientId: vehicle.clientId, userId: vehicle.userId)
        var priced = false
        for location in locations where !priced {
            priced = try await PriceService.hasPrices(at: location, in: session)
        }
        guard priced else {
            throw Problem.badRequest("No price data for the user's area: add a location inside a supported market area, or link a tariff to one")
        }
    }

    /// Applies a policy update (PartialVehicleSmartChargingPolicy `body`) to the client's vehicle: validates it, writes it,
    /// disables the vehicle's schedules when smart charging is enabled (one controller per vehicle), and starts the
    /// vehicle's smart-charging record. 404 for an unknown vehicle, 400 problems name what cannot be applied.
    static func update(
        vehicleId: String, clientId: String, with body: JSONValue, version: APIVersion, at now: Date, in session: StoreSession
    ) async throws -> SmartChargingPolicy {
        let vehicle = try await session.requireAsset(clientId: clientId, type: .vehicle, id: vehicleId)
        let policy = try merged(SmartChargingPolicy(body: vehicle.body), with: body)
        try await checkEnabling(policy, vehicle: vehicle, version: version, in: session)
        try await write(policy, to: vehicle, at: now, in: session)
        if policy.isEnabled {
            for var schedule in try await session.enabledSchedules(clientId: clientId, targetId: vehicleId) {
                schedule.isEnabled = false
                try await session.updateSchedule(schedule)
            }
        }
        if try await session.smartChargingRecordText(vehicleId: vehicleId) == nil {
            try await session.setSmartChargingRecord(vehicleId: vehicleId, clientId: clientId, userId: vehicle.userId, text: "{}", at: now)
        }
        return policy
    }

    /// Writes `policy` into the vehicle body with its `user:vehicle:updated` event; nothing when unchanged.
    static func write(_ policy: SmartChargingPolicy, to vehicle: AssetRecord, at now: Date, in session: StoreSession) async throws {
        var body = vehicle.body
        body["smartChargingPolicy"] = policy.json
        let changed = FieldDiff.changedFields(from: vehicle.body, to: body)
        guard !changed.isEmpty else { return }
        try await session.updateAsset(id: vehicle.id, body: body, scopes: vehicle.scopes)
        try await session.appendEvent(NewOutboxEvent(
            clientId: vehicle.clientId, userId: vehicle.userId, name: "user:vehicle:updated",
            payload: try EventPayload.encode(["user": ["id": .string(vehicle.userId)], "vehicle": body, "updatedFields": .array(changed.map { .string($0) })])),
            at: now)
    }

    /// Turns smart charging off for a vehicle a schedule now controls (one controller per vehicle).
    static func disable(vehicleId: String, clientId: String, at now: Date, in session: StoreSession) async throws {
        guard let vehicle = try await session.asset(clientId: clientId, type: .vehicle, id: vehicleId) else { return }
        var policy = SmartChargingPolicy(body: vehicle.body)
        guard policy.isEnabled else { return }
        policy.isEnabled = false
        try await write(policy, to: vehicle, at: now, in: session)
    }
}
