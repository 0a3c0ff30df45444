import Foundation

/// The persisted sandbox world as JSON documents: settings, accounts and devices.
public struct SandboxDocuments: Sendable, Equatable {
    /// The world settings document, nil before the first save.
    public var world: String?
    /// Account documents by id.
    public var accounts: [String: String]
    /// Device documents by id.
    public var devices: [String: String]

    /// Creates a set of documents.
    public init(world: String?, accounts: [String: String], devices: [String: String]) {
        self.world = world
        self.accounts = accounts
        self.devices = devices
    }
}

extension StoreSession {
    /// Loads every sandbox document.
    public func sandboxDocuments() async throws -> SandboxDocuments {
        let world = try await connection.query("SELECT body FROM sandbox_world WHERE id = 'world'", []).first?.string("body")
        var accounts: [String: String] = [:]
        for row in try await connection.query("SELECT id, body FROM sandbox_accounts", []) {
            accounts[try row.string("id")] = try row.string("body")
        }
        var devices: [String: String] = [:]
        for row in try await connection.query("SELECT id, body FROM sandbox_devices", []) {
            devices[try row.string("id")] = try row.string("body")
        }
        return SandboxDocuments(world: world, accounts: accounts, devices: devices)
    }

    /// Saves the world settings document.
    public func saveSandboxWorld(_ body: String, at now: Date) async throws {
        try await connection.execute(
            """
            INSERT INTO sandbox_world (id, body, updated_at) VALUES ('world', ?, ?)
            ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at
            """, [.text(body), .date(now)])
    }

    /// Inserts or replaces an account document.
    public func saveSandboxAccount(id: String, clientId: String, body: String) async throws {
        try await connection.execute(
            """
            INSERT INTO sandbox_accounts (id, client_id, body) VALUES (?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET body = excluded.body
            """, [.text(id), .text(clientId), .text(body)])
    }

    /// Inserts or replaces a device document.
    public func saveSandboxDevice(id: String, clientId: String, accountId: String, body: String) async throws {
        try await connection.execute(
            """
            INSERT INTO sandbox_devices (id, client_id, account_id, body) VALUES (?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET body = excluded.body
            """, [.text(id), .text(clientId), .text(accountId), .text(body)])
    }

    /// Deletes account and device documents that are no longer in the world.
    public func deleteSandboxDocuments(accountIds: [String], deviceIds: [String]) async throws {
        for id in deviceIds { try await connection.execute("DELETE FROM sandbox_devices WHERE id = ?", [.text(id)]) }
        for id in accountIds { try await connection.execute("DELETE FROM sandbox_accounts WHERE id = ?", [.text(id)]) }
    }
}
