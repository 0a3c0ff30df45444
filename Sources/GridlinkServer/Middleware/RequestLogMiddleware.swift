import Foundation
import Hummingbird
import Logging

/// Logs one line per request (method, path, status and duration, with the request's id) and records it in the
/// metrics under its route template.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = GridlinkRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context: context, status: response.status.code, since: start)
            return response
        } catch {
            record(request, context: context, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: start)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        metrics.httpRequest(method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: status, duration: elapsed)
        let milliseconds = elapsed.seconds * 1000
        // A path that carries a secret (the Link UI's `/link/{token}/…`) is logged as its route template.
        let path = context.endpointPath.map { $0.contains("{token}") ? $0 : request.uri.path } ?? request.uri.path
        context.logger.info("\(request.method) \(path) \(status) \((milliseconds * 10).rounded() / 10)ms")
    }
}
