import Foundation
import GridlinkCore

extension StoreSession {
    /// Records an issued access token by its digest.
    public func insertToken(_ token: IssuedToken, clientId: String, issuedAt: Date) async throws {
        try await connection.execute(
            "INSERT INTO access_tokens (token_digest, client_id, expires_at, created_at) VALUES (?, ?, ?, ?)",
            [.text(AccessTokenDigest.of(token.token)), .text(clientId), .date(token.expiresAt), .date(issuedAt)])
    }

    /// The client a bearer token belongs to, if the token is known and not expired at `now`.
    public func client(forToken token: String, at now: Date) async throws -> APIClient? {
        let rows = try await connection.query(
            "SELECT client_id FROM access_tokens WHERE token_digest = ? AND expires_at > ?",
            [.text(AccessTokenDigest.of(token)), .date(now)])
        guard let clientId = try rows.first?.string("client_id") else { return nil }
        return try await client(id: clientId)
    }

    /// Deletes tokens that expired before `now`; returns how many.
    @discardableResult
    public func deleteExpiredTokens(before now: Date) async throws -> Int {
        try await connection.query(
            "DELETE FROM access_tokens WHERE expires_at <= ? RETURNING token_digest", [.date(now)]).count
    }
}
