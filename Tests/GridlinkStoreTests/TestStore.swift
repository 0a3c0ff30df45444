import Foundation
import GridlinkCore
import GridlinkStore
import Logging

/// A store backend the shared suite runs against.
enum TestBackend: CustomStringConvertible, Sendable {
    case sqlite
    case postgres(String)

    /// SQLite always; PostgreSQL when `GRIDLINK_TEST_POSTGRES_URL` is set.
    static var available: [TestBackend] {
        var backends: [TestBackend] = [.sqlite]
        if let url = ProcessInfo.processInfo.environment["GRIDLINK_TEST_POSTGRES_URL"], !url.isEmpty {
            backends.append(.postgres(url))
        }
        return backends
    }

    var description: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        }
    }
}

/// Runs `body` with a freshly migrated, empty store on `backend`, then tears it down.
func withTestStore(
    _ backend: TestBackend, clock: ManualClock = ManualClock(), _ body: @Sendable (Store) async throws -> Void
) async throws {
    let logger = Logger(label: "test-store")
    switch backend {
    case .sqlite:
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gridlink-\(UUID().uuidString).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        try await running(Store(database: try SQLiteDatabase(path: path)), clock: clock, body)
    case .postgres(let url):
        let schema = "test_" + RandomToken.hex(bytes: 6)
        let admin = Store(database: try PostgresDatabase(url: url, logger: logger))
        try await running(admin, clock: clock, migrate: false) { admin in
            try await admin.database.transaction { try await $0.execute("CREATE SCHEMA \(schema)") }
        }
        let separator = url.contains("?") ? "&" : "?"
        do {
            try await running(Store(database: try PostgresDatabase(url: url + separator + "search_path=\(schema)", logger: logger)), clock: clock, body)
        } catch {
            try? await dropSchema(schema, url: url)
            throw error
        }
        try await dropSchema(schema, url: url)
    }
}

/// Runs `body` with a second store on the same database as `store` (the same SQLite file or PostgreSQL schema)
/// through its own connection pool, as a second server process would have.
func withSecondStore(like store: Store, _ body: @Sendable (Store) async throws -> Void) async throws {
    let second: Store
    switch store.database {
    case let sqlite as SQLiteDatabase: second = Store(database: try SQLiteDatabase(path: sqlite.path))
    case let postgres as PostgresDatabase: second = Store(database: try PostgresDatabase(url: postgres.url, logger: Logger(label: "second-store")))
    default: throw StoreError.invalidDatabaseURL("unknown backend")
    }
    try await second.whileRunning(body)
}

private func dropSchema(_ schema: String, url: String) async throws {
    let admin = Store(database: try PostgresDatabase(url: url, logger: Logger(label: "test-store")))
    try await running(admin, clock: ManualClock(), migrate: false) { admin in
        try await admin.database.transaction { try await $0.execute("DROP SCHEMA \(schema) CASCADE") }
    }
}

private func running(
    _ store: Store, clock: ManualClock, migrate: Bool = true, _ body: @Sendable (Store) async throws -> Void
) async throws {
    try await store.whileRunning { store in
        if migrate { try await store.migrate(at: clock.now()) }
        try await body(store)
    }
}
