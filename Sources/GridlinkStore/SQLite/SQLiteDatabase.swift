import Foundation
import GRDB
import ServiceLifecycle

/// The embedded SQLite backend (GRDB, WAL mode): concurrent readers, one serialized writer.
public final class SQLiteDatabase: SQLDatabase {
    /// Always ``SQLDialect/sqlite``.
    public let dialect = SQLDialect.sqlite
    private let pool: DatabasePool
    private let writeLock = AsyncLock()
    /// The database file.
    public let path: String

    /// Opens (creating if needed) the database file at `path`.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        // Transactions span several async statements on the writer, guarded by `writeLock`.
        configuration.allowsUnsafeTransactions = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
    }

    /// Nothing to run: SQLite needs no background work. Returns when the service group shuts down.
    public func run() async throws {
        try? await gracefulShutdown()
    }

    /// Runs `body` against reader connections.
    public func read<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await body(SQLiteConnection(pool: pool, role: .reader))
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT` on the single writer connection.
    public func transaction<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        let writer = SQLiteConnection(pool: pool, role: .writer)
        return try await writeLock.withLock {
            try await writer.inTransaction(begin: "BEGIN IMMEDIATE", body)
        }
    }
}

/// Statement execution shared by the reader and writer connections.
private enum SQLiteStatement {
    static func arguments(_ binds: [SQLValue]) -> StatementArguments {
        StatementArguments(binds.map { value -> (any DatabaseValueConvertible)? in
            switch value {
            case .null: nil
            case .integer(let int): int
            case .real(let double): double
            case .text(let string): string
            }
        })
    }

    static func rows(_ db: Database, _ sql: String, _ binds: [SQLValue]) throws -> [SQLRow] {
        do {
            return try Row.fetchAll(db, sql: sql, arguments: arguments(binds)).map { row in
                var values: [String: SQLValue] = [:]
                for (column, value) in zip(row.columnNames, row.databaseValues) {
                    switch value.storage {
                    case .null: values[column] = .null
                    case .int64(let int): values[column] = .integer(int)
                    case .double(let double): values[column] = .real(double)
                    case .string(let string): values[column] = .text(string)
                    case .blob(let data): values[column] = .text(String(decoding: data, as: UTF8.self))
                    }
                }
                return SQLRow(values)
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
            || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw StoreError.uniqueViolation
        }
    }
}

/// Statements on the pool: concurrent readers, or the single writer whose transaction stays open across calls.
private struct SQLiteConnection: SQLConnection {
    enum Role { case reader, writer }
    let pool: DatabasePool
    let role: Role

    func execute(_ sql: String, _ binds: [SQLValue]) async throws {
        _ = try await query(sql, binds)
    }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        switch role {
        case .reader: try await pool.read { db in try SQLiteStatement.rows(db, sql, binds) }
        case .writer: try await pool.writeWithoutTransaction { db in try SQLiteStatement.rows(db, sql, binds) }
        }
    }
}
