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
