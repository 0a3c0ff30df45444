import Foundation
import GridlinkCore
import HTTPTypes
import Hummingbird
import Logging

/// Answers what no route handles as problems: unknown paths (404), wrong methods (405), oversized bodies (413).
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = GridlinkRequestContext
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let version = VersionResolver.provisionalVersion(of: request)
        if let length = request.headers[.contentLength].flatMap(Int.init), length > ServerLimits.maxBodySize {
            return ProblemRendering.response(ProblemRendering.problem(forStatus: .contentTooLarge), version: version)
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = routes.methods(matching: request.uri.path)
            guard allowed.isEmpty else {
                let list = allowed.map(\.rawValue).joined(separator: ", ")
                return ProblemRendering.response(
                    .methodNotAllowed("\(request.method) is not allowed on \(request.uri.path); allowed: \(list)"),
                    version: version, extraHeaders: [.allow: list])
            }
            return ProblemRendering.response(.notFound("No route for \(request.method) \(request.uri.path)"), version: version)
        } catch {
            return ProblemRendering.response(ProblemRendering.problem(for: error, logger: context.logger), version: version)
        }
    }
}
