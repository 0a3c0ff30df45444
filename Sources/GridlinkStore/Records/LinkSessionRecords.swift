import Foundation
import GridlinkCore

/// A stored link session: who it is for, its JSON state, and whether it is spent. The token itself is never
/// stored, only its SHA-256 digest.
public struct LinkSessionRow: Sendable, Equatable {
    /// SHA-256 of the session token (the `linkToken`), the row's key.
    public let digest: String
    /// Owning client.
    public let clientId: String
    /// User being linked.
    public let userId: String
    /// Session state document.
    public let body: String
    /// When it stops working.
    public let expiresAt: Date
    /// When it was completed, if it was.
    public let usedAt: Date?
}

extension StoreSession {
    /// Stores a new link session under the digest of `token`.
    public func insertLinkSession(token: String, clientId: String, userId: String, body: String, expiresAt: Date, at now: Date) async throws {
        try await connection.execute(
            "INSERT INTO link_sessions (token_digest, client_id, user_id, body, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [.text(LinkTokenDigest.of(token)), .text(clientId), .text(userId), .text(body), .date(expiresAt), .date(now)])
    }

    /// The session whose token is `token`, or nil.
    public func linkSession(token: String) async throws -> LinkSessionRow? {
        try await connection.query(
            "SELECT token_digest, client_id, user_id, body, expires_at, used_at FROM link_sessions WHERE token_digest = ?",
            [.text(LinkTokenDigest.of(token))]
        ).first.map { row in
            LinkSessionRow(
                digest: try row.string("token_digest"), clientId: try row.string("client_id"), userId: try row.string("user_id"),
                body: try row.string("body"), expiresAt: try row.date("expires_at"), usedAt: try row.optionalDate("used_at"))
        }
    }

    /// Replaces the state document of the session with `digest`.
    public func updateLinkSession(digest: String, body: String) async throws {
        try await connection.execute("UPDATE link_sessions SET body = ? WHERE token_digest = ?", [.text(body), .text(digest)])
    }

    /// Marks the session with `digest` used; false when it already was (single use).
    public func consumeLinkSession(digest: String, at now: Date) async throws -> Bool {
        !(try await connection.query(
            "UPDATE link_sessions SET used_at = ? WHERE token_digest = ? AND used_at IS NULL RETURNING token_digest",
            [.date(now), .text(digest)]).isEmpty)
    }

    /// Deletes up to `limit` sessions that expired or were used before `before`; returns how many.
    @discardableResult
    public func purgeLinkSessions(before: Date, limit: Int) async throws -> Int {
        try await connection.query(
            """
            DELETE FROM link_sessions WHERE token_digest IN (
                SELECT token_digest FROM link_sessions WHERE expires_at < ? OR used_at < ? LIMIT ?
            )
            RETURNING token_digest
            """, [.date(before), .date(before), .integer(Int64(limit))]).count
    }
}
