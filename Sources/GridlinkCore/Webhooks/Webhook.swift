import Foundation

/// A client's webhook subscription.
public struct Webhook: Sendable, Equatable {
    /// Webhook id.
    public let id: String
    /// Owning client.
    public let clientId: String
    /// Where deliveries go.
    public var url: String
    /// HMAC secret (never returned by the API).
    public var secret: String
    /// Subscribed event names; `*` means all.
    public var events: [String]
    /// Version payloads are rendered in; nil follows the client's version.
    public var apiVersion: APIVersion?
    /// Extra header sent with every delivery, as (lower-cased name, value).
    public var authentication: WebhookAuthentication?
    /// False once deliveries kept failing for the whole retry budget.
    public var isActive: Bool
    /// When the current run of failures began, if failing.
    public var failingSince: Date?
    /// When a delivery last succeeded (creation time at first).
    public var lastSuccess: Date
    /// When it was created.
    public let createdAt: Date
    /// Whether deliveries also carry the Standard Webhooks headers (a Gridlink extension).
    public var standardWebhooks: Bool

    /// Creates a webhook value.
    public init(
        id: String, clientId: String, url: String, secret: String, events: [String], apiVersion: APIVersion?,
        authentication: WebhookAuthentication?, isActive: Bool, failingSince: Date?, lastSuccess: Date, createdAt: Date,
        standardWebhooks: Bool = false
    ) {
        self.id = id
        self.clientId = clientId
        self.url = url
        self.secret = secret
        self.events = events
        self.apiVersion = apiVersion
        self.authentication = authentication
        self.isActive = isActive
        self.failingSince = failingSince
        self.lastSuccess = lastSuccess
        self.createdAt = createdAt
        self.standardWebhooks = standardWebhooks
    }

    /// Whether the webhook wants events currently called `name` (a subscription may use an older name of the event).
    public func subscribes(to name: String) -> Bool {
        events.isEmpty || events.contains("*") || events.contains { WebhookEventNames.current($0) == name }
    }
}

/// The optional authentication header of a webhook.
public struct WebhookAuthentication: Sendable, Equatable, Codable {
    /// Header name (sent lower-cased).
    public let headerName: String
    /// Header value.
    public let headerValue: String

    /// Creates an authentication header.
    public init(headerName: String, headerValue: String) {
        self.headerName = headerName.lowercased()
        self.headerValue = headerValue
    }
}

/// One event queued for one webhook.
public struct WebhookDelivery: Sendable, Equatable {
    /// Queue position.
    public let sequence: Int64
    /// Target webhook.
    public let webhookId: String
    /// The outbox event's sequence (its identity and order).
    public let eventSequence: Int64
    /// Event name.
    public let eventName: String
    /// Version-neutral payload.
    public let payload: String
    /// When the event happened.
    public let eventCreatedAt: Date
    /// Failed attempts so far.
    public let attempts: Int

    /// Creates a delivery value.
    public init(sequence: Int64, webhookId: String, eventSequence: Int64, eventName: String, payload: String, eventCreatedAt: Date, attempts: Int) {
        self.sequence = sequence
        self.webhookId = webhookId
        self.eventSequence = eventSequence
        self.eventName = eventName
        self.payload = payload
        self.eventCreatedAt = eventCreatedAt
        self.attempts = attempts
    }
}
