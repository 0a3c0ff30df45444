import Foundation

/// The persisted sandbox world as JSON documents: settings, accounts and devices.
public struct SandboxDocuments: Sendable, Equatable {
    /// The world settings document, nil before the first save.
    public var world: String?
    /// Account documents by id.
    public var accounts: [String: String]
    /// Device documents by id.
    public var devices: [String: String]
    /// The world row's version: every save adds one (0 before the first save).
    public var version: Int64

    /// Creates a set of documents.
    public init(world: String?, accounts: [String: String], devices: [String: String], version: Int64 = 0) {
        self.world = world
        self.accounts = accounts
        self.devices = devices
        self.version = version
    }
}

/// One command a sandbox vendor received, as its command log keeps it.
public struct SandboxCommandRecord: Sendable, Equatable {
    /// Position in the log.
    public var seq: Int64
    /// The client whose device got the command.
    public var clientId: String
    /// The simulated device.
    public var deviceId: String
    /// The command, as text (e.g. `startCharging`).
    public var command: String
    /// What the sender sent it for (an action id), if it said.
    public var reference: String?
    /// The server process that sent it.
    public var process: String
    /// What the vendor did with it (`accepted`, or the failure kind).
    public var outcome: String
    /// Simulation time of the send.
    public var sentAt: Date

    /// Creates a log entry (`seq` is assigned on append).
    public init(seq: Int64 = 0, clientId: String, deviceId: String, command: String, reference: String?, process: String, outcome: String, sentAt: Date) {
        self.seq = seq
        self.clientId = clientId
        self.deviceId = deviceId
        self.command = command
        self.reference = reference
        self.process = process
        self.outcome = outcome
        self.sentAt = sentAt
    }
}

extension StoreSession {
    /// Loads every sandbox document.
    public func sandboxDocuments() async throws -> SandboxDocuments {
        let row = try await connection.query("SELECT body, version FROM sandbox_world WHERE id = 'world'", []).first
        let world = try row?.string("body")
        var accounts: [String: String] = [:]
        for row in try await connection.query("SELECT id, body FROM sandbox_accounts", []) {
            accounts[try row.string("id")] = try row.string("body")
        }
        var devices: [String: String] = [:]
        for row in try await connection.query("SELECT id, body FROM sandbox_devices", []) {
            devices[try row.string("id")] = try row.string("body")
        }
        return SandboxDocuments(world: world, accounts: accounts, devices: devices, version: try row?.int("version") ?? 0)
    }

    /// The world row's version (0 before the first save): a cheap check whether another process saved the world.
    public func sandboxWorldVersion() async throws -> Int64 {
        try await connection.query("SELECT version FROM sandbox_world WHERE id = 'world'", []).first?.int("version") ?? 0
    }

    /// Saves the world settings document if the stored version is still `expected` (compare-and-swap) and returns
    /// the new version, or nil when another process saved first (the caller rolls back and reloads).
    public func saveSandboxWorld(_ body: String, at now: Date, expecting expected: Int64) async throws -> Int64? {
        let rows = try await connection.query(
            """
            INSERT INTO sandbox_world (id, body, updated_at, version) VALUES ('world', ?, ?, 1)
            ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at, version = sandbox_world.version + 1
            WHERE sandbox_world.version = ?
            RETURNING version
            """, [.text(body), .date(now), .integer(expected)])
        return try rows.first?.int("version")
    }

    /// Appends a command to the sandbox vendors' command log.
    public func appendSandboxCommand(_ record: SandboxCommandRecord) async throws {
        try await connection.execute(
            "INSERT INTO sandbox_commands (client_id, device_id, command, reference, process, outcome, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [.text(record.clientId), .text(record.deviceId), .text(record.command), .text(record.reference), .text(record.process),
             .text(record.outcome), .date(record.sentAt)])
    }

    /// A client's logged sandbox commands, oldest first.
    public func sandboxCommands(clientId: String) async throws -> [SandboxCommandRecord] {
        try await connection.query(
            "SELECT seq, client_id, device_id, command, reference, process, outcome, sent_at FROM sandbox_commands WHERE client_id = ? ORDER BY seq",
            [.text(clientId)]
        ).map {
            SandboxCommandRecord(
                seq: try $0.int("seq"), clientId: try $0.string("client_id"), deviceId: try $0.string("device_id"), command: try $0.string("command"),
                reference: try $0.optionalString("reference"), process: try $0.string("process"), outcome: try $0.string("outcome"),
                sentAt: try $0.date("sent_at"))
        }
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

    /// Starts the sandbox over while keeping API clients: deletes the world (clock, accounts, devices, faults, command
    /// log, uploaded prices), every user with everything the users own, the actions, plans and overrides, and the event
    /// outbox with its pending deliveries. Clients, their secrets, tokens, webhooks and tariffs stay.
    public func deleteSandboxWorldKeepingClients() async throws {
        for table in [
            "webhook_deliveries", "outbox_events", "smart_overrides", "smart_charging_plans", "actions", "users", "market_prices",
            "sandbox_commands", "sandbox_devices", "sandbox_accounts", "sandbox_world",
        ] {
            try await connection.execute("DELETE FROM \(table)", [])
        }
    }
}
