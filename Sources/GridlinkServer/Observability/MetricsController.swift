import Foundation
import GridlinkCore
import GridlinkStore
import Hummingbird

/// `GET /metrics`: the Prometheus text exposition, for a scraper holding the operator's metrics token.
///
/// Off unless the server was started with `--metrics-token` (404 then); a missing or wrong bearer token is a 401. It is an
/// operator route, not part of the Enode API: it takes the metrics token, not a client's access token.
struct MetricsController {
    let metrics: ServerMetrics
    let token: SecretHash?
    let store: Store

    func register(in registry: RouteRegistry) {
        registry.add(.get, "/metrics", access: .open, operation: .init(
            "getMetrics", summary: "Prometheus metrics (operator route, needs the --metrics-token bearer token)", tag: "Service health",
            responses: [
                200: .init("Metrics in the Prometheus text format 0.0.4", schema: ["type": "string"], contentType: "text/plain"),
                401: .problem("Missing or wrong metrics token"), 404: .problem("Metrics are off (no --metrics-token)"),
            ])
        ) { request, _ in
            guard let token else { throw Problem.notFound("Metrics are off: start the server with --metrics-token") }
            guard let presented = request.headers[.authorization], Self.matches(presented, token: token) else {
                throw Problem.unauthorized("GET /metrics needs the metrics token as a bearer token")
            }
            let text = metrics.exposition(store: try await store.read { try await $0.gauges() })
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    /// Whether the `Authorization` header carries the token hashed as `token` (a constant-time comparison).
    static func matches(_ header: String, token: SecretHash) -> Bool {
        header.hasPrefix("Bearer ") && token.matches(String(header.dropFirst("Bearer ".count)))
    }
}
