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
    /// Metrics made so far, one per label set, so recording never asks the factory again.
    private let made = Mutex<[String: any Sendable]>([:])

    /// An empty registry with buckets from 0.5 ms to 10 s.
    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets =
            [.microseconds(500), .milliseconds(1), .microseconds(2_500)] + factory.defaultDurationHistogramBuckets
        self.factory = factory
    }

    /// The metric `label` with `dimensions`, made by `make` the first time.
    private func metric<Metric: Sendable>(
        _ label: String, _ dimensions: [(String, String)],
        make: (String, [(String, String)], PrometheusMetricsFactory) -> Metric
    ) -> Metric {
        let key = ([label] + dimensions.map { "\($0.0)=\($0.1)" }).joined(separator: "|")
        return made.withLock { cache in
            if let existing = cache[key] as? Metric { return existing }
            let metric = make(label, dimensions, factory)
            cache[key] = metric
            return metric
        }
    }

    private func counter(_ label: String, _ dimensions: [(String, String)] = []) -> CoreMetrics.Counter {
        metric(label, dimensions) { CoreMetrics.Counter(label: $0, dimensions: $1, factory: $2) }
    }

    private func timer(_ label: String, _ dimensions: [(String, String)] = []) -> CoreMetrics.Timer {
        metric(label, dimensions) { CoreMetrics.Timer(label: $0, dimensions: $1, factory: $2) }
    }

    private func gauge(_ label: String, _ dimensions: [(String, String)] = []) -> CoreMetrics.Gauge {
        metric(label, dimensions) { CoreMetrics.Gauge(label: $0, dimensions: $1, factory: $2) }
    }

    /// Records an answered HTTP request under its route template (`/vehicles/{vehicleId}`, or `unmatched`).
    func httpRequest(method: String, route: String, status: Int, duration: Duration) {
        counter("gridlink_http_requests_total", [("method", method), ("route", route), ("status_class", "\(status / 100)xx")]).increment()
        timer("gridlink_http_request_duration_seconds", [("method", method), ("route", route)]).record(duration: duration)
    }

    /// Records one webhook delivery attempt: `outcome` is `delivered` or `failed`.
    func webhookDelivery(outcome: String, events: Int, duration: Duration) {
        counter("gridlink_webhook_deliveries_total", [("outcome", outcome)]).increment()
        counter("gridlink_webhook_events_total", [("outcome", outcome)]).increment(by: events)
        timer("gridlink_webhook_delivery_duration_seconds").record(duration: duration)
    }

    /// Records one sync of a vendor account: `outcome` is `ok` or `failed`.
    func deviceSync(outcome: String, duration: Duration) {
        counter("gridlink_device_syncs_total", [("outcome", outcome)]).increment()
        timer("gridlink_device_sync_duration_seconds").record(duration: duration)
    }

    /// Records how long one round of a background service took and how late it started.
    func backgroundRound(service: String, duration: Duration, lag: Duration) {
        timer("gridlink_background_round_duration_seconds", [("service", service)]).record(duration: duration)
        gauge("gridlink_background_round_lag_seconds", [("service", service)]).record(lag.seconds)
    }

    /// Records how long a read or transaction waited for its connection (`access` is `read` or `write`).
    func databaseWait(access: String, duration: Duration) {
        timer("gridlink_database_wait_seconds", [("access", access)]).record(duration: duration)
    }

    /// Records one catch-up of the sandbox world with its clock.
    func sandboxTick(duration: Duration) {
        timer("gridlink_sandbox_tick_duration_seconds").record(duration: duration)
    }

    /// Lets the scrape read how many connections are open.
    func observeConnections(_ count: @escaping @Sendable () -> Int) {
        connections.withLock { $0 = count }
    }

    /// The text exposition: sets the gauges read at scrape time from `store` and the connection count, then renders all.
    func exposition(store: StoreGauges) -> String {
        if let open = connections.withLock({ $0 }) {
            gauge("gridlink_http_open_connections").record(open())
        }
        gauge("gridlink_outbox_backlog_events").record(store.outboxBacklog)
        gauge("gridlink_webhook_queued_deliveries").record(store.queuedDeliveries)
        // Every kind and state, zeros included, so a count that drops to nothing does not keep its last value.
        var actions: [String: [String: Int]] = [:]
        for kind in ActionKind.categories { for state in ActionState.allCases { actions[kind, default: [:]][state.rawValue] = 0 } }
        for (storedKind, states) in store.actions {
            let kind = (try? JSONDecoder().decode(ActionKind.self, from: Data(storedKind.utf8)))?.category ?? "UNKNOWN"
            for (state, count) in states { actions[kind, default: [:]][state, default: 0] += count }
        }
        for (kind, states) in actions {
            for (state, count) in states { gauge("gridlink_actions", [("kind", kind), ("state", state)]).record(count) }
        }
        return registry.emitToString()
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
