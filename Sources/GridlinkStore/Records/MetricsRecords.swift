import Foundation

/// What the store holds that an operator watches, read when `/metrics` is scraped.
public struct StoreGauges: Sendable, Equatable {
    /// Outbox events not yet fanned out to webhooks.
    public var outboxBacklog: Int
    /// Webhook deliveries waiting to be sent or retried.
    public var queuedDeliveries: Int
    /// Actions by kind and state, e.g. `["START": ["CONFIRMED": 3]]`.
    public var actions: [String: [String: Int]]
}

extension StoreSession {
    /// Reads the store's gauges in three aggregate queries.
    public func gauges() async throws -> StoreGauges {
        let backlog = try await connection.query("SELECT COUNT(*) AS n FROM outbox_events WHERE processed_at IS NULL", [])[0].int("n")
        let queued = try await connection.query("SELECT COUNT(*) AS n FROM webhook_deliveries", [])[0].int("n")
        var actions: [String: [String: Int]] = [:]
        for row in try await connection.query("SELECT kind, state, COUNT(*) AS n FROM actions GROUP BY kind, state", []) {
            actions[try row.string("kind"), default: [:]][try row.string("state")] = Int(try row.int("n"))
        }
        return StoreGauges(outboxBacklog: Int(backlog), queuedDeliveries: Int(queued), actions: actions)
    }
}
