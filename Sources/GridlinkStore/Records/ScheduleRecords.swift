import Foundation
import GridlinkCore

extension StoreSession {
    private static let scheduleColumns = "seq, id, client_id, user_id, target_id, target_type, location_id, is_enabled, body, created_at"

    /// Stores a new schedule.
    public func insertSchedule(_ schedule: Schedule) async throws {
        try await connection.execute(
            """
            INSERT INTO schedules (id, client_id, user_id, target_id, target_type, location_id, is_enabled, body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(schedule.id), .text(schedule.clientId), .text(schedule.userId)] + (try Self.scheduleBinds(schedule)) + [.date(schedule.createdAt)])
    }

    /// Replaces a schedule's target, location, switch and rules.
    public func updateSchedule(_ schedule: Schedule) async throws {
        try await connection.execute(
            "UPDATE schedules SET target_id = ?, target_type = ?, location_id = ?, is_enabled = ?, body = ? WHERE id = ?",
            try Self.scheduleBinds(schedule) + [.text(schedule.id)])
    }

    /// Deletes a schedule; false when there was none.
    public func deleteSchedule(clientId: String, id: String) async throws -> Bool {
        !(try await connection.query("DELETE FROM schedules WHERE client_id = ? AND id = ? RETURNING id", [.text(clientId), .text(id)]).isEmpty)
    }

    /// The client's schedule with `id`, or nil.
    public func schedule(clientId: String, id: String) async throws -> Schedule? {
        try await connection.query("SELECT \(Self.scheduleColumns) FROM schedules WHERE client_id = ? AND id = ?", [.text(clientId), .text(id)])
            .first.map(Self.decodeSchedule)
    }

    /// One page of a user's schedules, newest first.
    public func schedules(clientId: String, userId: String, page: PageRequest) async throws -> Page<Schedule> {
        try await Paginator(table: "schedules", columns: Self.scheduleColumns, filter: "client_id = ? AND user_id = ?",
                            filterBinds: [.text(clientId), .text(userId)])
            .page(page, on: connection, decode: Self.decodeSchedule)
    }

    /// The enabled schedules controlling an asset.
    public func enabledSchedules(clientId: String, targetId: String) async throws -> [Schedule] {
        try await connection.query(
            "SELECT \(Self.scheduleColumns) FROM schedules WHERE client_id = ? AND target_id = ? AND is_enabled = 1 ORDER BY seq",
            [.text(clientId), .text(targetId)]
        ).map(Self.decodeSchedule)
    }

    /// Every schedule of every client, oldest first, with its last recorded status (for the schedule controller).
    public func allSchedules(after seq: Int64, limit: Int) async throws -> [(seq: Int64, schedule: Schedule, status: JSONValue?)] {
        try await connection.query(
            "SELECT \(Self.scheduleColumns), status FROM schedules WHERE seq > ? ORDER BY seq LIMIT ?", [.integer(seq), .integer(Int64(limit))]
        ).map { row in
            (try row.int("seq"), try Self.decodeSchedule(row), try row.optionalString("status").map { try StoredJSON.decode(JSONValue.self, from: $0) })
        }
    }

    /// The schedule's last recorded status, or nil before the controller first evaluated it.
    public func scheduleStatus(id: String) async throws -> JSONValue? {
        try await connection.query("SELECT status FROM schedules WHERE id = ?", [.text(id)]).first
            .flatMap { try $0.optionalString("status") }.map { try StoredJSON.decode(JSONValue.self, from: $0) }
    }

    /// Records the schedule's current status.
    public func setScheduleStatus(id: String, status: JSONValue) async throws {
        try await connection.execute("UPDATE schedules SET status = ? WHERE id = ?", [.text(try StoredJSON.encode(status)), .text(id)])
    }

    private static func scheduleBinds(_ schedule: Schedule) throws -> [SQLValue] {
        let body: JSONValue = ["default": schedule.defaultValue, "rules": .array(schedule.rules)]
        return [.text(schedule.targetId), .text(schedule.targetType.rawValue), .text(schedule.locationId),
                .integer(schedule.isEnabled ? 1 : 0), .text(try StoredJSON.encode(body))]
    }

    private static func decodeSchedule(_ row: SQLRow) throws -> Schedule {
        let body = try StoredJSON.decode(JSONValue.self, from: try row.string("body"))
        guard let type = VendorType(rawValue: try row.string("target_type")) else { throw StoreError.unexpectedValue("schedules.target_type") }
        let rules: [JSONValue] = if case .array(let items) = body["rules"] ?? .null { items } else { [] }
        return Schedule(
            id: try row.string("id"), clientId: try row.string("client_id"), userId: try row.string("user_id"),
            targetId: try row.string("target_id"), targetType: type, locationId: try row.optionalString("location_id"),
            isEnabled: try row.int("is_enabled") != 0, defaultValue: body["default"] ?? .null, rules: rules,
            createdAt: try row.date("created_at"))
    }
}
