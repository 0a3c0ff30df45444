import Foundation
import GridlinkCore
import HTTPTypes
import Hummingbird

/// The id of the request being handled, for answers built far from the middleware (problem bodies).
enum RequestIdentity {
    /// The current request's id; nil outside a request.
    @TaskLocal static var current: String?
}

/// Gives every request an id: the caller's `X-Request-Id` when it is a sane token, else a new random one. The id is
/// answered in `X-Request-Id`, carried by every log line of the request (`request_id`) and put into problem bodies.
struct RequestIdMiddleware: RouterMiddleware {
    typealias Context = GridlinkRequestContext

    /// Longest caller-chosen id accepted.
    static let maximumLength = 128

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = request.headers[.requestId].flatMap(Self.accepted) ?? RandomToken.hex(bytes: 8)
        var context = context
        context.logger[metadataKey: "request_id"] = .string(id)
        var response = try await RequestIdentity.$current.withValue(id) { try await next(request, context) }
        response.headers[.requestId] = id
        return response
    }

    /// `candidate` if it is 1 to 128 letters, digits, `-`, `_`, `.` or `:`; a caller's id is echoed, so nothing else is.
    static func accepted(_ candidate: String) -> String? {
        guard (1...maximumLength).contains(candidate.utf8.count),
            candidate.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.:".unicodeScalars.contains($0)) })
        else { return nil }
        return candidate
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`: the id of a request, chosen by the caller or the server.
    static let requestId = HTTPField.Name("X-Request-Id")!
}
