import GridlinkCore
import Hummingbird
import NIOCore

/// Per-request state: the core context plus who is calling and with which API version.
public struct GridlinkRequestContext: RequestContext {
    /// Hummingbird's core request state.
    public var coreContext: CoreRequestContextStorage
    /// The authenticated client, once authentication succeeded.
    public var client: APIClient?
    /// The API version the request is answered in.
    public var apiVersion: APIVersion = .current

    /// The connection the request came on.
    public let channel: any Channel

    /// Creates a context for a new request.
    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// Largest request body accepted (1 MiB); bigger bodies get 413.
    public var maxUploadSize: Int { ServerLimits.maxBodySize }

    /// The authenticated client; only routes that require authentication may call this.
    public func requireClient() throws(Problem) -> APIClient {
        guard let client else { throw .unauthorized("Missing access token") }
        return client
    }
}

/// Size limits the server enforces.
public enum ServerLimits {
    /// Largest request body accepted, in bytes.
    public static let maxBodySize = 1 << 20
}

extension Request {
    /// The user named by `Enode-User-Id`, which routes before 2023-08-01 act for; 400 when missing.
    func headerUserId() throws(Problem) -> String {
        guard let userId = headers[.enodeUserId], !userId.isEmpty else {
            throw .badRequest("\"Enode-User-Id\" header is required")
        }
        return userId
    }
}

/// The `Enode-User-Id` header parameter of routes before 2023-08-01, for the OpenAPI document.
enum UserHeader {
    static let parameter = OpenAPIOperation.Parameter.header(
        "Enode-User-Id", "The user the request acts for (versions before 2023-08-01)", schema: ["type": "string"], required: true)
}
