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

    /// Records a vendor account linked for the user (valid again if it was invalid), due for sync at `syncAt`.
    public func linkVendor(
        clientId: String, userId: String, vendor: String, vendorType: VendorType, accountRef: String, scopes: [String] = [],
        at now: Date, syncAt: Date? = nil
    ) async throws {
        let scopeList = String(decoding: try JSONEncoder().encode(scopes), as: UTF8.self)
        try await connection.execute(
            """
            INSERT INTO user_vendors (client_id, user_id, vendor, vendor_type, credentials, is_valid, created_at, account_ref, next_sync_at, scopes)
            VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)
            ON CONFLICT (client_id, user_id, vendor, vendor_type)
            DO UPDATE SET credentials = excluded.credentials, is_valid = 1, account_ref = excluded.account_ref,
                next_sync_at = excluded.next_sync_at, scopes = excluded.scopes
            """,
            [.text(clientId), .text(userId), .text(vendor), .text(vendorType.rawValue), .text(accountRef), .date(now),
             .text(accountRef), .date(syncAt ?? now), .text(scopeList)])
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

    /// The scopes each of `userIds` granted across its linked vendor accounts, sorted and without repeats; users with no
    /// link are absent.
    public func grantedScopes(clientId: String, userIds: [String]) async throws -> [String: [String]] {
        guard !userIds.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: userIds.count).joined(separator: ", ")
        var granted: [String: Set<String>] = [:]
        for row in try await connection.query(
            "SELECT user_id, scopes FROM user_vendors WHERE client_id = ? AND user_id IN (\(placeholders))",
            [.text(clientId)] + userIds.map { .text($0) }
        ) {
            let scopes = try row.optionalString("scopes").map { try JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
            granted[try row.string("user_id"), default: []].formUnion(scopes)
        }
        return granted.mapValues { $0.sorted() }
    }

    /// Removes every stored vendor credential of the user, keeping all other data; syncing stops.
    public func deauthorizeUser(clientId: String, userId: String) async throws {
        try await connection.execute(
            "UPDATE user_vendors SET credentials = NULL, is_valid = 0, next_sync_at = NULL WHERE client_id = ? AND user_id = ?",
            [.text(clientId), .text(userId)])
    }

    /// Linked vendor accounts with credentials whose next sync is due at `now`, soonest first.
    public func vendorLinksDue(at now: Date, limit: Int) async throws -> [VendorLink] {
        try await connection.query(
            """
            SELECT client_id, user_id, vendor, vendor_type, account_ref, is_valid, scopes FROM user_vendors
            WHERE credentials IS NOT NULL AND account_ref IS NOT NULL AND next_sync_at <= ?
            ORDER BY next_sync_at LIMIT ?
            """, [.date(now), .integer(Int64(limit))]
        ).map(Self.decodeLink)
    }

    /// The vendor links of a user that point at a connector account.
    public func vendorLinks(clientId: String, userId: String) async throws -> [VendorLink] {
        try await connection.query(
            """
            SELECT client_id, user_id, vendor, vendor_type, account_ref, is_valid, scopes FROM user_vendors
            WHERE client_id = ? AND user_id = ? AND account_ref IS NOT NULL ORDER BY created_at
            """, [.text(clientId), .text(userId)]
        ).map(Self.decodeLink)
    }

    /// Schedules the next sync of every link of the user to the account (nil stops syncing).
    public func scheduleSync(clientId: String, userId: String, accountRef: String, at time: Date?) async throws {
        try await connection.execute(
            "UPDATE user_vendors SET next_sync_at = ? WHERE client_id = ? AND user_id = ? AND account_ref = ?",
            [.date(time), .text(clientId), .text(userId), .text(accountRef)])
    }

    /// Brings the next sync of a link forward to `time` if it is later.
    public func expediteSync(clientId: String, userId: String, accountRef: String, to time: Date) async throws {
        try await connection.execute(
            """
            UPDATE user_vendors SET next_sync_at = ?
            WHERE client_id = ? AND user_id = ? AND account_ref = ? AND credentials IS NOT NULL AND (next_sync_at IS NULL OR next_sync_at > ?)
            """, [.date(time), .text(clientId), .text(userId), .text(accountRef), .date(time)])
    }

    /// Marks the links to an account valid or invalid; returns whether anything changed.
    @discardableResult
    public func setVendorValidity(clientId: String, userId: String, accountRef: String, isValid: Bool) async throws -> Bool {
        !(try await connection.query(
            "UPDATE user_vendors SET is_valid = ? WHERE client_id = ? AND user_id = ? AND account_ref = ? AND is_valid <> ? RETURNING vendor",
            [.bool(isValid), .text(clientId), .text(userId), .text(accountRef), .bool(isValid)]).isEmpty)
    }

    /// How many vendor accounts the client's users have linked.
    public func vendorLinkCount(clientId: String) async throws -> Int {
        try await connection.query("SELECT vendor FROM user_vendors WHERE client_id = ?", [.text(clientId)]).count
    }

    private static func decodeLink(_ row: SQLRow) throws -> VendorLink {
        VendorLink(
            clientId: try row.string("client_id"), userId: try row.string("user_id"), vendor: try row.string("vendor"),
            vendorType: VendorType(rawValue: try row.string("vendor_type")) ?? .vehicle,
            accountRef: try row.string("account_ref"), isValid: try row.bool("is_valid"),
            scopes: try row.optionalString("scopes").map { try JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? [])
    }

    /// Unlinks one vendor from the user (all its asset types) and deletes its assets; false when it was not linked.
    public func unlinkVendor(clientId: String, userId: String, vendor: String) async throws -> Bool {
        let removed = try await connection.query(
            "DELETE FROM user_vendors WHERE client_id = ? AND user_id = ? AND vendor = ? RETURNING vendor",
            [.text(clientId), .text(userId), .text(vendor)])
        try await connection.execute(
            "DELETE FROM assets WHERE client_id = ? AND user_id = ? AND vendor = ?", [.text(clientId), .text(userId), .text(vendor)])
        return !removed.isEmpty
    }

    private static func decodeUser(_ row: SQLRow) throws -> User {
        User(id: try row.string("id"), createdAt: try row.date("created_at"))
    }
}
