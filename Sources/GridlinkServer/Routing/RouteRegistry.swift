import GridlinkCore
import HTTPTypes
import Hummingbird
import Synchronization

/// Whether a route needs a bearer token.
public enum RouteAccess: Sendable {
    /// Anyone may call it.
    case open
    /// A valid access token is required.
    case client
    /// A token is optional: with a valid one the handler sees its client, without one none (an invalid one is 401).
    case optionalClient
}

/// A registered route: where it lives, who may call it, in which versions, and how it is documented.
public struct RouteDescriptor: Sendable {
    /// HTTP method.
    public let method: HTTPRequest.Method
    /// Path with `{name}` parameters.
    public let path: String
    /// Authentication requirement.
    public let access: RouteAccess
    /// API versions in which the route exists.
    public let versions: VersionRange
    /// OpenAPI description.
    public let operation: OpenAPIOperation
}

/// The request handler signature every controller implements.
public typealias RouteHandler = @Sendable (Request, GridlinkRequestContext) async throws -> Response

/// Adds routes to the router with authentication, version gating and problem rendering, and records each in
/// the route table.
public struct RouteRegistry {
    private let router: Router<GridlinkRequestContext>
    private let authenticator: Authenticator
    private let dependencies: ServerDependencies
    /// What has been registered: read by the OpenAPI document and 405 detection.
    public let table = RouteTable()

    /// Creates a registry adding to `router`.
    init(router: Router<GridlinkRequestContext>, authenticator: Authenticator, dependencies: ServerDependencies) {
        self.router = router
        self.authenticator = authenticator
        self.dependencies = dependencies
    }

    /// Registers a route.
    public func add(
        _ method: HTTPRequest.Method, _ path: String, access: RouteAccess = .client, versions: VersionRange = .always,
        operation: OpenAPIOperation, handler: @escaping RouteHandler
    ) {
        let descriptor = RouteDescriptor(method: method, path: path, access: access, versions: versions, operation: operation)
        table.append(descriptor)
        let authenticator = self.authenticator
        router.on(RouterPath(path), method: method) { (request: Request, context: GridlinkRequestContext) -> Response in
            var context = context
            context.apiVersion = VersionResolver.provisionalVersion(of: request)
            do {
                switch access {
                case .open: context.apiVersion = try VersionResolver.effectiveVersion(of: request, pinned: .current)
                case .client: try await authenticator.authenticate(request, context: &context)
                case .optionalClient:
                    if request.headers[.authorization] == nil {
                        context.apiVersion = try VersionResolver.effectiveVersion(of: request, pinned: .current)
                    } else {
                        try await authenticator.authenticate(request, context: &context)
                    }
                }
                guard versions.contains(context.apiVersion) else {
                    throw Problem.notFound("\(method) \(path) is not available in API version \(context.apiVersion.rawValue)")
                }
                var response = try await handler(request, context)
                response.headers[.enodeVersion] = context.apiVersion.rawValue
                return response
            } catch {
                let problem = ProblemRendering.problem(for: error, logger: context.logger)
                let challenge: HTTPFields = problem.status == 401 ? [.wwwAuthenticate: "Bearer"] : [:]
                return ProblemRendering.response(problem, version: context.apiVersion, extraHeaders: challenge)
            }
        }
    }

}

/// The registered routes, shared with request-time code.
public final class RouteTable: Sendable {
    private let descriptors = Mutex<[RouteDescriptor]>([])

    /// Every route registered so far.
    public var routes: [RouteDescriptor] { descriptors.withLock { $0 } }

    func append(_ descriptor: RouteDescriptor) {
        descriptors.withLock { $0.append(descriptor) }
    }

    /// The methods registered for paths matching `path`, for `405 Method Not Allowed` answers.
    func methods(matching path: String) -> [HTTPRequest.Method] {
        let segments = Self.segments(of: path)
        return routes.filter { route in
            let pattern = Self.segments(of: route.path)
            return pattern.count == segments.count
                && zip(pattern, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }.map(\.method)
    }

    private static func segments(of path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}
