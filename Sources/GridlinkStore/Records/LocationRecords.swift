import Foundation
import GridlinkCore

extension StoreSession {
    private static let locationColumns = "seq, body"

    /// Stores a new location.
    public func insertLocation(_ location: Location) async throws {
        try await connection.execute(
            "INSERT INTO locations (id, client_id, user_id, body, created_at) VALUES (?, ?, ?, ?, ?)",
            [.text(location.id), .text(location.clientId), .text(location.userId), .text(try StoredJSON.encode(location)), .date(location.createdAt)])
    }

    /// Replaces a location's name, coordinates and timezone.
    public func updateLocation(_ location: Location) async throws {
        try await connection.execute("UPDATE locations SET body = ? WHERE id = ?", [.text(try StoredJSON.encode(location)), .text(location.id)])
    }

    /// Deletes a location, its tariff link, and every reference to it from assets and schedules.
    public func deleteLocation(_ location: Location) async throws {
        try await connection.execute("DELETE FROM location_tariffs WHERE location_id = ?", [.text(location.id)])
        try await connection.execute("UPDATE assets SET location_id = NULL WHERE location_id = ?", [.text(location.id)])
        try await connection.execute("UPDATE schedules SET location_id = NULL WHERE location_id = ?", [.text(location.id)])
        try await connection.execute("DELETE FROM locations WHERE id = ?", [.text(location.id)])
    }

    /// The client's location with `id`, or nil.
    public func location(clientId: String, id: String) async throws -> Location? {
        try await connection.query("SELECT \(Self.locationColumns) FROM locations WHERE client_id = ? AND id = ?", [.text(clientId), .text(id)])
            .first.map(Self.decodeLocation)
    }

    /// Every location of a user, oldest first.
    public func locations(clientId: String, userId: String) async throws -> [Location] {
        try await connection.query(
            "SELECT \(Self.locationColumns) FROM locations WHERE client_id = ? AND user_id = ? ORDER BY seq", [.text(clientId), .text(userId)]
        ).map(Self.decodeLocation)
    }

    /// One page of the client's locations (of one user when `userId` is set), newest first.
    public func locations(clientId: String, userId: String?, page: PageRequest) async throws -> Page<Location> {
        let filter = userId == nil ? "client_id = ?" : "client_id = ? AND user_id = ?"
        return try await Paginator(table: "locations", columns: Self.locationColumns, filter: filter,
                                   filterBinds: [.text(clientId)] + (userId.map { [SQLValue.text($0)] } ?? []))
            .page(page, on: connection, decode: Self.decodeLocation)
    }

    private static func decodeLocation(_ row: SQLRow) throws -> Location {
        try StoredJSON.decode(Location.self, from: try row.string("body"))
    }
}
