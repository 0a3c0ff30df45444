import Foundation

/// An event waiting in the transactional outbox, written with the state change that caused it.
public struct OutboxEvent: Sendable, Equatable {
    /// Monotonic position in the outbox; also the delivery order.
    public let sequence: Int64
    /// Owning client.
    public let clientId: String
    /// User the event concerns, if any.
    public let userId: String?
    /// Event name, e.g. `user:vehicle:updated`.
    public let name: String
    /// Version-neutral JSON payload.
    public let payload: String
    /// When the event was recorded.
    public let createdAt: Date

    /// Creates an outbox event value.
    public init(sequence: Int64, clientId: String, userId: String?, name: String, payload: String, createdAt: Date) {
        self.sequence = sequence
        self.clientId = clientId
        self.userId = userId
        self.name = name
        self.payload = payload
        self.createdAt = createdAt
    }
}

/// An event to append to the outbox; the store assigns its sequence.
public struct NewOutboxEvent: Sendable, Equatable {
    /// Owning client.
    public let clientId: String
    /// User the event concerns, if any.
    public let userId: String?
    /// Event name.
    public let name: String
    /// Version-neutral JSON payload.
    public let payload: String

    /// Creates an event to append.
    public init(clientId: String, userId: String?, name: String, payload: String) {
        self.clientId = clientId
        self.userId = userId
        self.name = name
        self.payload = payload
    }
}
