import Foundation
import GridlinkCore

extension StoreSession {
    /// Creates the user if the client does not have it yet; returns the stored user either way.
    @discardableResult
    public func ensureUser(clientId: String, userId: String, at now: Date) async throws -> User {
        try await connection.execute(
            "INSERT INTO users (client_id, id, created_at) VALUES (?, ?, ?) ON CONFLICT (client_id, id) DO NOTHING",
            [.text(clientId), .text(userId), .date(now)])
        guard let user = try await user(clientId: clientId, userId: userId) else { throw StoreError.unexpectedValue("users.id") }
        return user
    }

    /// The client's user with `userId`, or nil.
    public func user(clientId: String, userId: String) async throws -> User? {
        try await connection.query(
            "SELECT id, created_at FROM users WHERE client_id = ? AND id = ?", [.text(clientId), .text(userId)]
        ).first.map(Self.decodeUser)
    }

    /// One page of the client's users, newest first.
    public func users(clientId: String, page: PageRequest) async throws -> Page<User> {
        try await Paginator(table: "users", columns: "seq, id, created_at", filter: "client_id = ?", filterBinds: [.text(clientId)])
            .page(page, on: connection, decode: Self.decodeUser)
    }

    /// Deletes the user and everything that belongs to it; false when there was no such user.
    public func deleteUser(clientId: String, userId: String) async throws -> Bool {
        !(try await connection.query(
            "DELETE FROM users WHERE client_id = ? AND id = ? RETURNING id", [.text(clientId), .text(userId)]).isEmpty)
    }

    /// Records a vendor account linked for the user (credentials are the connector's opaque login state).
    public func linkVendor(
        clientId: String, userId: String, vendor: String, vendorType: VendorType, credentials: String, at now: Date
    ) async throws {
        try await connection.execute(
            """
            INSERT INTO user_vendors (client_id, user_id, vendor, vendor_type, credentials, is_valid, created_at)
            VALUES (?, ?, ?, ?, ?, 1, ?)
            ON CONFLICT (client_id, user_id, vendor, vendor_type)
            DO UPDATE SET credentials = excluded.credentials, is_valid = 1
            """,
            [.text(clientId), .text(userId), .text(vendor), .text(vendorType.rawValue), .text(credentials), .date(now)])
    }

    /// The vendor accounts the user has linked, in linking order.
    public func linkedVendors(clientId: String, userId: String) async throws -> [LinkedVendor] {
        try await connection.query(
            """
            SELECT vendor, vendor_type, is_valid FROM user_vendors
            WHERE client_id = ? AND user_id = ? ORDER BY created_at, vendor, vendor_type
            """, [.text(clientId), .text(userId)]
        ).map { row in
            LinkedVendor(
                vendor: try row.string("vendor"),
                vendorType: VendorType(rawValue: try row.string("vendor_type")) ?? .vehicle,
                isValid: try row.bool("is_valid"))
        }
    }

    /// Removes every stored vendor credential of the user, keeping all other data.
    public func deauthorizeUser(clientId: String, userId: String) async throws {
        try await connection.execute(
            "UPDATE user_vendors SET credentials = NULL, is_valid = 0 WHERE client_id = ? AND user_id = ?",
            [.text(clientId), .text(userId)])
    }

    /// Unlinks one vendor from the user (all its asset types); false when it was not linked.
    public func unlinkVendor(clientId: String, userId: String, vendor: String) async throws -> Bool {
        !(try await connection.query(
            "DELETE FROM user_vendors WHERE client_id = ? AND user_id = ? AND vendor = ? RETURNING vendor",
            [.text(clientId), .text(userId), .text(vendor)]).isEmpty)
    }

    private static func decodeUser(_ row: SQLRow) throws -> User {
        User(id: try row.string("id"), createdAt: try row.date("created_at"))
    }
}
