import Foundation

extension StoreSession {
    /// Takes or renews the named lease for `holder` until `until`; false while another holder's lease is live at `now`.
    public func acquireLease(_ name: String, holder: String, until: Date, at now: Date) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at <= ?
            RETURNING holder
            """,
            [.text(name), .text(holder), .date(until), .date(now)])
        return !rows.isEmpty
    }

    /// Gives the lease up if `holder` has it.
    public func releaseLease(_ name: String, holder: String) async throws {
        try await connection.execute("DELETE FROM leases WHERE name = ? AND holder = ?", [.text(name), .text(holder)])
    }
}

extension StoreSession {
    /// The rows a process claims by name (`claimed_by`) besides the named leases: table and which of its rows are open work.
    private static let claims = [
        (table: "actions", openWork: "state = 'PENDING'"), (table: "outbox_events", openWork: "processed_at IS NULL"),
        (table: "webhook_deliveries", openWork: "TRUE"),
    ]

    /// Every process name that holds a lease or a claim.
    public func holders() async throws -> Set<String> {
        let sources = ["SELECT holder AS name FROM leases"]
            + Self.claims.map { "SELECT DISTINCT claimed_by AS name FROM \($0.table) WHERE claimed_by IS NOT NULL AND \($0.openWork)" }
        let rows = try await connection.query(sources.joined(separator: " UNION "), [])
        return Set(try rows.map { try $0.string("name") })
    }

    /// Gives up every lease and claim of `holders` at once, so their work is picked up without waiting for expiry.
    public func releaseHolds(of holders: [String]) async throws {
        guard !holders.isEmpty else { return }
        let names = holders.map(SQLValue.text)
        let list = Self.placeholders(holders.count)
        try await connection.execute("DELETE FROM leases WHERE holder IN (\(list))", names)
        for claim in Self.claims {
            try await connection.execute(
                "UPDATE \(claim.table) SET claimed_by = NULL, claimed_until = NULL WHERE \(claim.openWork) AND claimed_by IN (\(list))", names)
        }
    }
}
