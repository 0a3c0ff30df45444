import Foundation
import GridlinkCore
import Hummingbird

/// The front page, readiness and the OpenAPI document.
struct SystemController: Sendable {
    let dependencies: ServerDependencies

    /// Adds `/`, `/health/ready` and `/openapi.json`.
    func register(in registry: RouteRegistry) {
        registry.add(.get, "/", access: .open, operation: .init(
            "getIndex", summary: "Where to start: the API description, the token endpoint and the guides", tag: "Service health",
            responses: [200: .init("Pointers", schema: [
                "type": "object",
                "properties": ["name": ["type": "string"], "about": ["type": "string"], "openapi": ["type": "string"],
                               "token": ["type": "string"], "docs": ["type": "object", "additionalProperties": ["type": "string"]],
                               "next": ["type": "array", "items": ["type": "string"]]],
                "required": ["name", "about", "openapi", "token", "docs", "next"],
            ])])
        ) { _, _ in
            try JSONCoding.response(Self.index(origin: "\(dependencies.publicOrigin.url)"))
        }

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

extension SystemController {
    /// The front page: what this server is and where to go next.
    static func index(origin: String) -> JSONValue {
        [
            "name": "Gridlink",
            "about": "A self-hostable, Enode-compatible energy-device API with a simulated sandbox.",
            "openapi": .string(origin + "/openapi.json"),
            "token": .string(origin + "/oauth2/token"),
            // The guides ship with the source, not with the server.
            "docs": [
                "readme": "README.md in the Gridlink source (quick start)", "api": "docs/API.md", "sandbox": "docs/SANDBOX.md (linking, devices, clock)",
            ],
            "next": [
                "Create a client: gridlink clients create --name my-app (or start with gridlink serve --demo)",
                .string("Get a token: curl -u \"$GRIDLINK_CLIENT_ID:$GRIDLINK_CLIENT_SECRET\" -d grant_type=client_credentials \(origin)/oauth2/token"),
                "Link a simulated car: gridlink sandbox link --user alice --vendor KIA --device vehicle --site home",
            ],
        ]
    }
}
