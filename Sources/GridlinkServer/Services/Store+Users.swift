import GridlinkCore
import GridlinkStore

extension Store {
    /// Throws the API's 404 problem unless the client has a user `userId`.
    func requireUser(clientId: String, userId: String) async throws {
        guard try await read({ try await $0.user(clientId: clientId, userId: userId) }) != nil else {
            throw Problem.notFound("User \(userId) not found", title: "Entity Not Found")
        }
    }
}
