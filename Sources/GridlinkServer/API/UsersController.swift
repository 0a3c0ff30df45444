import Foundation
import GridlinkCore
import HTTPTypes
import Hummingbird

/// `/users` routes, and the `/me` routes of versions before 2023-08-01.
struct UsersController: Sendable {
    let users: UserDirectory

    /// Adds the user-management routes.
    func register(in registry: RouteRegistry) {
        let since20230801 = VersionRange(introduced: .v2023_08_01)
        let before20230801 = VersionRange(removed: .v2023_08_01)

        registry.add(.get, "/users", versions: since20230801, operation: .init(
            "listUsers", summary: "List users", tag: "User management", parameters: OpenAPISchemas.pageParameters,
            responses: [200: .init("Users, newest first", schema: OpenAPISchemas.paginated(OpenAPISchemas.ref("UsersListEntry")))])
        ) { request, context in
            let clientId = try context.requireClient().id
            return try await ListRendering.respond(to: request, context: context) { page in
                try await users.users(clientId: clientId, page: page)
            } render: { $0 }
        }

        registry.add(.get, "/users/{userId}", operation: .init(
            "getUser", summary: "Get user", tag: "User management",
            responses: [200: .init("The user and its linked vendors", schema: OpenAPISchemas.ref("User"))])
        ) { _, context in
            try await userResponse(context: context, userId: try context.parameters.require("userId"))
        }

        registry.add(.delete, "/users/{userId}", operation: .init(
            "deleteUsersUserid", summary: "Unlink user: delete the user and all its data", tag: "User management",
            responses: [204: .init("Deleted")])
        ) { _, context in
            try await users.delete(clientId: try context.requireClient().id, userId: try context.parameters.require("userId"))
            return Response(status: .noContent)
        }

        registry.add(.delete, "/users/{userId}/authorization", operation: .init(
            "deleteUsersUseridAuthorization", summary: "Deauthorize user: remove vendor credentials, keep data",
            tag: "User management", responses: [204: .init("Deauthorized")])
        ) { _, context in
            try await users.deauthorize(clientId: try context.requireClient().id, userId: try context.parameters.require("userId"))
            return Response(status: .noContent)
        }

        registry.add(.get, "/users/{userId}/vendor/{vendor}", versions: since20230801, operation: .init(
            "getUserVendor", summary: "Vendor details: the user's link to one vendor (2023-08-01 changelog)", tag: "User management",
            responses: [200: .init("The linked vendor", schema: OpenAPISchemas.ref("LinkedVendor"))])
        ) { _, context in
            try JSONCoding.response(try await users.linkedVendor(
                clientId: try context.requireClient().id, userId: try context.parameters.require("userId"),
                vendor: try context.parameters.require("vendor")))
        }

        let unlinkVendor: RouteHandler = { _, context in
            try await users.unlink(
                clientId: try context.requireClient().id, userId: try context.parameters.require("userId"),
                vendor: try context.parameters.require("vendor"))
            return Response(status: .noContent)
        }
        registry.add(.delete, "/users/{userId}/vendors/{vendor}", operation: .init(
            "disconnectUserVendor", summary: "Disconnect a vendor from the user", tag: "User management",
            responses: [204: .init("Disconnected")]), handler: unlinkVendor)
        registry.add(.delete, "/users/{userId}/vendor/{vendor}", versions: since20230801, operation: .init(
            "disconnectUserVendorSingular", summary: "Disconnect a vendor from the user (2023-08-01 changelog path)",
            tag: "User management", responses: [204: .init("Disconnected")]), handler: unlinkVendor)

        let userHeader = UserHeader.parameter
        registry.add(.get, "/me", versions: before20230801, operation: .init(
            "getMe", summary: "Get my user (deprecated; the user comes from Enode-User-Id)", tag: "Me",
            parameters: [userHeader], responses: [200: .init("The user", schema: OpenAPISchemas.ref("User"))])
        ) { request, context in
            try await userResponse(context: context, userId: try Self.headerUser(request))
        }

        registry.add(.delete, "/me/vendors/{vendor}", versions: before20230801, operation: .init(
            "disconnectMyVendor", summary: "Disconnect vendor (deprecated; the user comes from Enode-User-Id)", tag: "Me",
            parameters: [userHeader], responses: [204: .init("Disconnected")])
        ) { request, context in
            try await users.unlink(
                clientId: try context.requireClient().id, userId: try Self.headerUser(request),
                vendor: try context.parameters.require("vendor"))
            return Response(status: .noContent)
        }
    }

    private func userResponse(context: GridlinkRequestContext, userId: String) async throws -> Response {
        let (user, vendors) = try await users.user(clientId: try context.requireClient().id, userId: userId)
        return try JSONCoding.response(UserBody(id: user.id, linkedVendors: vendors))
    }

    private static func headerUser(_ request: Request) throws(Problem) -> String { try request.headerUserId() }
}

/// `GET /users/{userId}` body.
struct UserBody: Encodable {
    let id: String
    let linkedVendors: [LinkedVendor]
}

/// One item of `GET /users`: the user, when it was created (simulation time) and the scopes it granted.
struct UserListEntry: Encodable, Sendable {
    let id: String
    let createdAt: Date
    let scopes: [String]
}
