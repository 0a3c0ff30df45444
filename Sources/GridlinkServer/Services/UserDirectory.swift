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

    /// One page of the client's users, each with the scopes it granted across its linked vendor accounts.
    func users(clientId: String, page: PageRequest) async throws -> Page<UserListEntry> {
        try await dependencies.store.read { session in
            let users = try await session.users(clientId: clientId, page: page)
            let scopes = try await session.grantedScopes(clientId: clientId, userIds: users.items.map(\.id))
            return users.map { UserListEntry(id: $0.id, createdAt: $0.createdAt, scopes: scopes[$0.id] ?? []) }
        }
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

    /// The user's link to one vendor; 400 for an unknown vendor name, 404 when the user is unknown or it is not linked.
    func linkedVendor(clientId: String, userId: String, vendor: String) async throws -> LinkedVendor {
        try Self.checkVendor(vendor)
        guard let linked = try await user(clientId: clientId, userId: userId).1.first(where: { $0.vendor == vendor }) else {
            throw Self.notLinked(vendor, userId)
        }
        return linked
    }

    /// Unlinks one vendor from the user; 400 for an unknown vendor name, 404 when it is not linked.
    func unlink(clientId: String, userId: String, vendor: String) async throws {
        try Self.checkVendor(vendor)
        try await dependencies.store.write { session in
            guard try await session.user(clientId: clientId, userId: userId) != nil else { throw Self.notFound(userId) }
            guard try await session.unlinkVendor(clientId: clientId, userId: userId, vendor: vendor) else {
                throw Self.notLinked(vendor, userId)
            }
        }
    }

    private static func checkVendor(_ vendor: String) throws(Problem) {
        guard VendorCatalogue.all.contains(vendor) else {
            throw .badRequest("\"vendor\" must be a known vendor name such as TESLA or EASEE; got \"\(vendor)\"")
        }
    }

    private static func notLinked(_ vendor: String, _ userId: String) -> Problem {
        .notFound("Vendor \(vendor) is not linked for user \(userId)")
    }

    private static func notFound(_ userId: String) -> Problem {
        .notFound("User \(userId) not found", title: "Entity Not Found")
    }
}
