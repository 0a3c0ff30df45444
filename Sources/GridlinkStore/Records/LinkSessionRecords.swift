import Foundation
import GridlinkCore

/// A stored link session: who it is for, its JSON state, and whether it is spent.
public struct LinkSessionRow: Sendable, Equatable {
    /// Session token (the `linkToken`).
    public let token: String
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
    /// Stores a new link session.
    public func insertLinkSession(token: String, clientId: String, userId: String, body: String, expiresAt: Date, at now: Date) async throws {
        try await connection.execute(
            "INSERT INTO link_sessions (token, client_id, user_id, body, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [.text(token), .text(clientId), .text(userId), .text(body), .date(expiresAt), .date(now)])
    }

    /// The session with `token`, or nil.
    public func linkSession(token: String) async throws -> LinkSessionRow? {
        try await connection.query(
            "SELECT token, client_id, user_id, body, expires_at, used_at FROM link_sessions WHERE token = ?", [.text(token)]
        ).first.map { row in
            LinkSessionRow(
                token: try row.string("token"), clientId: try row.string("client_id"), userId: try row.string("user_id"),
                body: try row.string("body"), expiresAt: try row.date("expires_at"), usedAt: try row.optionalDate("used_at"))
        }
    }

    /// Replaces the session's state document.
    public func updateLinkSession(token: String, body: String) async throws {
        try await connection.execute("UPDATE link_sessions SET body = ? WHERE token = ?", [.text(body), .text(token)])
    }

    /// Marks the session used; false when it already was (single use).
    public func consumeLinkSession(token: String, at now: Date) async throws -> Bool {
        !(try await connection.query(
            "UPDATE link_sessions SET used_at = ? WHERE token = ? AND used_at IS NULL RETURNING token",
            [.date(now), .text(token)]).isEmpty)
    }
}
