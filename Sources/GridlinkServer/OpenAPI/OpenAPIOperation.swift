import GridlinkCore

/// The OpenAPI description of one route, registered together with its handler.
public struct OpenAPIOperation: Sendable {
    /// A documented response.
    public struct ResponseSpec: Sendable {
        /// Human description.
        public var description: String
        /// Body schema per media type; empty for an empty body.
        public var content: [String: JSONValue]

        /// Describes a response with one body media type, or none when `schema` is nil.
        public init(_ description: String, schema: JSONValue? = nil, contentType: String = "application/json") {
            self.description = description
            self.content = schema.map { [contentType: $0] } ?? [:]
        }

        /// An `application/problem+json` response.
        public static func problem(_ description: String) -> ResponseSpec {
            ResponseSpec(description, schema: OpenAPISchemas.ref("Problem"), contentType: "application/problem+json")
        }

        /// The same response, also allowing an `application/problem+json` body.
        public func orProblem() -> ResponseSpec {
            var spec = self
            spec.content["application/problem+json"] = OpenAPISchemas.ref("Problem")
            return spec
        }
    }

    /// A documented query or header parameter.
    public struct Parameter: Sendable {
        /// Parameter name.
        public var name: String
        /// `query` or `header`.
        public var location: String
        /// Human description.
        public var description: String
        /// Value schema.
        public var schema: JSONValue
        /// Whether the parameter must be present.
        public var required: Bool

        /// A query parameter.
        public static func query(_ name: String, _ description: String, schema: JSONValue, required: Bool = false) -> Parameter {
            Parameter(name: name, location: "query", description: description, schema: schema, required: required)
        }

        /// A header parameter.
        public static func header(_ name: String, _ description: String, schema: JSONValue, required: Bool = false) -> Parameter {
            Parameter(name: name, location: "header", description: description, schema: schema, required: required)
        }
    }

    /// Unique operation id.
    public var operationId: String
    /// One-line summary.
    public var summary: String
    /// Group the operation is listed under.
    public var tag: String
    /// Query and header parameters (path parameters come from the path).
    public var parameters: [Parameter]
    /// Request body media type and schema.
    public var requestBody: (contentType: String, schema: JSONValue)?
    /// Responses by status code.
    public var responses: [Int: ResponseSpec]

    /// Describes an operation.
    public init(
        _ operationId: String, summary: String, tag: String, parameters: [Parameter] = [],
        requestBody: (contentType: String, schema: JSONValue)? = nil, responses: [Int: ResponseSpec]
    ) {
        self.operationId = operationId
        self.summary = summary
        self.tag = tag
        self.parameters = parameters
        self.requestBody = requestBody
        self.responses = responses
    }
}
