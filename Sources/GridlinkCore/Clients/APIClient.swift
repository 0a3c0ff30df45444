import Foundation

/// The environment an API client lives in; environments never share data.
public enum ClientEnvironment: String, Sendable, Codable, CaseIterable {
    /// Simulated vendors only.
    case sandbox
    /// Real vendors.
    case production
}

/// An integrator's API client: the tenant that owns users, devices and webhooks.
public struct APIClient: Sendable, Equatable, Codable {
    /// Public client identifier (`client_id`).
    public let id: String
    /// Human-readable name.
    public let name: String
    /// Environment the client's credentials work in.
    public let environment: ClientEnvironment
    /// API version used when a request sends no `Enode-Version` header.
    public let apiVersion: APIVersion
    /// When the client was created.
    public let createdAt: Date

    /// Creates a client value.
    public init(id: String, name: String, environment: ClientEnvironment, apiVersion: APIVersion, createdAt: Date) {
        self.id = id
        self.name = name
        self.environment = environment
        self.apiVersion = apiVersion
        self.createdAt = createdAt
    }
}
