import Foundation
import GridlinkCore
import GridlinkStore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Turns any error into an `application/problem+json` response.
enum ProblemRendering {
    /// The problem an error stands for; unexpected errors become a logged 500.
    static func problem(for error: any Error, logger: Logger) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case StoreError.unstorableText:
            return .badRequest("Text values must not contain NUL characters")
        case let error as any HTTPResponseError:
            return problem(forStatus: error.status)
        case let error as HTTPParserError:
            // The client sent something that is not HTTP/1.1 (a malformed chunk, say): its fault, not a server error.
            logger.debug("Malformed request: \(error)")
            return .badRequest("The request is not valid HTTP/1.1 (\(error))")
        case is CancellationError:
            // Work stopped because its client left (ClientDepartures) or the server is shutting down: nobody's fault here.
            logger.debug("Request cancelled: \(error)")
            return .badRequest("The request was cancelled: its client closed the connection or the server is shutting down")
        case is ChannelError, is IOError, is NIOAsyncWriterError:
            // The client went away mid-request; the answer most likely reaches nobody.
            logger.debug("Client left mid-request: \(error)")
            return .badRequest("The connection closed before the request was complete")
        default:
            logger.error("Unhandled error: \(String(reflecting: error))")
            return .serverError()
        }
    }

    /// The problem for a status raised by the HTTP framework itself.
    static func problem(forStatus status: HTTPResponse.Status) -> Problem {
        switch status {
        case .contentTooLarge: .payloadTooLarge("The request body is larger than \(ServerLimits.maxBodySize) bytes")
        case .notFound: .notFound("No such resource")
        case .methodNotAllowed: .methodNotAllowed("Method not allowed")
        case .badRequest: .badRequest("The request could not be parsed")
        case .unsupportedMediaType: .unsupportedMediaType("Unsupported media type")
        default:
            status.code >= 500 ? .serverError()
                : Problem(status: status.code, slug: "http-\(status.code)", title: status.reasonPhrase, detail: status.reasonPhrase)
        }
    }

    /// The response carrying `problem`, stamped with the API version it is answered in.
    static func response(_ problem: Problem, version: APIVersion, extraHeaders: HTTPFields = [:]) -> Response {
        let body = RenderedProblem(problem: problem, requestId: RequestIdentity.current)
        var response = (try? JSONCoding.response(body, status: .init(code: problem.status), contentType: "application/problem+json"))
            ?? Response(status: .internalServerError)
        response.headers[.enodeVersion] = version.rawValue
        response.headers.append(contentsOf: extraHeaders)
        return response
    }
}

/// A problem's wire form: `type`, `title`, `detail`, and the `requestId` extension member that ties it to the logs.
private struct RenderedProblem: Encodable {
    let problem: Problem
    let requestId: String?

    private enum CodingKeys: String, CodingKey { case type, title, detail, requestId }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(problem.type, forKey: .type)
        try container.encode(problem.title, forKey: .title)
        try container.encode(problem.detail, forKey: .detail)
        try container.encodeIfPresent(requestId, forKey: .requestId)
    }
}

extension HTTPField.Name {
    /// `Enode-Version`: the API version of a request or response.
    static let enodeVersion = HTTPField.Name("Enode-Version")!
    /// `Enode-User-Id`: the user header of API versions before 2023-08-01.
    static let enodeUserId = HTTPField.Name("Enode-User-Id")!
}
