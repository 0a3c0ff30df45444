import CoreMetrics
import Foundation
import GridlinkCore
import GridlinkStore
import Prometheus
import Synchronization

/// This server's metrics in the Prometheus text format: counters and duration histograms recorded as work happens
/// (through swift-metrics, backed by swift-prometheus), and gauges read when `/metrics` is scraped.
///
/// Each server has its own registry (several servers run in one test process), so metrics are created with an explicit
/// factory rather than through the global `MetricsSystem`.
public final class ServerMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let connections = Mutex<(@Sendable () -> Int)?>(nil)

    /// An empty registry with buckets from 0.5 ms to 10 s.
    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets =
            [.microseconds(500), .milliseconds(1), .microseconds(2_500)] + factory.defaultDurationHistogramBuckets
        self.factory = factory
    }

    /// Records an answered HTTP request under its route template (`/vehicles/{vehicleId}`, or `unmatched`).
    func httpRequest(method: String, route: String, status: Int, duration: Duration) {
        let statusClass = "\(status / 100)xx"
        Counter(label: "gridlink_http_requests_total", dimensions: [("method", method), ("route", route), ("status_class", statusClass)],
                factory: factory).increment()
        CoreMetrics.Timer(label: "gridlink_http_request_duration_seconds", dimensions: [("method", method), ("route", route)], factory: factory)
            .record(duration: duration)
    }

    /// Records one webhook delivery attempt: `outcome` is `delivered` or `failed`.
    func webhookDelivery(outcome: String, events: Int, duration: Duration) {
        Counter(label: "gridlink_webhook_deliveries_total", dimensions: [("outcome", outcome)], factory: factory).increment()
        Counter(label: "gridlink_webhook_events_total", dimensions: [("outcome", outcome)], factory: factory).increment(by: events)
        CoreMetrics.Timer(label: "gridlink_webhook_delivery_duration_seconds", factory: factory).record(duration: duration)
    }

    /// Records one sync of a vendor account: `outcome` is `ok` or `failed`.
    func deviceSync(outcome: String, duration: Duration) {
        Counter(label: "gridlink_device_syncs_total", dimensions: [("outcome", outcome)], factory: factory).increment()
        CoreMetrics.Timer(label: "gridlink_device_sync_duration_seconds", factory: factory).record(duration: duration)
    }

    /// Records how long one round of a background service took and how late it started.
    func backgroundRound(service: String, duration: Duration, lag: Duration) {
        CoreMetrics.Timer(label: "gridlink_background_round_duration_seconds", dimensions: [("service", service)], factory: factory).record(duration: duration)
        Gauge(label: "gridlink_background_round_lag_seconds", dimensions: [("service", service)], factory: factory).record(lag.seconds)
    }

    /// Records one catch-up of the sandbox world with its clock.
    func sandboxTick(duration: Duration) {
        CoreMetrics.Timer(label: "gridlink_sandbox_tick_duration_seconds", factory: factory).record(duration: duration)
    }

    /// Lets the scrape read how many connections are open.
    func observeConnections(_ count: @escaping @Sendable () -> Int) {
        connections.withLock { $0 = count }
    }

    /// The text exposition: sets the gauges read at scrape time from `store` and the connection count, then renders all.
    func exposition(store: StoreGauges) -> String {
        if let open = connections.withLock({ $0 }) {
            Gauge(label: "gridlink_http_open_connections", factory: factory).record(open())
        }
        Gauge(label: "gridlink_outbox_backlog_events", factory: factory).record(store.outboxBacklog)
        Gauge(label: "gridlink_webhook_queued_deliveries", factory: factory).record(store.queuedDeliveries)
        var actions: [String: [String: Int]] = [:]
        for (storedKind, states) in store.actions {
            let kind = (try? JSONDecoder().decode(ActionKind.self, from: Data(storedKind.utf8)))?.category ?? "UNKNOWN"
            for (state, count) in states { actions[kind, default: [:]][state, default: 0] += count }
        }
        for (kind, states) in actions {
            for (state, count) in states {
                Gauge(label: "gridlink_actions", dimensions: [("kind", kind), ("state", state)], factory: factory).record(count)
            }
        }
        return registry.emitToString()
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
