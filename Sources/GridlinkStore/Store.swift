import Foundation
import Logging

/// Gridlink's persistence: domain operations over either SQL backend.
public struct Store: Sendable {
    /// What a caller waited for: a connection to read on, or the writer for a transaction.
    public enum Access: String, Sendable {
        case read, write
    }

    /// The backend the store runs on; a lifecycle service that must be running while the store is used.
    public let database: any SQLDatabase
    /// Told how long each read or transaction waited before its first statement could run (a pool connection on
    /// PostgreSQL, the single writer on SQLite).
    public var waitObserver: (@Sendable (Access, Duration) -> Void)?

    /// Creates a store over an opened backend.
    public init(database: any SQLDatabase) {
        self.database = database
    }

    /// Opens the backend a URL names: `postgres://…` for PostgreSQL, `sqlite:PATH` or a plain path for SQLite.
    public static func open(url: String, logger: Logger) throws -> Store {
        guard let path = try sqlitePath(of: url) else { return Store(database: try PostgresDatabase(url: url, logger: logger)) }
        return Store(database: try SQLiteDatabase(path: path))
    }

    /// The SQLite file a database URL names (a path, `sqlite:path` or `sqlite://path`), or nil for a PostgreSQL URL.
    public static func sqlitePath(of url: String) throws -> String? {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") { return nil }
        var path = url
        if path.hasPrefix("sqlite://") { path.removeFirst("sqlite://".count) } else if path.hasPrefix("sqlite:") { path.removeFirst("sqlite:".count) }
        guard !path.isEmpty else { throw StoreError.invalidDatabaseURL("empty SQLite path") }
        return path
    }

    /// Runs read-only operations.
    @discardableResult
    public func read<T: Sendable>(_ body: @Sendable (StoreSession) async throws -> T) async throws -> T {
        let dialect = database.dialect
        let requested = ContinuousClock.now
        return try await database.read { [waitObserver] in
            waitObserver?(.read, ContinuousClock.now - requested)
            return try await body(StoreSession(connection: $0, dialect: dialect))
        }
    }

    /// Runs operations in one transaction: state changes and the outbox events they cause commit together.
    @discardableResult
    public func write<T: Sendable>(_ body: @Sendable (StoreSession) async throws -> T) async throws -> T {
        let dialect = database.dialect
        let requested = ContinuousClock.now
        return try await database.transaction { [waitObserver] in
            waitObserver?(.write, ContinuousClock.now - requested)
            return try await body(StoreSession(connection: $0, dialect: dialect))
        }
    }

    /// Deletes in short transactions: runs `deleteChunk` (which deletes at most `chunk` rows and says how many) until a
    /// chunk comes back short, so a large backlog never holds the writer for long; returns the total deleted.
    @discardableResult
    public func deleteInChunks(of chunk: Int, _ deleteChunk: @escaping @Sendable (StoreSession, Int) async throws -> Int) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await write { try await deleteChunk($0, chunk) }
            total += deleted
            if deleted < chunk { return total }
        }
    }

    /// Applies pending schema migrations.
    @discardableResult
    public func migrate(at now: Date) async throws -> [Int64] {
        try await Migrator(database: database).migrate(at: now)
    }
}

/// The operations available on one connection (inside a transaction when obtained from ``Store/write(_:)``).
public struct StoreSession: Sendable {
    let connection: any SQLConnection
    let dialect: SQLDialect
}

extension StoreSession {
    /// Round-trips a trivial query; throws when the database cannot be reached.
    public func ping() async throws {
        _ = try await connection.query("SELECT 1 AS one", [])
    }
}

extension Store {
    /// Runs the backend's service for the duration of `body`, for one-shot commands and tests outside a service group.
    public func whileRunning<T: Sendable>(_ body: @Sendable (Store) async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.database.run() }
            defer { group.cancelAll() }
            return try await body(self)
        }
    }
}
