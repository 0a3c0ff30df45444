import Foundation
import GridlinkCore

extension StoreSession {
    private static let webhookColumns = """
        seq, id, client_id, url, secret, events, api_version, auth_header_name, auth_header_value, is_active, failing_since, \
        last_success, created_at, standard_webhooks
        """

    /// Stores a new webhook; a duplicate URL for the client throws ``StoreError/uniqueViolation``.
    public func insertWebhook(_ webhook: Webhook) async throws {
        try await connection.execute(
            """
            INSERT INTO webhooks (id, client_id, url, secret, events, api_version, auth_header_name, auth_header_value, is_active,
                failing_since, last_success, standard_webhooks, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, try Self.webhookBinds(webhook) + [.date(webhook.createdAt)])
    }

    /// Replaces a webhook's settings and health.
    public func updateWebhook(_ webhook: Webhook) async throws {
        try await connection.execute(
            """
            UPDATE webhooks SET id = ?, client_id = ?, url = ?, secret = ?, events = ?, api_version = ?, auth_header_name = ?,
                auth_header_value = ?, is_active = ?, failing_since = ?, last_success = ?, standard_webhooks = ?
            WHERE id = ?
            """, try Self.webhookBinds(webhook) + [.text(webhook.id)])
    }

    /// The client's webhook with `id`, or nil.
    public func webhook(clientId: String, id: String) async throws -> Webhook? {
        try await connection.query("SELECT \(Self.webhookColumns) FROM webhooks WHERE client_id = ? AND id = ?", [.text(clientId), .text(id)])
            .first.map(Self.decodeWebhook)
    }

    /// The webhook with `id` regardless of client, for the dispatcher.
    public func webhook(id: String) async throws -> Webhook? {
        try await connection.query("SELECT \(Self.webhookColumns) FROM webhooks WHERE id = ?", [.text(id)]).first.map(Self.decodeWebhook)
    }

    /// One page of the client's webhooks, newest first.
    public func webhooks(clientId: String, page: PageRequest) async throws -> Page<Webhook> {
        try await Paginator(table: "webhooks", columns: Self.webhookColumns, filter: "client_id = ?", filterBinds: [.text(clientId)])
            .page(page, on: connection, decode: Self.decodeWebhook)
    }

    /// The client's active webhooks.
    public func activeWebhooks(clientId: String) async throws -> [Webhook] {
        try await connection.query("SELECT \(Self.webhookColumns) FROM webhooks WHERE client_id = ? AND is_active = 1 ORDER BY seq", [.text(clientId)])
            .map(Self.decodeWebhook)
    }

    /// Deletes a webhook, its queue and its delivery log; false when there was none.
    public func deleteWebhook(clientId: String, id: String) async throws -> Bool {
        let deleted = try await connection.query("DELETE FROM webhooks WHERE client_id = ? AND id = ? RETURNING id", [.text(clientId), .text(id)])
        guard !deleted.isEmpty else { return false }
        try await connection.execute("DELETE FROM webhook_deliveries WHERE webhook_id = ?", [.text(id)])
        try await connection.execute("DELETE FROM webhook_attempts WHERE webhook_id = ?", [.text(id)])
        return !deleted.isEmpty
    }

    /// Queues an outbox event for a webhook, due at `now`.
    public func enqueueDelivery(webhookId: String, event: OutboxEvent, at now: Date) async throws {
        try await connection.execute(
            """
            INSERT INTO webhook_deliveries (webhook_id, event_seq, event_name, payload, event_created_at, attempts, next_attempt_at)
            VALUES (?, ?, ?, ?, ?, 0, ?)
            """, [.text(webhookId), .integer(event.sequence), .text(event.name), .text(event.payload), .date(event.createdAt), .date(now)])
    }

    /// Webhooks with deliveries due at `now` and not claimed at `wallNow`. Per webhook the due index is read only
    /// up to the first such delivery, so the cost does not grow with the length of the queues.
    public func webhooksWithDueDeliveries(at now: Date, wallNow: Date, limit: Int) async throws -> [String] {
        try await connection.query(
            """
            SELECT id FROM webhooks WHERE EXISTS (
                SELECT 1 FROM webhook_deliveries
                WHERE webhook_id = webhooks.id AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
            )
            ORDER BY seq LIMIT ?
            """, [.date(now), .date(wallNow), .integer(Int64(limit))]
        ).map { try $0.string("id") }
    }

    /// Claims at most `limit` due deliveries of one webhook for `holder`: the earliest due first, in event order
    /// among those due together, returned in event order. This is the due index's order, so a claim reads about
    /// `limit` rows however long the queue is.
    public func claimDeliveries(webhookId: String, holder: String, limit: Int, at now: Date, claimUntil: Date, wallNow: Date) async throws -> [WebhookDelivery] {
        try await connection.query(
            """
            UPDATE webhook_deliveries SET claimed_by = ?, claimed_until = ?
            WHERE seq IN (
                SELECT seq FROM webhook_deliveries
                WHERE webhook_id = ? AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
                ORDER BY next_attempt_at, event_seq LIMIT ? \(dialect.skipLockedClause)
            )
            RETURNING seq, webhook_id, event_seq, event_name, payload, event_created_at, attempts
            """, [.text(holder), .date(claimUntil), .text(webhookId), .date(now), .date(wallNow), .integer(Int64(limit))]
        ).map { row in
            WebhookDelivery(
                sequence: try row.int("seq"), webhookId: try row.string("webhook_id"), eventSequence: try row.int("event_seq"),
                eventName: try row.string("event_name"), payload: try row.string("payload"),
                eventCreatedAt: try row.date("event_created_at"), attempts: Int(try row.int("attempts")))
        }.sorted { $0.eventSequence < $1.eventSequence }
    }

    /// Removes delivered events from the queue, in one statement.
    public func completeDeliveries(_ sequences: [Int64]) async throws {
        guard !sequences.isEmpty else { return }
        try await connection.execute("DELETE FROM webhook_deliveries WHERE seq IN (\(Self.placeholders(sequences.count)))", sequences.map { .integer($0) })
    }

    /// Releases failed deliveries for another attempt at `nextAttemptAt`, in one statement.
    public func retryDeliveries(_ sequences: [Int64], attempts: Int, nextAttemptAt: Date) async throws {
        guard !sequences.isEmpty else { return }
        try await connection.execute(
            """
            UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL
            WHERE seq IN (\(Self.placeholders(sequences.count)))
            """, [.integer(Int64(attempts)), .date(nextAttemptAt)] + sequences.map { .integer($0) })
    }

    /// Drops every queued delivery of a webhook (after its retry budget ran out).
    public func dropDeliveries(webhookId: String) async throws {
        try await connection.execute("DELETE FROM webhook_deliveries WHERE webhook_id = ?", [.text(webhookId)])
    }

    /// Events queued for a webhook.
    public func pendingDeliveryCount(webhookId: String) async throws -> Int {
        Int(try await connection.query("SELECT COUNT(*) AS queued FROM webhook_deliveries WHERE webhook_id = ?", [.text(webhookId)])[0].int("queued"))
    }

    private static func webhookBinds(_ webhook: Webhook) throws -> [SQLValue] {
        [
            .text(webhook.id), .text(webhook.clientId), .text(webhook.url), .text(webhook.secret),
            .text(String(decoding: try JSONEncoder().encode(webhook.events), as: UTF8.self)), .text(webhook.apiVersion?.rawValue),
            .text(webhook.authentication?.headerName), .text(webhook.authentication?.headerValue), .bool(webhook.isActive),
            .date(webhook.failingSince), .date(webhook.lastSuccess), .bool(webhook.standardWebhooks),
        ]
    }

    private static func decodeWebhook(_ row: SQLRow) throws -> Webhook {
        let authentication = try row.optionalString("auth_header_name").map {
            WebhookAuthentication(headerName: $0, headerValue: try row.optionalString("auth_header_value") ?? "")
        }
        return Webhook(
            id: try row.string("id"), clientId: try row.string("client_id"), url: try row.string("url"), secret: try row.string("secret"),
            events: try JSONDecoder().decode([String].self, from: Data(try row.string("events").utf8)),
            apiVersion: try row.optionalString("api_version").flatMap(APIVersion.init(rawValue:)), authentication: authentication,
            isActive: try row.bool("is_active"), failingSince: try row.optionalDate("failing_since"),
            lastSuccess: try row.date("last_success"), createdAt: try row.date("created_at"),
            standardWebhooks: try row.bool("standard_webhooks"))
    }
}

extension StoreSession {
    /// Logs a delivery attempt and trims the webhook's log to ``WebhookAttempt/retention`` entries.
    public func logAttempt(_ attempt: WebhookAttempt) async throws {
        try await connection.execute(
            """
            INSERT INTO webhook_attempts (webhook_id, delivery_id, attempted_at, events, status_code, error, latency_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(attempt.webhookId), .text(attempt.deliveryId), .date(attempt.attemptedAt),
             .text(String(decoding: try JSONEncoder().encode(attempt.events), as: UTF8.self)),
             attempt.statusCode.map { .integer(Int64($0)) } ?? .null, .text(attempt.error), .integer(Int64(attempt.latencyMilliseconds))])
        try await connection.execute(
            """
            DELETE FROM webhook_attempts WHERE webhook_id = ? AND seq <= (
                SELECT seq FROM webhook_attempts WHERE webhook_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)
            """, [.text(attempt.webhookId), .text(attempt.webhookId), .integer(Int64(WebhookAttempt.retention))])
    }

    /// One page of a webhook's delivery log, newest first.
    public func attempts(webhookId: String, page: PageRequest) async throws -> Page<WebhookAttempt> {
        try await Paginator(
            table: "webhook_attempts", columns: "seq, webhook_id, delivery_id, attempted_at, events, status_code, error, latency_ms",
            filter: "webhook_id = ?", filterBinds: [.text(webhookId)]
        ).page(page, on: connection) { row in
            WebhookAttempt(
                deliveryId: try row.string("delivery_id"), webhookId: try row.string("webhook_id"), attemptedAt: try row.date("attempted_at"),
                events: try JSONDecoder().decode([String].self, from: Data(try row.string("events").utf8)),
                statusCode: try row.optionalInt("status_code").map(Int.init),
                error: try row.optionalString("error"), latencyMilliseconds: Int(try row.int("latency_ms")))
        }
    }

    /// Active webhooks whose last heartbeat is older than `before` (or that never had one).
    public func webhooksDueHeartbeat(before: Date) async throws -> [String] {
        try await connection.query(
            "SELECT id FROM webhooks WHERE is_active = 1 AND (last_heartbeat_at IS NULL OR last_heartbeat_at <= ?) ORDER BY seq LIMIT 100",
            [.date(before)]
        ).map { try $0.string("id") }
    }

    /// Records that a heartbeat went out at `at`.
    public func markHeartbeat(webhookId: String, at: Date) async throws {
        try await connection.execute("UPDATE webhooks SET last_heartbeat_at = ? WHERE id = ?", [.date(at), .text(webhookId)])
    }
}
