import Foundation
import GridlinkCore
import GridlinkStore
import Hummingbird

/// `POST /users/{userId}/link`: creates the user if needed and a single-use, 24-hour Link UI session.
struct LinkController: Sendable {
    let dependencies: ServerDependencies
    /// Most vendor accounts a client's users may link.
    let connectionLimit: Int

    /// Adds the link and relink routes.
    func register(in registry: RouteRegistry) {
        registry.add(.post, "/assets/{assetId}/relink", versions: VersionRange(introduced: .v2024_10_01), operation: .init(
            "relinkAsset", summary: "Create a Link UI session that relinks an asset's vendor account", tag: "User management",
            requestBody: (contentType: "application/json", schema: OpenAPISchemas.ref("RelinkUserPayload")),
            responses: [200: .init("The session", schema: OpenAPISchemas.ref("LinkUserResponse"))])
        ) { request, context in
            let clientId = try context.requireClient().id
            let assetId = try context.parameters.require("assetId")
            guard let asset = try await dependencies.store.read({ try await $0.asset(clientId: clientId, id: assetId) }) else {
                throw Problem.notFound("Asset \(assetId) not found", title: "Entity Not Found")
            }
            let body = try await JSONBody.decode(RelinkRequest.self, from: request)
            try RedirectURI.validate(body.redirectUri)
            let links = try await dependencies.store.read { try await $0.vendorLinks(clientId: clientId, userId: asset.userId) }
            let scopes = links.first { $0.accountRef == asset.accountRef }?.scopes ?? asset.scopes
            let session = LinkSession(
                vendorType: asset.type, vendor: asset.vendor, scopes: scopes, language: body.language.rawValue,
                redirectUri: body.redirectUri, colorScheme: (body.colorScheme ?? .system).rawValue, step: .consent)
            return try await start(session, clientId: clientId, userId: asset.userId, version: context.apiVersion)
        }

        registry.add(.post, "/users/{userId}/link", operation: .init(
            "linkUser", summary: "Create a Link UI session for a user", tag: "User management",
            requestBody: (contentType: "application/json", schema: OpenAPISchemas.ref("LinkUserPayload")),
            responses: [
                200: .init("The session", schema: OpenAPISchemas.ref("LinkUserResponse")),
                403: .problem("Connections limit reached"),
            ])
        ) { request, context in
            let clientId = try context.requireClient().id
            let userId = try context.parameters.require("userId")
            guard !userId.isEmpty, userId.count <= 200 else { throw Problem.badRequest("\"userId\" must be 1 to 200 characters") }
            let session = try await session(from: request, version: context.apiVersion)
            return try await start(session, clientId: clientId, userId: userId, version: context.apiVersion)
        }
    }

    /// Stores a new session (creating the user if needed) and answers its link, under the server's public URL, in the version's shape.
    private func start(_ session: LinkSession, clientId: String, userId: String, version: APIVersion) async throws -> Response {
        // Sessions expire in wall time: a person follows the link, however fast the simulation runs.
        let now = dependencies.wallClock.now()
        let token = RandomToken.urlSafe(bytes: 24)
        let body = String(decoding: try JSONEncoder().encode(session), as: UTF8.self)
        let limit = connectionLimit
        try await dependencies.store.write { store in
            guard try await store.vendorLinkCount(clientId: clientId) < limit else {
                throw Problem.forbidden("This client has linked \(limit) vendor accounts, the most it may", title: "Connections limit reached.")
            }
            try await store.ensureUser(clientId: clientId, userId: userId, at: now)
            try await store.insertLinkSession(token: token, clientId: clientId, userId: userId, body: body,
                                              expiresAt: now.addingTimeInterval(LinkSession.lifetime), at: now)
        }
        let url = "\(dependencies.publicOrigin.url)/link/\(token)"
        if version >= .v2024_01_01 {
            return try JSONCoding.response(["linkUrl": url, "linkToken": token])
        }
        return try JSONCoding.response(["linkState": token, "linkUrl": url])
    }

    /// The session a request asks for, validated for its API version.
    private func session(from request: Request, version: APIVersion) async throws -> LinkSession {
        if version >= .v2024_01_01 {
            let body = try await JSONBody.decode(LinkRequest.self, from: request)
            guard !body.scopes.isEmpty else { throw Problem.badRequest("\"scopes\" must not be empty") }
            try RedirectURI.validate(body.redirectUri)
            if let vendor = body.vendor { try Self.check(vendor: vendor, for: body.vendorType) }
            return LinkSession(
                vendorType: body.vendorType, vendor: body.vendor, scopes: body.scopes.map(\.rawValue).removingDuplicates(), language: body.language.rawValue,
                redirectUri: body.redirectUri, colorScheme: (body.colorScheme ?? .system).rawValue,
                step: body.vendor == nil ? .chooseVendor : .consent)
        }
        let body = try await JSONBody.decode(LegacyLinkRequest.self, from: request, allowEmpty: true)
        let type = body.vendorType ?? .vehicle
        if let vendor = body.vendor { try Self.check(vendor: vendor, for: type) }
        if let redirect = body.redirectUri { try RedirectURI.validate(redirect) }
        let legacyScopes = body.scopes ?? []
        let scopes = legacyScopes.filter { LinkScope(rawValue: $0) != nil }.removingDuplicates()
        return LinkSession(
            vendorType: type, vendor: body.vendor,
            scopes: scopes.isEmpty ? LinkScope.allCases.map(\.rawValue).filter { $0.hasPrefix(type.rawValue + ":") } : scopes,
            language: body.forceLanguage ?? "browser", redirectUri: body.redirectUri, colorScheme: "system",
            step: body.vendor == nil ? .chooseVendor : .consent)
    }

    private static func check(vendor: String, for type: VendorType) throws {
        guard VendorCatalogue.vendors(of: type).contains(vendor) else {
            throw Problem.badRequest("\"vendor\" must be a \(type.rawValue) vendor such as \(VendorCatalogue.vendors(of: type).first ?? ""); got \"\(vendor)\"")
        }
    }
}
