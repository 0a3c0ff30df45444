import Foundation
import GridlinkCore
import GridlinkStore
import HTTPTypes
import Hummingbird

/// Resolves a request's bearer token to its client and API version.
struct Authenticator: Sendable {
    let dependencies: ServerDependencies

    /// Sets the context's client and version, or throws the 401/400 problem that explains why not.
    func authenticate(_ request: Request, context: inout GridlinkRequestContext) async throws {
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthorized("Missing \"Authorization\" header; send \"Authorization: Bearer <access token>\"")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Problem.unauthorized("Malformed \"Authorization\" header; expected \"Bearer <access token>\"")
        }
        let token = String(parts[1]).trimmingCharacters(in: .whitespaces)
        let now = dependencies.wallClock.now()
        guard let client = try await dependencies.store.read({ try await $0.client(forToken: token, at: now) }) else {
            throw Problem.unauthorized("The access token is invalid or expired; request a new one from /oauth2/token")
        }
        let version = try VersionResolver.effectiveVersion(of: request, pinned: client.apiVersion)
        if version >= .v2023_08_01, request.headers[.enodeUserId] != nil {
            throw Problem.badRequest(
                "\"Enode-User-Id\" is not supported from API version 2023-08-01; use /users/{userId} routes instead")
        }
        context.client = client
        context.apiVersion = version
    }
}
