/// An RFC 7807 problem: the single error type every layer throws toward the HTTP edge.
public struct Problem: Error, Sendable, Equatable, Codable {
    /// HTTP status code the problem is answered with.
    public let status: Int
    /// URI reference identifying the problem type.
    public let type: String
    /// Short, stable summary of the problem type.
    public let title: String
    /// Explanation of this occurrence.
    public let detail: String

    /// Base URI of every problem type Gridlink answers with.
    public static let typeBase = "https://docs.enode.io/api/problems/"

    /// Creates a problem from its parts; `slug` is appended to ``typeBase``.
    public init(status: Int, slug: String, title: String, detail: String) {
        self.status = status
        self.type = Self.typeBase + slug
        self.title = title
        self.detail = detail
    }

    private enum CodingKeys: String, CodingKey { case type, title, detail }

    /// Decodes the wire form; the status is not part of the body and defaults to 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.status = 0
        self.type = try container.decode(String.self, forKey: .type)
        self.title = try container.decode(String.self, forKey: .title)
        self.detail = try container.decode(String.self, forKey: .detail)
    }

    /// 400: the request is malformed; `detail` names the offending field.
    public static func badRequest(_ detail: String) -> Problem {
        Problem(status: 400, slug: "bad-request", title: "Bad request", detail: detail)
    }

    /// 401: authentication is missing, malformed, unknown or expired.
    public static func unauthorized(_ detail: String) -> Problem {
        Problem(status: 401, slug: "unauthorized", title: "Unauthorized", detail: detail)
    }

    /// 403: authenticated, but not allowed (missing control scope, limits).
    public static func forbidden(_ detail: String, title: String = "Forbidden") -> Problem {
        Problem(status: 403, slug: "forbidden", title: title, detail: detail)
    }

    /// 404: the entity does not exist for this client.
    public static func notFound(_ detail: String, title: String = "Not Found") -> Problem {
        Problem(status: 404, slug: "not-found", title: title, detail: detail)
    }

    /// 405: the path exists but not with this method.
    public static func methodNotAllowed(_ detail: String) -> Problem {
        Problem(status: 405, slug: "method-not-allowed", title: "Method Not Allowed", detail: detail)
    }

    /// 406: the route cannot answer in a media type the request accepts.
    public static func notAcceptable(_ detail: String) -> Problem {
        Problem(status: 406, slug: "not-acceptable", title: "Not Acceptable", detail: detail)
    }

    /// 429: the caller holds as many of a resource as it may (open event streams).
    public static func tooManyRequests(_ detail: String) -> Problem {
        Problem(status: 429, slug: "too-many-requests", title: "Too Many Requests", detail: detail)
    }

    /// 409: the request conflicts with the current state.
    public static func conflict(_ detail: String, title: String = "Conflict") -> Problem {
        Problem(status: 409, slug: "conflict", title: title, detail: detail)
    }

    /// 413: the request body is larger than the server accepts.
    public static func payloadTooLarge(_ detail: String) -> Problem {
        Problem(status: 413, slug: "payload-too-large", title: "Payload Too Large", detail: detail)
    }

    /// 415: the request body has a media type the route does not accept.
    public static func unsupportedMediaType(_ detail: String) -> Problem {
        Problem(status: 415, slug: "unsupported-media-type", title: "Unsupported Media Type", detail: detail)
    }

    /// 500: an unexpected failure; details are logged, not returned.
    public static func serverError() -> Problem {
        Problem(status: 500, slug: "server-error", title: "Server Error", detail: "An unexpected error occurred. It has been logged.")
    }

    /// 424: the vendor the request depends on is down (an outage).
    public static func vendorUnavailable(_ detail: String) -> Problem {
        Problem(status: 424, slug: "vendor-unavailable", title: "Vendor Unavailable", detail: detail)
    }

    /// 503: the service cannot answer right now.
    public static func serviceUnavailable(_ detail: String) -> Problem {
        Problem(status: 503, slug: "service-unavailable", title: "Service Unavailable", detail: detail)
    }
}
