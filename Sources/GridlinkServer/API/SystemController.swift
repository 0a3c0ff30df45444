import Foundation
import GridlinkCore
import Hummingbird

/// Readiness and the OpenAPI document.
struct SystemController: Sendable {
    let dependencies: ServerDependencies

    /// Adds `/health/ready` and `/openapi.json`.
    func register(in registry: RouteRegistry) {
        registry.add(.get, "/health/ready", access: .open, operation: .init(
            "getHealthReady", summary: "Check service readiness", tag: "Service health",
            responses: [204: .init("Ready"), 503: .problem("Not ready: the database cannot be reached")])
        ) { _, _ in
            do {
                try await dependencies.store.read { try await $0.ping() }
            } catch {
                dependencies.logger.warning("Readiness check failed: \(error)")
                throw Problem.serviceUnavailable("The database cannot be reached")
            }
            return Response(status: .noContent)
        }

        registry.add(.get, "/openapi.json", access: .open, operation: .init(
            "getOpenAPIDocument", summary: "This API's OpenAPI 3.1 document", tag: "Service health",
            responses: [200: .init("OpenAPI document", schema: ["type": "object"])])
        ) { [table = registry.table] _, _ in
            try JSONCoding.response(OpenAPIDocument.build(routes: table.routes))
        }
    }
}
