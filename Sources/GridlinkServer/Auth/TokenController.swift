import Foundation
import GridlinkCore
import GridlinkStore
import Hummingbird

/// `POST /oauth2/token`: the OAuth 2.0 client-credentials grant.
struct TokenController: Sendable {
    let dependencies: ServerDependencies

    /// Adds the token route.
    func register(in registry: RouteRegistry) {
        registry.add(.post, "/oauth2/token", access: .open, operation: Self.operation) { request, _ in
            try await issueToken(request)
        }
    }

    private func issueToken(_ request: Request) async throws -> Response {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            return OAuthError.invalidRequest("Content-Type must be application/x-www-form-urlencoded").response
        }
        var request = request
        let body = try await request.collectBody(upTo: ServerLimits.maxBodySize)
        let form = FormURLEncoding.parse(String(buffer: body))
        guard let grantType = form["grant_type"] else {
            return OAuthError.invalidRequest("\"grant_type\" is required").response
        }
        guard grantType == "client_credentials" else {
            return OAuthError.unsupportedGrantType("Only \"client_credentials\" is supported").response
        }
        let presented: (id: String, secret: String)
        switch ClientAuthentication.credentials(basic: request.headers[.authorization], form: form) {
        case .failure(let error): return error.response
        case .success(let credentials): presented = credentials
        }
        let now = dependencies.wallClock.now()
        let issued = try await dependencies.store.write { session -> IssuedToken? in
            guard let credentials = try await session.credentials(clientId: presented.id),
                  credentials.accepts(presented.secret, at: now) else { return nil }
            let token = IssuedToken.mint(at: now)
            try await session.insertToken(token, clientId: presented.id, issuedAt: now)
            try await session.deleteExpiredTokens(before: now)
            return token
        }
        guard let issued else { return OAuthError.invalidClient("Unknown client or wrong secret").response }
        var response = try JSONCoding.response(TokenResponse(
            accessToken: issued.token,
            expiresIn: Int(issued.expiresAt.timeIntervalSince(now)) - 1,
            scope: "",
            tokenType: "bearer"))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private static let operation = OpenAPIOperation(
        "getToken", summary: "Get an access token (OAuth 2.0 client credentials)", tag: "Authentication",
        requestBody: (contentType: "application/x-www-form-urlencoded", schema: OpenAPISchemas.ref("TokenRequest")),
        responses: [
            200: .init("Access token", schema: OpenAPISchemas.ref("TokenResponse")),
            400: OpenAPIOperation.ResponseSpec("Malformed request or unsupported grant type (OAuth error), or unknown Enode-Version (problem)",
                                              schema: OpenAPISchemas.ref("OAuthError")).orProblem(),
            401: .init("Unknown client or wrong secret", schema: OpenAPISchemas.ref("OAuthError")),
        ])
}

/// The token endpoint's success body.
struct TokenResponse: Encodable {
    let accessToken: String
    let expiresIn: Int
    let scope: String
    let tokenType: String

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token", expiresIn = "expires_in", scope, tokenType = "token_type"
    }
}

/// An OAuth 2.0 error response (RFC 6749 §5.2).
struct OAuthError: Error, Encodable {
    let error: String
    let errorDescription: String
    let status: HTTPResponse.Status

    enum CodingKeys: String, CodingKey { case error, errorDescription = "error_description" }

    static func invalidRequest(_ description: String) -> OAuthError { .init(error: "invalid_request", errorDescription: description, status: .badRequest) }
    static func invalidClient(_ description: String) -> OAuthError { .init(error: "invalid_client", errorDescription: description, status: .unauthorized) }
    static func unsupportedGrantType(_ description: String) -> OAuthError { .init(error: "unsupported_grant_type", errorDescription: description, status: .badRequest) }

    /// The error as a response; 401s carry a Basic challenge.
    var response: Response {
        var response = (try? JSONCoding.response(self, status: status)) ?? Response(status: status)
        response.headers[.cacheControl] = "no-store"
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Basic realm=\"gridlink\"" }
        return response
    }
}

/// Reads client credentials from HTTP Basic or from `client_id`/`client_secret` form fields.
enum ClientAuthentication {
    static func credentials(basic header: String?, form: [String: String]) -> Result<(id: String, secret: String), OAuthError> {
        let fromForm = form["client_id"].map { (id: $0, secret: form["client_secret"] ?? "") }
        guard let header else {
            guard let fromForm else { return .failure(.invalidClient("Client credentials are required (HTTP Basic or client_id/client_secret)")) }
            return .success(fromForm)
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let decoded = Data(base64Encoded: String(parts[1])).flatMap({ String(data: $0, encoding: .utf8) }),
              let colon = decoded.firstIndex(of: ":")
        else { return .failure(.invalidRequest("Malformed Basic \"Authorization\" header")) }
        let id = FormURLEncoding.decode(String(decoded[..<colon]))
        let secret = FormURLEncoding.decode(String(decoded[decoded.index(after: colon)...]))
        if let fromForm, fromForm.id != id {
            return .failure(.invalidRequest("Client credentials were sent twice and disagree"))
        }
        return .success((id, secret))
    }
}

/// `application/x-www-form-urlencoded` parsing.
enum FormURLEncoding {
    /// Name/value pairs of a form body; later duplicates win.
    static func parse(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            fields[decode(String(parts[0]))] = parts.count > 1 ? decode(String(parts[1])) : ""
        }
        return fields
    }

    /// Decodes `+` and percent escapes; malformed escapes are kept literally.
    static func decode(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
