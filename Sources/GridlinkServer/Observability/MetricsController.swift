import Foundation
import GridlinkCore
import GridlinkStore
import Hummingbird

/// `GET /metrics`: the Prometheus text exposition, for a scraper holding the operator's metrics token.
///
/// Off unless the server was started with `--metrics-token` (404 then); a missing or wrong bearer token is a 401. The route
/// is an operator endpoint, not part of the Enode API, so it is not in `/openapi.json`.
struct MetricsController {
    let metrics: ServerMetrics
    let token: SecretHash?
    let store: Store

    func register(in router: Router<GridlinkRequestContext>) {
        router.get("/metrics") { request, _ -> Response in
            guard let token else {
                return ProblemRendering.response(.notFound("Metrics are off: start the server with --metrics-token"), version: .current)
            }
            guard let presented = request.headers[.authorization], Self.matches(presented, token: token) else {
                return ProblemRendering.response(
                    .unauthorized("GET /metrics needs the metrics token as a bearer token"), version: .current,
                    extraHeaders: [.wwwAuthenticate: "Bearer"])
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
