import Foundation
import GridlinkCore

extension StoreSession {
    /// Appends an event; call inside the ``Store/write(_:)`` that makes the state change it reports.
    @discardableResult
    public func appendEvent(_ event: NewOutboxEvent, at now: Date) async throws -> Int64 {
        let rows = try await connection.query(
            "INSERT INTO outbox_events (client_id, user_id, name, payload, created_at) VALUES (?, ?, ?, ?, ?) RETURNING seq",
            [.text(event.clientId), .text(event.userId), .text(event.name), .text(event.payload), .date(now)])
        return try rows[0].int("seq")
    }

    /// Claims up to `limit` unprocessed events for `holder` until `claimUntil`, oldest first.
    ///
    /// Events claimed by another holder whose claim has not lapsed at `now` are skipped, so
    /// concurrent processes never receive the same event while a claim is live.
    public func claimEvents(holder: String, limit: Int, claimUntil: Date, at now: Date) async throws -> [OutboxEvent] {
        let rows = try await connection.query(
            """
            UPDATE outbox_events SET claimed_by = ?, claimed_until = ?
            WHERE seq IN (
                SELECT seq FROM outbox_events
                WHERE processed_at IS NULL AND (claimed_until IS NULL OR claimed_until <= ?)
                ORDER BY seq LIMIT ? \(dialect.skipLockedClause)
            )
            RETURNING seq, client_id, user_id, name, payload, created_at
            """,
            [.text(holder), .date(claimUntil), .date(now), .integer(Int64(limit))])
        return try rows.map(Self.decodeOutboxEvent).sorted { $0.sequence < $1.sequence }
    }

    /// Marks events as processed by `holder`; events whose claim moved to another holder are left alone.
    @discardableResult
    public func completeEvents(_ sequences: [Int64], holder: String, at now: Date) async throws -> Int {
        guard !sequences.isEmpty else { return 0 }
        return try await connection.query(
            "UPDATE outbox_events SET processed_at = ? WHERE claimed_by = ? AND seq IN (\(Self.placeholders(sequences.count))) RETURNING seq",
            [.date(now), .text(holder)] + sequences.map { .integer($0) }).count
    }

    /// Every event of a client still in the outbox, processed or not, oldest first.
    public func outboxEvents(clientId: String) async throws -> [OutboxEvent] {
        try await connection.query(
            "SELECT seq, client_id, user_id, name, payload, created_at FROM outbox_events WHERE client_id = ? ORDER BY seq",
            [.text(clientId)]
        ).map(Self.decodeOutboxEvent)
    }

    private static func decodeOutboxEvent(_ row: SQLRow) throws -> OutboxEvent {
        OutboxEvent(
            sequence: try row.int("seq"), clientId: try row.string("client_id"), userId: try row.optionalString("user_id"),
            name: try row.string("name"), payload: try row.string("payload"), createdAt: try row.date("created_at"))
    }

    /// Up to `limit` events of a client with a sequence above `after`, oldest first (the live event stream's read).
    public func outboxEvents(clientId: String, after: Int64, limit: Int) async throws -> [OutboxEvent] {
        try await connection.query(
            "SELECT seq, client_id, user_id, name, payload, created_at FROM outbox_events WHERE client_id = ? AND seq > ? ORDER BY seq LIMIT ?",
            [.text(clientId), .integer(after), .integer(Int64(limit))]
        ).map(Self.decodeOutboxEvent)
    }

    /// The highest sequence handed out so far among stored events (0 when the outbox is empty).
    public func latestEventSequence() async throws -> Int64 {
        try await connection.query("SELECT seq FROM outbox_events ORDER BY seq DESC LIMIT 1", []).first?.int("seq") ?? 0
    }

    /// Deletes up to `limit` events processed before `before` that no webhook still has queued (delivered or
    /// dropped everywhere), oldest first; returns how many. Unprocessed events are never deleted.
    @discardableResult
    public func pruneProcessedEvents(before: Date, limit: Int) async throws -> Int {
        try await connection.query(
            """
            DELETE FROM outbox_events WHERE seq IN (
                SELECT seq FROM outbox_events
                WHERE processed_at < ? AND seq NOT IN (SELECT event_seq FROM webhook_deliveries)
                ORDER BY seq LIMIT ?
            )
            RETURNING seq
            """, [.date(before), .integer(Int64(limit))]).count
    }

    /// Whether any event awaits processing: one index entry read, cheap enough to poll often.
    public func hasUnprocessedEvents() async throws -> Bool {
        try await !connection.query("SELECT seq FROM outbox_events WHERE processed_at IS NULL LIMIT 1", []).isEmpty
    }

    /// Number of events not yet processed.
    public func pendingEventCount() async throws -> Int {
        try await connection.query("SELECT seq FROM outbox_events WHERE processed_at IS NULL", []).count
    }
}

extension StoreSession {
    /// `?, ?, …` for `count` bound values (an `IN` list).
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
