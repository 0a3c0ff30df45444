import GridlinkCore
import Hummingbird

/// Builds the served OpenAPI 3.1 document from the registered routes.
enum OpenAPIDocument {
    /// The document for `routes`.
    static func build(routes: [RouteDescriptor]) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for route in routes {
            var item = paths[route.path] ?? [:]
            item[route.method.rawValue.lowercased()] = operation(route)
            paths[route.path] = item
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Gridlink (Enode-compatible API)",
                "version": .string(APIVersion.current.rawValue),
                "description": "Routes answer in the version named by the Enode-Version header, else the client's pinned version.",
            ],
            "servers": [["url": "/"]],
            "paths": .object(paths),
            "components": [
                "schemas": .object(OpenAPISchemas.components.merging(SandboxSchemas.components) { $1 }.merging(AssetSchemas.components) { $1 }
                    .merging(PlaceSchemas.components) { $1 }.merging(SmartChargingSchemas.components) { $1 }
                    .merging(ServiceSchemas.components) { $1 }),
                "securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer"]],
            ],
        ]
    }

    private static func operation(_ route: RouteDescriptor) -> JSONValue {
        let spec = route.operation
        var parameters: [JSONValue] = pathParameters(route.path)
        parameters += spec.parameters.map { parameter in
            [
                "name": .string(parameter.name), "in": .string(parameter.location),
                "description": .string(parameter.description), "required": .bool(parameter.required),
                "schema": parameter.schema,
            ]
        }
        parameters.append([
            "name": "Enode-Version", "in": "header", "required": false,
            "description": "API version to answer in; defaults to the client's pinned version",
            "schema": ["type": "string", "enum": .array(APIVersion.ordered.map { .string($0.rawValue) })],
        ])
        var responses: [String: JSONValue] = [:]
        for (status, response) in commonResponses(route).merging(spec.responses, uniquingKeysWith: { $1 }) {
            var rendered: JSONValue = ["description": .string(response.description)]
            if !response.content.isEmpty {
                rendered["content"] = .object(response.content.mapValues { ["schema": $0] })
            }
            responses[String(status)] = rendered
        }
        var operation: JSONValue = [
            "operationId": .string(spec.operationId),
            "summary": .string(spec.summary),
            "tags": [.string(spec.tag)],
            "parameters": .array(parameters),
            "responses": .object(responses),
        ]
        if let body = spec.requestBody {
            operation["requestBody"] = ["required": true, "content": [.init(stringLiteral: body.contentType): ["schema": body.schema]]]
        }
        switch route.access {
        case .open: break
        case .client: operation["security"] = [["bearerAuth": []]]
        case .optionalClient: operation["security"] = [[:], ["bearerAuth": []]]
        }
        if route.versions != .always {
            let from = route.versions.introduced?.rawValue ?? "the first version"
            let until = route.versions.removed.map { "until \($0.rawValue) (exclusive)" } ?? "onwards"
            operation["description"] = .string("Available from \(from) \(until); other versions answer 404.")
        }
        return operation
    }

    private static func pathParameters(_ path: String) -> [JSONValue] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { segment in
            let name = String(segment.dropFirst().dropLast())
            return ["name": .string(name), "in": "path", "required": true, "schema": ["type": "string"]]
        }
    }

    private static func commonResponses(_ route: RouteDescriptor) -> [Int: OpenAPIOperation.ResponseSpec] {
        var responses: [Int: OpenAPIOperation.ResponseSpec] = [
            400: .problem("Bad request (unknown Enode-Version, invalid parameter)"),
            404: .problem("Not found, or not available in the requested API version"),
            405: .problem("Method not allowed"),
        ]
        switch route.access {
        case .open: break
        case .client: responses[401] = .problem("Missing, malformed, unknown or expired access token")
        case .optionalClient: responses[401] = .problem("Malformed, unknown or expired access token (the token is optional)")
        }
        if route.operation.requestBody != nil { responses[413] = .problem("Request body too large") }
        return responses
    }
}
