import Foundation

/// Applies pending migrations exactly once, even when several processes start together.
public struct Migrator: Sendable {
    private let database: any SQLDatabase

    /// Creates a migrator for `database`.
    public init(database: any SQLDatabase) {
        self.database = database
    }

    /// Applies every migration not yet recorded and returns the versions it applied.
    @discardableResult
    public func migrate(at now: Date) async throws -> [Int64] {
        let dialect = database.dialect
        return try await database.transaction { connection in
            if dialect == .postgres {
                // Serializes concurrent migrators across processes until this transaction ends.
                try await connection.execute("SELECT pg_advisory_xact_lock(4711001)")
            }
            try await connection.execute("""
                CREATE TABLE IF NOT EXISTS gridlink_migrations (
                    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """)
            let applied = Set(try await connection.query("SELECT version FROM gridlink_migrations", [])
                .map { try $0.int("version") })
            var newlyApplied: [Int64] = []
            for migration in SchemaHistory.migrations where !applied.contains(migration.version) {
                for statement in migration.statements(dialect) {
                    try await connection.execute(statement)
                }
                try await connection.execute(
                    "INSERT INTO gridlink_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [.integer(migration.version), .text(migration.name), .date(now)])
                newlyApplied.append(migration.version)
            }
            return newlyApplied
        }
    }

    /// The latest migration version this build knows.
    public static var latestVersion: Int64 { SchemaHistory.migrations.map(\.version).max() ?? 0 }
}
