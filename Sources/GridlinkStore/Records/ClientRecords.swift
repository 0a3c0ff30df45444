import Foundation
import GridlinkCore

extension StoreSession {
    private static let clientColumns = "id, name, environment, api_version, created_at"

    /// Stores a new client with the hash of its secret.
    public func insertClient(_ client: APIClient, secret: SecretHash) async throws {
        try await connection.execute(
            """
            INSERT INTO api_clients (id, name, environment, api_version, secret_salt, secret_digest, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(client.id), .text(client.name), .text(client.environment.rawValue), .text(client.apiVersion.rawValue),
             .text(secret.salt), .text(secret.digest), .date(client.createdAt)])
    }

    /// The client with `id`, or nil.
    public func client(id: String) async throws -> APIClient? {
        try await connection.query("SELECT \(Self.clientColumns) FROM api_clients WHERE id = ?", [.text(id)])
            .first.map(Self.decodeClient)
    }

    /// Every client, oldest first.
    public func clients() async throws -> [APIClient] {
        try await connection.query("SELECT \(Self.clientColumns) FROM api_clients ORDER BY created_at, id", [])
            .map(Self.decodeClient)
    }

    /// The secrets that currently authenticate client `id`, or nil for an unknown client.
    public func credentials(clientId id: String) async throws -> ClientCredentials? {
        try await connection.query(
            """
            SELECT secret_salt, secret_digest, previous_salt, previous_digest, previous_expires_at
            FROM api_clients WHERE id = ?
            """, [.text(id)]
        ).first.map { row in
            let previous: SecretHash? = try row.optionalString("previous_digest").map {
                SecretHash(salt: try row.string("previous_salt"), digest: $0)
            }
            return ClientCredentials(
                current: SecretHash(salt: try row.string("secret_salt"), digest: try row.string("secret_digest")),
                previous: previous,
                previousExpiresAt: try row.optionalDate("previous_expires_at"))
        }
    }

    /// Makes `secret` the active secret; the old one keeps working until `graceUntil`. False for an unknown client.
    public func rotateSecret(clientId id: String, to secret: SecretHash, graceUntil: Date) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE api_clients SET previous_salt = secret_salt, previous_digest = secret_digest,
                previous_expires_at = ?, secret_salt = ?, secret_digest = ?
            WHERE id = ? RETURNING id
            """,
            [.date(graceUntil), .text(secret.salt), .text(secret.digest), .text(id)])
        return !rows.isEmpty
    }

    private static func decodeClient(_ row: SQLRow) throws -> APIClient {
        APIClient(
            id: try row.string("id"),
            name: try row.string("name"),
            environment: ClientEnvironment(rawValue: try row.string("environment")) ?? .sandbox,
            apiVersion: APIVersion(rawValue: try row.string("api_version")) ?? .current,
            createdAt: try row.date("created_at"))
    }
}
