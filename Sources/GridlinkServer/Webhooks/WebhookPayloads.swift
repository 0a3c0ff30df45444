import Foundation
import GridlinkCore

/// Renders queued events as the JSON array a webhook receives, in the webhook's API version.
enum WebhookPayloads {
    /// The name an event has in `version` (`user:vendor-action:updated` was `user:charge-action:updated` before 2023-03-01).
    static func name(_ name: String, in version: APIVersion) -> String {
        name == "user:vendor-action:updated" && version < .v2023_03_01 ? "user:charge-action:updated" : name
    }

    /// The `id` of the outbox event with `sequence`: `evt_` and the sequence in decimal. The same on every
    /// redelivery and for every webhook the event goes to, so receivers de-duplicate on it (a Gridlink extension).
    static func eventId(sequence: Int64) -> String {
        "evt_\(sequence)"
    }

    /// One event object: `id`, `event`, `createdAt`, `version` and the event's own fields, assets rendered for `version`.
    static func event(id: String, name: String, payload: String, createdAt: Date, version: APIVersion) -> JSONValue {
        var body = (try? JSONDecoder().decode(JSONValue.self, from: Data(payload.utf8))) ?? [:]
        for type in VendorType.allCases {
            if let asset = body[type.rawValue] { body[type.rawValue] = VersionedRendering.assets.render(asset, for: version) }
        }
        body["id"] = .string(id)
        body["event"] = .string(self.name(name, in: version))
        body["createdAt"] = .string(Timestamp.format(createdAt))
        body["version"] = .string(version.rawValue)
        return body
    }

    /// The raw body of a batch: a JSON array of events, in queue order.
    static func batch(_ deliveries: [WebhookDelivery], version: APIVersion) throws -> Data {
        let events = deliveries.map {
            event(id: eventId(sequence: $0.eventSequence), name: $0.eventName, payload: $0.payload, createdAt: $0.eventCreatedAt, version: version)
        }
        return try encode(events)
    }

    /// An event that is not in the outbox and never redelivered (`system:heartbeat`, the test events): a fresh
    /// random `id`, `event`, `createdAt`, `version` and `fields`.
    static func systemEvent(_ name: String, createdAt: Date, version: APIVersion, fields: [String: JSONValue] = [:]) -> JSONValue {
        var body = JSONValue.object(fields)
        body["id"] = .string(UUID().uuidString.lowercased())
        body["event"] = .string(name)
        body["createdAt"] = .string(Timestamp.format(createdAt))
        body["version"] = .string(version.rawValue)
        return body
    }

    /// The raw body of a delivery: the events as a JSON array.
    static func encode(_ events: [JSONValue]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(JSONValue.array(events))
    }
}
