import ServiceLifecycle

/// The SQL differences between the backends that shared queries must account for.
public enum SQLDialect: Sendable {
    /// Embedded SQLite.
    case sqlite
    /// PostgreSQL server.
    case postgres

    /// Column type of an auto-incrementing 64-bit primary key.
    var autoIncrementPrimaryKey: String {
        switch self {
        case .sqlite: "INTEGER PRIMARY KEY AUTOINCREMENT"
        case .postgres: "BIGSERIAL PRIMARY KEY"
        }
    }

    /// Clause that makes concurrent claimers skip rows another transaction holds.
    var skipLockedClause: String {
        switch self {
        case .sqlite: ""
        case .postgres: "FOR UPDATE SKIP LOCKED"
        }
    }
}

/// Executes statements on one connection; inside ``SQLDatabase/transaction(_:)`` all of them commit together.
public protocol SQLConnection: Sendable {
    /// Runs a statement that returns no rows. `?` marks each bound value.
    func execute(_ sql: String, _ binds: [SQLValue]) async throws
    /// Runs a query and returns all its rows. `?` marks each bound value.
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
}

extension SQLConnection {
    /// Runs a statement without bound values.
    public func execute(_ sql: String) async throws { try await execute(sql, []) }
}

/// A SQL backend: a pool of connections, a dialect, and a lifecycle service that keeps it running.
public protocol SQLDatabase: Service {
    /// The backend's dialect.
    var dialect: SQLDialect { get }
    /// Runs `body` with a connection for reads (no transaction).
    func read<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T
}

extension SQLConnection {
    /// Runs `body` between `begin` and `COMMIT` on this connection, rolling back when it throws. The rollback runs in
    /// a task of its own, so a cancelled caller (whose statements the driver refuses) does not leave the transaction open.
    func inTransaction<T: Sendable>(
        begin: String = "BEGIN", _ body: @Sendable (any SQLConnection) async throws -> T
    ) async throws -> T {
        try await execute(begin)
        do {
            let value = try await body(self)
            try await execute("COMMIT")
            return value
        } catch {
            try? await Task { try await execute("ROLLBACK") }.value
            throw error
        }
    }
}
