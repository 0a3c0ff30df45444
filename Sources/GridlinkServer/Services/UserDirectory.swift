import GridlinkCore
import GridlinkStore

/// User operations of one client: lookups that 404 across tenants, deletion and deauthorization.
struct UserDirectory: Sendable {
    let dependencies: ServerDependencies

    /// The user and its linked vendors; 404 when the client has no such user.
    func user(clientId: String, userId: String) async throws -> (User, [LinkedVendor]) {
        try await dependencies.store.read { session in
            guard let user = try await session.user(clientId: clientId, userId: userId) else { throw Self.notFound(userId) }
            return (user, try await session.linkedVendors(clientId: clientId, userId: userId))
        }
    }

    /// One page of the client's users.
    func users(clientId: String, page: PageRequest) async throws -> Page<User> {
        try await dependencies.store.read { try await $0.users(clientId: clientId, page: page) }
    }

    /// Deletes the user and all its data.
    func delete(clientId: String, userId: String) async throws {
        guard try await dependencies.store.write({ try await $0.deleteUser(clientId: clientId, userId: userId) }) else {
            throw Self.notFound(userId)
        }
    }

    /// Removes the user's vendor credentials and keeps everything else.
    func deauthorize(clientId: String, userId: String) async throws {
        try await dependencies.store.write { session in
            guard try await session.user(clientId: clientId, userId: userId) != nil else { throw Self.notFound(userId) }
            try await session.deauthorizeUser(clientId: clientId, userId: userId)
        }
    }

    /// Unlinks one vendor from the user; 400 for an unknown vendor name, 404 when it is not linked.
    func unlink(clientId: String, userId: String, vendor: String) async throws {
        guard VendorCatalogue.all.contains(vendor) else {
            throw Problem.badRequest("\"vendor\" must be a known vendor name such as TESLA or EASEE; got \"\(vendor)\"")
        }
        try await dependencies.store.write { session in
            guard try await session.user(clientId: clientId, userId: userId) != nil else { throw Self.notFound(userId) }
            guard try await session.unlinkVendor(clientId: clientId, userId: userId, vendor: vendor) else {
                throw Problem.notFound("Vendor \(vendor) is not linked for user \(userId)")
            }
        }
    }

    private static func notFound(_ userId: String) -> Problem {
        .notFound("User \(userId) not found", title: "Entity Not Found")
    }
}
