import Foundation
import GridlinkCore
import GridlinkStore

/// Creates API clients: a new id and a secret that is stored only as its hash (`gridlink clients create`, the demo).
public enum ClientRegistration {
    /// Stores a new client in `session` and returns it with its secret, which cannot be recovered later.
    public static func create(
        name: String, environment: ClientEnvironment, apiVersion: APIVersion, at now: Date, in session: StoreSession
    ) async throws -> (client: APIClient, secret: String) {
        let client = APIClient(id: UUID().uuidString.lowercased(), name: name, environment: environment, apiVersion: apiVersion, createdAt: now)
        let secret = RandomToken.urlSafe(bytes: 32)
        try await session.insertClient(client, secret: .make(secret: secret))
        return (client, secret)
    }
}
