import Foundation

/// A value bound into or read out of a SQL statement, common to both backends.
public enum SQLValue: Sendable, Equatable {
    /// SQL NULL.
    case null
    /// A 64-bit integer (also used for booleans and millisecond timestamps).
    case integer(Int64)
    /// A double-precision number.
    case real(Double)
    /// A text value.
    case text(String)

    /// Binds an optional string, mapping nil to NULL.
    public static func text(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }

    /// Binds a date as integer milliseconds since 1970.
    public static func date(_ value: Date) -> SQLValue { .integer(Int64((value.timeIntervalSince1970 * 1000).rounded())) }

    /// Binds an optional date, mapping nil to NULL.
    public static func date(_ value: Date?) -> SQLValue { value.map { date($0) } ?? .null }

    /// Binds an optional number, mapping nil to NULL.
    public static func real(_ value: Double?) -> SQLValue { value.map { .real($0) } ?? .null }

    /// Binds a boolean as 0 or 1.
    public static func bool(_ value: Bool) -> SQLValue { .integer(value ? 1 : 0) }
}

/// One result row, addressed by column name.
public struct SQLRow: Sendable {
    private let values: [String: SQLValue]

    /// Creates a row from column names and values.
    public init(_ values: [String: SQLValue]) {
        self.values = values
    }

    /// The raw value of `column`, NULL when absent.
    public subscript(column: String) -> SQLValue { values[column] ?? .null }

    /// `column` as a non-null string.
    public func string(_ column: String) throws -> String {
        guard case .text(let value) = self[column] else { throw StoreError.unexpectedValue(column) }
        return value
    }

    /// `column` as a string, nil for NULL.
    public func optionalString(_ column: String) throws -> String? {
        if case .null = self[column] { return nil }
        return try string(column)
    }

    /// `column` as a non-null integer.
    public func int(_ column: String) throws -> Int64 {
        guard case .integer(let value) = self[column] else { throw StoreError.unexpectedValue(column) }
        return value
    }

    /// `column` as an integer, nil for NULL.
    public func optionalInt(_ column: String) throws -> Int64? {
        if case .null = self[column] { return nil }
        return try int(column)
    }

    /// A REAL/DOUBLE column (integers are widened).
    public func double(_ column: String) throws -> Double {
        switch self[column] {
        case .real(let value): return value
        case .integer(let value): return Double(value)
        default: throw StoreError.unexpectedValue(column)
        }
    }

    /// `column` as a number, nil for NULL.
    public func optionalDouble(_ column: String) throws -> Double? {
        if case .null = self[column] { return nil }
        return try double(column)
    }

    /// `column` as a boolean stored as 0/1.
    public func bool(_ column: String) throws -> Bool { try int(column) != 0 }

    /// `column` as a date stored in milliseconds.
    public func date(_ column: String) throws -> Date {
        Date(timeIntervalSince1970: Double(try int(column)) / 1000)
    }

    /// `column` as a date, nil for NULL.
    public func optionalDate(_ column: String) throws -> Date? {
        if case .null = self[column] { return nil }
        return try date(column)
    }
}

/// Failures of the storage layer that callers may handle.
public enum StoreError: Error, Sendable, Equatable {
    /// A unique constraint rejected the write.
    case uniqueViolation
    /// A column held a value of an unexpected type.
    case unexpectedValue(String)
    /// The database URL could not be understood.
    case invalidDatabaseURL(String)
    /// A text value the database cannot store (PostgreSQL rejects NUL characters).
    case unstorableText
    /// Another server process already serves this SQLite database (see ``ServingLock``).
    case databaseInUse(String)
}
