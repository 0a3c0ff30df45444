import GridlinkCore

/// Keyset pagination over a table's monotonic `seq` column, newest first.
///
/// Positions are sequence numbers, so rows inserted while a client pages are never
/// skipped or repeated: they only ever appear before the first page.
struct Paginator {
    /// Table to page through.
    let table: String
    /// Columns to select (must include `seq`).
    let columns: String
    /// Filter applied to every query, with `?` placeholders.
    let filter: String
    /// Values for the filter's placeholders.
    let filterBinds: [SQLValue]

    /// Fetches one page and decodes its rows.
    func page<Item: Sendable>(
        _ request: PageRequest, on connection: any SQLConnection, decode: (SQLRow) throws -> Item
    ) async throws -> Page<Item> {
        let limit = SQLValue.integer(Int64(request.size + 1))
        var rows: [SQLRow]
        switch request.position {
        case .first:
            rows = try await connection.query(
                "SELECT \(columns) FROM \(table) WHERE \(filter) ORDER BY seq DESC LIMIT ?", filterBinds + [limit])
        case .after(let position):
            rows = try await connection.query(
                "SELECT \(columns) FROM \(table) WHERE \(filter) AND seq < ? ORDER BY seq DESC LIMIT ?",
                filterBinds + [.integer(position), limit])
        case .before(let position):
            rows = try await connection.query(
                "SELECT \(columns) FROM \(table) WHERE \(filter) AND seq > ? ORDER BY seq ASC LIMIT ?",
                filterBinds + [.integer(position), limit])
        }
        let hasMoreInDirection = rows.count > request.size
        rows = Array(rows.prefix(request.size))
        if case .before = request.position { rows.reverse() }
        let sequences = try rows.map { try $0.int("seq") }
        let items = try rows.map(decode)
        guard let newest = sequences.first, let oldest = sequences.last else {
            return Page(items: items, after: nil, before: nil)
        }
        let hasOlder: Bool
        let hasNewer: Bool
        switch request.position {
        case .first:
            hasOlder = hasMoreInDirection
            hasNewer = false
        case .after:
            hasOlder = hasMoreInDirection
            hasNewer = try await exists("seq > ?", newest, on: connection)
        case .before:
            hasNewer = hasMoreInDirection
            hasOlder = try await exists("seq < ?", oldest, on: connection)
        }
        return Page(
            items: items,
            after: hasOlder ? PageCursor.encode(oldest) : nil,
            before: hasNewer ? PageCursor.encode(newest) : nil)
    }

    private func exists(_ condition: String, _ position: Int64, on connection: any SQLConnection) async throws -> Bool {
        let rows = try await connection.query(
            "SELECT seq FROM \(table) WHERE \(filter) AND \(condition) LIMIT 1", filterBinds + [.integer(position)])
        return !rows.isEmpty
    }
}
