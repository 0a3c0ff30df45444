import Foundation

/// One logged delivery attempt: what was sent to which webhook and what came back.
public struct WebhookAttempt: Sendable, Equatable {
    /// The `x-enode-delivery` id of the POST.
    public let deliveryId: String
    /// Target webhook.
    public let webhookId: String
    /// When it was sent (simulation time).
    public let attemptedAt: Date
    /// Names of the events in the batch, in order.
    public let events: [String]
    /// HTTP status, nil when no response arrived.
    public let statusCode: Int?
    /// Why it failed without a response, if it did.
    public let error: String?
    /// Round-trip time in milliseconds.
    public let latencyMilliseconds: Int

    /// Creates an attempt record.
    public init(deliveryId: String, webhookId: String, attemptedAt: Date, events: [String], statusCode: Int?, error: String?, latencyMilliseconds: Int) {
        self.deliveryId = deliveryId
        self.webhookId = webhookId
        self.attemptedAt = attemptedAt
        self.events = events
        self.statusCode = statusCode
        self.error = error
        self.latencyMilliseconds = latencyMilliseconds
    }

    /// Attempts kept per webhook; older ones are deleted as new ones are logged.
    public static let retention = 500
}
