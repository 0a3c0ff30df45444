import Foundation
import GridlinkCore

/// A vehicle under the smart-charging controller (its record is read when the vehicle is evaluated).
public struct SmartChargingEntry: Sendable {
    /// Position in the table, for paging through every entry.
    public let seq: Int64
    /// The vehicle.
    public let vehicleId: String
    /// Owning client.
    public let clientId: String
    /// Owning user.
    public let userId: String
}

extension StoreSession {
    /// The vehicle's smart-charging record, or nil before its policy was first set.
    public func smartChargingRecord(vehicleId: String) async throws -> JSONValue? {
        try await smartChargingRecordText(vehicleId: vehicleId).map { try StoredJSON.decode(JSONValue.self, from: $0) }
    }

    /// The vehicle's smart-charging record as stored (JSON text), for callers that decode it into their own type.
    public func smartChargingRecordText(vehicleId: String) async throws -> String? {
        try await connection.query("SELECT record FROM smart_charging WHERE vehicle_id = ?", [.text(vehicleId)]).first.map { try $0.string("record") }
    }

    /// Creates or replaces the vehicle's smart-charging record (JSON text).
    public func setSmartChargingRecord(vehicleId: String, clientId: String, userId: String, text: String, at now: Date) async throws {
        let updated = try await connection.query(
            "UPDATE smart_charging SET record = ?, updated_at = ? WHERE vehicle_id = ? RETURNING vehicle_id",
            [.text(text), .date(now), .text(vehicleId)])
        guard updated.isEmpty else { return }
        try await connection.execute(
            "INSERT INTO smart_charging (vehicle_id, client_id, user_id, record, updated_at) VALUES (?, ?, ?, ?, ?)",
            [.text(vehicleId), .text(clientId), .text(userId), .text(text), .date(now)])
    }

    /// Every smart-charging record after `seq`, oldest first (for the smart-charging controller).
    public func smartChargingEntries(after seq: Int64, limit: Int) async throws -> [SmartChargingEntry] {
        try await connection.query(
            "SELECT seq, vehicle_id, client_id, user_id FROM smart_charging WHERE seq > ? ORDER BY seq LIMIT ?",
            [.integer(seq), .integer(Int64(limit))]
        ).map { row in
            SmartChargingEntry(seq: try row.int("seq"), vehicleId: try row.string("vehicle_id"), clientId: try row.string("client_id"),
                               userId: try row.string("user_id"))
        }
    }

    /// Stores or replaces a smart-charging plan.
    public func saveSmartChargingPlan(id: String, vehicleId: String, clientId: String, body: JSONValue, at now: Date) async throws {
        let text = try StoredJSON.encode(body)
        let updated = try await connection.query("UPDATE smart_charging_plans SET body = ? WHERE id = ? RETURNING id", [.text(text), .text(id)])
        guard updated.isEmpty else { return }
        try await connection.execute(
            "INSERT INTO smart_charging_plans (id, vehicle_id, client_id, body, created_at) VALUES (?, ?, ?, ?, ?)",
            [.text(id), .text(vehicleId), .text(clientId), .text(text), .date(now)])
    }

    /// A plan of the client's vehicle by id, or its most recent plan for `latest`.
    public func smartChargingPlan(clientId: String, vehicleId: String, id: String) async throws -> JSONValue? {
        let rows = id == "latest"
            ? try await connection.query(
                "SELECT body FROM smart_charging_plans WHERE client_id = ? AND vehicle_id = ? ORDER BY seq DESC LIMIT 1",
                [.text(clientId), .text(vehicleId)])
            : try await connection.query(
                "SELECT body FROM smart_charging_plans WHERE client_id = ? AND vehicle_id = ? AND id = ?",
                [.text(clientId), .text(vehicleId), .text(id)])
        return try rows.first.map { try StoredJSON.decode(JSONValue.self, from: try $0.string("body")) }
    }

    /// Every plan of the client's vehicle, oldest first.
    public func smartChargingPlans(clientId: String, vehicleId: String) async throws -> [JSONValue] {
        try await connection.query(
            "SELECT body FROM smart_charging_plans WHERE client_id = ? AND vehicle_id = ? ORDER BY seq", [.text(clientId), .text(vehicleId)]
        ).map { try StoredJSON.decode(JSONValue.self, from: try $0.string("body")) }
    }

    /// The target's smart override (active or the last ended one), or nil.
    public func smartOverride(targetId: String) async throws -> (isActive: Bool, body: JSONValue)? {
        try await connection.query("SELECT is_active, body FROM smart_overrides WHERE target_id = ?", [.text(targetId)]).first
            .map { (try $0.bool("is_active"), try StoredJSON.decode(JSONValue.self, from: try $0.string("body"))) }
    }

    /// Records the target's smart override, replacing any earlier one.
    public func setSmartOverride(targetId: String, clientId: String, userId: String, isActive: Bool, body: JSONValue) async throws {
        try await connection.execute("DELETE FROM smart_overrides WHERE target_id = ?", [.text(targetId)])
        try await connection.execute(
            "INSERT INTO smart_overrides (target_id, client_id, user_id, is_active, body) VALUES (?, ?, ?, ?, ?)",
            [.text(targetId), .text(clientId), .text(userId), .integer(isActive ? 1 : 0), .text(try StoredJSON.encode(body))])
    }

    /// Every active smart override (for the controller that ends them when charging stops).
    public func activeSmartOverrides() async throws -> [(targetId: String, clientId: String, body: JSONValue)] {
        try await connection.query("SELECT target_id, client_id, body FROM smart_overrides WHERE is_active = 1 ORDER BY target_id", []).map {
            (try $0.string("target_id"), try $0.string("client_id"), try StoredJSON.decode(JSONValue.self, from: try $0.string("body")))
        }
    }
}

extension StoreSession {
    /// When the asset's first telemetry sample was taken, nil before there is one.
    public func earliestTelemetryTime(assetId: String) async throws -> Date? {
        try await connection.query("SELECT at FROM telemetry WHERE asset_id = ? ORDER BY at LIMIT 1", [.text(assetId)]).first
            .map { try $0.date("at") }
    }

    /// When the asset's latest telemetry sample was taken, nil before the first.
    public func latestTelemetryTime(assetId: String) async throws -> Date? {
        try await connection.query("SELECT at FROM telemetry WHERE asset_id = ? ORDER BY at DESC LIMIT 1", [.text(assetId)]).first
            .map { try $0.date("at") }
    }

    /// Stores a telemetry sample (a second sample for the same asset and instant replaces the first).
    public func appendTelemetry(_ sample: TelemetrySample, clientId: String, userId: String) async throws {
        try await connection.execute("DELETE FROM telemetry WHERE asset_id = ? AND at = ?", [.text(sample.assetId), .date(sample.at)])
        try await connection.execute(
            """
            INSERT INTO telemetry (asset_id, at, client_id, user_id, asset_type, location_id, power_kw, energy_kwh, reverse_energy_kwh, level_percent)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(sample.assetId), .date(sample.at), .text(clientId), .text(userId), .text(sample.assetType.rawValue),
             .text(sample.locationId), .real(sample.powerKW), .real(sample.energyKWh), .real(sample.reverseEnergyKWh), .real(sample.levelPercent)])
    }

    /// A user's samples of one asset type in `[from, to]`, optionally of one asset, ordered by asset and time.
    public func telemetry(clientId: String, userId: String, type: VendorType, assetId: String?, from: Date, to: Date) async throws -> [TelemetrySample] {
        var sql = "SELECT asset_id, asset_type, at, power_kw, energy_kwh, reverse_energy_kwh, level_percent, location_id FROM telemetry WHERE client_id = ? AND user_id = ? AND asset_type = ? AND at >= ? AND at <= ?"
        var binds: [SQLValue] = [.text(clientId), .text(userId), .text(type.rawValue), .date(from), .date(to)]
        if let assetId {
            sql += " AND asset_id = ?"
            binds.append(.text(assetId))
        }
        return try await connection.query(sql + " ORDER BY asset_id, at", binds).map { row in
            guard let type = VendorType(rawValue: try row.string("asset_type")) else { throw StoreError.unexpectedValue("telemetry.asset_type") }
            return TelemetrySample(assetId: try row.string("asset_id"), assetType: type, at: try row.date("at"),
                                   powerKW: try row.double("power_kw"), energyKWh: try row.double("energy_kwh"), locationId: try row.optionalString("location_id"),
                                   reverseEnergyKWh: try row.optionalDouble("reverse_energy_kwh"), levelPercent: try row.optionalDouble("level_percent"))
        }
    }
}
