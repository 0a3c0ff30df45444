import GridlinkCore
import GridlinkStore

extension Store {
    /// Throws the API's 404 problem unless the client has a user `userId`.
    func requireUser(clientId: String, userId: String) async throws {
        guard try await read({ try await $0.user(clientId: clientId, userId: userId) }) != nil else {
            throw Problem.notFound("User \(userId) not found", title: "Entity Not Found")
        }
    }

    /// The client's asset of `type` with `id`, or the API's 404 problem.
    func requireAsset(clientId: String, type: VendorType, id: String) async throws -> AssetRecord {
        try await read { try await $0.requireAsset(clientId: clientId, type: type, id: id) }
    }
}

extension StoreSession {
    /// The client's asset of `type` with `id`, or the API's 404 problem (in the caller's transaction).
    func requireAsset(clientId: String, type: VendorType, id: String) async throws -> AssetRecord {
        guard let asset = try await asset(clientId: clientId, type: type, id: id) else {
            throw Problem.notFound("\(type.rawValue.capitalized) \(id) not found", title: "Entity Not Found")
        }
        return asset
    }
}
