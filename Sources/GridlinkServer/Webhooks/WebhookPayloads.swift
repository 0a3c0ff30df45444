import Foundation
import GridlinkCore

/// Renders queued events as the JSON array a webhook receives, in the webhook's API version.
enum WebhookPayloads {
    /// The name an event has in `version` (`user:vendor-action:updated` was `user:charge-action:updated` before 2023-03-01).
    static func name(_ name: String, in version: APIVersion) -> String {
        name == "user:vendor-action:updated" && version < .v2023_03_01 ? "user:charge-action:updated" : name
    }

    /// One event object: `event`, `createdAt`, `version` and the event's own fields, assets rendered for `version`.
    static func event(name: String, payload: String, createdAt: Date, version: APIVersion) -> JSONValue {
        var body = (try? JSONDecoder().decode(JSONValue.self, from: Data(payload.utf8))) ?? [:]
        for type in VendorType.allCases {
            if let asset = body[type.rawValue] { body[type.rawValue] = VersionedRendering.assets.render(asset, for: version) }
        }
        body["event"] = .string(self.name(name, in: version))
        body["createdAt"] = .string(Timestamp.format(createdAt))
        body["version"] = .string(version.rawValue)
        return body
    }

    /// The raw body of a batch: a JSON array of events, in queue order.
    static func batch(_ deliveries: [WebhookDelivery], version: APIVersion) throws -> Data {
        let events = deliveries.map { event(name: $0.eventName, payload: $0.payload, createdAt: $0.eventCreatedAt, version: version) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(JSONValue.array(events))
    }
}
