import Foundation
import Logging
import NIOSSL
import PostgresNIO
import ServiceLifecycle

/// The PostgreSQL backend (PostgresNIO's pooled `PostgresClient`), for several server processes on one database.
public final class PostgresDatabase: SQLDatabase {
    /// Always ``SQLDialect/postgres``.
    public let dialect = SQLDialect.postgres
    private let client: PostgresClient
    private let logger: Logger
    /// Opens when ``run()`` starts the pool; queries wait for it rather than reach a pool that is not running yet.
    private let started = StartGate()
    /// The URL the database was opened with.
    public let url: String

    /// Connects lazily to the database named by a `postgres://user:password@host:port/database` URL.
    ///
    /// Query items: `sslmode` (`disable`, `prefer` (default), `require`) and `search_path`.
    public init(url: String, logger: Logger) throws {
        self.client = PostgresClient(configuration: try Self.configuration(from: url), backgroundLogger: logger)
        self.logger = logger
        self.url = url
    }

    /// Runs the connection pool until the service group shuts down.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            self.started.open()
            await self.client.run()
        }
    }

    /// Runs `body` on a pooled connection.
    public func read<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        await started.wait()
        return try await client.withConnection { connection in
            try await body(PostgresSQLConnection(connection: connection, logger: self.logger))
        }
    }

    /// Runs `body` between `BEGIN` and `COMMIT` on one pooled connection.
    public func transaction<T: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        await started.wait()
        return try await client.withConnection { connection in
            try await PostgresSQLConnection(connection: connection, logger: self.logger).inTransaction(body)
        }
    }

    static func configuration(from url: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url),
              ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty,
              let user = components.user
        else { throw StoreError.invalidDatabaseURL("expected postgres://user[:password]@host[:port]/database") }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let tls: PostgresClient.Configuration.TLS
        switch query["sslmode"] ?? "prefer" {
        case "disable": tls = .disable
        case "prefer": tls = .prefer(.makeClientConfiguration())
        case "require": tls = .require(.makeClientConfiguration())
        case let other: throw StoreError.invalidDatabaseURL("unsupported sslmode \(other)")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        var configuration = PostgresClient.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: user.removingPercentEncoding ?? user,
            password: components.password?.removingPercentEncoding,
            database: database.isEmpty ? nil : database,
            tls: tls
        )
        if let searchPath = query["search_path"] {
            configuration.options.additionalStartupParameters = [("search_path", searchPath)]
        }
        return configuration
    }
}

/// One PostgreSQL connection speaking the shared `?`-placeholder SQL.
private struct PostgresSQLConnection: SQLConnection {
    let connection: PostgresConnection
    let logger: Logger

    func execute(_ sql: String, _ binds: [SQLValue]) async throws {
        _ = try await query(sql, binds)
    }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let int): bindings.append(int)
            case .real(let double): bindings.append(double)
            case .text(let string): bindings.append(string)
            }
        }
        do {
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: Self.numberedPlaceholders(sql), binds: bindings), logger: logger)
            var result: [SQLRow] = []
            for try await row in rows {
                var values: [String: SQLValue] = [:]
                for cell in row {
                    values[cell.columnName] = try Self.value(of: cell)
                }
                result.append(SQLRow(values))
            }
            return result
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw StoreError.uniqueViolation
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "22021" {
            throw StoreError.unstorableText
        }
    }

    private static func value(of cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        default: return .text(try cell.decode(String.self))
        }
    }

    /// Rewrites `?` placeholders (outside quoted literals) as `$1`, `$2`, ….
    static func numberedPlaceholders(_ sql: String) -> String {
        var result = ""
        var index = 0
        var inLiteral = false
        for character in sql {
            if character == "'" { inLiteral.toggle() }
            if character == "?" && !inLiteral {
                index += 1
                result += "$\(index)"
            } else {
                result.append(character)
            }
        }
        return result
    }
}
