import Foundation
import GridlinkCore

/// Renders queued events as the JSON array a webhook receives, in the webhook's API version.
enum WebhookPayloads {
    /// The name an event has in `version` (`user:vendor-action:updated` was `user:charge-action:updated` before 2023-03-01).
    static func name(_ name: String, in version: APIVersion) -> String {
        WebhookEventNames.name(name, in: version)
    }

    /// The members of an event that hold full API objects, with their endpoint's rendering: the asset of
    /// `user:<type>:discovered|updated|deleted`, the `vendorAction` of action events, the `schedule` and `status`
    /// of schedule events, and `smartChargingStatus`. Other events (and references such as the `inverter: {id}` of
    /// `user:inverter:statistics-updated`) are left as written.
    static func memberRenderings(ofEvent name: String) -> [(key: String, rendering: VersionedRendering)] {
        switch name {
        case "user:vendor-action:updated": return [("vendorAction", ActionViews.rendering)]
        case "user:schedule:execution-updated": return [("schedule", ScheduleViews.rendering), ("status", ScheduleViews.statusRendering)]
        case "user:vehicle:smart-charging-status-updated": return [("smartChargingStatus", SmartChargingViews.statusRendering)]
        default:
            let parts = name.split(separator: ":")
            guard parts.count == 3, parts[0] == "user", ["discovered", "updated", "deleted"].contains(parts[2]),
                  let type = VendorType(rawValue: String(parts[1])) else { return [] }
            return [(type.rawValue, AssetBodies.rendering(type))]
        }
    }

    /// The versions whose events differ from the stored payloads in more than the envelope (worked out once).
    private static let transformedVersions: Set<APIVersion> = {
        let renderings = VendorType.allCases.map(AssetBodies.rendering)
            + [ActionViews.rendering, ScheduleViews.rendering, ScheduleViews.statusRendering, SmartChargingViews.statusRendering]
        return Set(APIVersion.allCases.filter { version in renderings.contains { $0.needsTransform(for: version) } })
    }()

    /// Whether events for `version` differ from the stored payloads in more than the envelope.
    static func needsTransform(for version: APIVersion) -> Bool {
        transformedVersions.contains(version)
    }

    /// The `id` of the outbox event with `sequence`: `evt_` and the sequence in decimal. The same on every
    /// redelivery and for every webhook the event goes to, so receivers de-duplicate on it (a Gridlink extension).
    static func eventId(sequence: Int64) -> String {
        "evt_\(sequence)"
    }

    /// One event object: `id`, `event`, `createdAt`, `version` and the event's own fields, each API object in it
    /// (asset, action, schedule, schedule status) rendered for `version` as its endpoints render it.
    static func event(id: String, name: String, payload: String, createdAt: Date, version: APIVersion) -> JSONValue {
        var body = (try? JSONDecoder().decode(JSONValue.self, from: Data(payload.utf8))) ?? [:]
        for (key, rendering) in memberRenderings(ofEvent: name) {
            if let member = body[key] { body[key] = rendering.render(member, for: version) }
        }
        body["id"] = .string(id)
        body["event"] = .string(self.name(name, in: version))
        body["createdAt"] = .string(Timestamp.format(createdAt))
        body["version"] = .string(version.rawValue)
        return body
    }

    /// The raw body of a batch: a JSON array of events, in queue order.
    static func batch(_ deliveries: [WebhookDelivery], version: APIVersion) throws -> Data {
        let events = try deliveries.map {
            try eventText(id: eventId(sequence: $0.eventSequence), name: $0.eventName, payload: $0.payload, createdAt: $0.eventCreatedAt, version: version)
        }
        return Data(("[" + events.joined(separator: ",") + "]").utf8)
    }

    /// Keys ``event(id:name:payload:createdAt:version:)`` sets on every event.
    static let envelopeKeys: Set<String> = ["id", "event", "createdAt", "version"]

    /// One event as JSON text, equal in content to ``event(id:name:payload:createdAt:version:)``. When `version`
    /// needs no transform (the usual case), the stored payload text (an object written by the server) is
    /// spliced behind the envelope as it is, without decoding and re-encoding it, which is most of a batch's cost.
    static func eventText(id: String, name: String, payload: String, createdAt: Date, version: APIVersion) throws -> String {
        guard !needsTransform(for: version), payload.utf8.first == UInt8(ascii: "{"),
              let keys = JSONText.topLevelKeys(of: payload), keys.isDisjoint(with: envelopeKeys) else {
            return String(decoding: try encode(event(id: id, name: name, payload: payload, createdAt: createdAt, version: version)), as: UTF8.self)
        }
        let envelope = [("createdAt", Timestamp.format(createdAt)), ("event", self.name(name, in: version)), ("id", id), ("version", version.rawValue)]
            .map { "\"\($0.0)\":" + JSONText.quoted($0.1) }.joined(separator: ",")
        return "{" + envelope + (keys.isEmpty ? "}" : "," + payload.dropFirst())
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

    /// The `webhook-id` of a delivery of one event that is never redelivered: its random `id`.
    static func messageId(of systemEvent: JSONValue) -> String {
        systemEvent["id"]?.string.map { "msg_" + $0 } ?? "msg_" + UUID().uuidString.lowercased()
    }

    /// The raw body of a delivery: the events as a JSON array.
    static func encode(_ events: [JSONValue]) throws -> Data {
        try encode(JSONValue.array(events))
    }

    /// Compact JSON with sorted keys and unescaped slashes, the form outbox payloads are stored in.
    private static func encode(_ value: JSONValue) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}

/// Byte-level helpers for JSON text the server wrote itself.
enum JSONText {
    /// The keys at the top level of a JSON object, found by one scan that skips strings and nested values;
    /// nil when `text` is not a single well-nested object. Keys are returned as written (escapes not decoded).
    static func topLevelKeys(of text: String) -> Set<String>? {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        var keys = Set<String>()
        var depth = 0, inString = false, escaped = false, expectingKey = false, capturing = false, closed = false
        var key: [UInt8] = []
        for byte in text.utf8 {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == backslash {
                    escaped = true
                } else if byte == quote {
                    inString = false
                    if capturing { keys.insert(String(decoding: key, as: UTF8.self)) }
                    capturing = false
                    continue
                }
                if capturing { key.append(byte) }
                continue
            }
            switch byte {
            case quote:
                guard depth > 0 else { return nil }
                inString = true
                capturing = depth == 1 && expectingKey
                expectingKey = false
                key.removeAll(keepingCapacity: true)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard !closed, depth > 0 || byte == UInt8(ascii: "{") else { return nil }
                depth += 1
                expectingKey = depth == 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                guard depth >= 0 else { return nil }
                closed = depth == 0
            case UInt8(ascii: ","):
                expectingKey = depth == 1
            default:
                if depth == 0 && byte > 0x20 { return nil }
            }
        }
        return closed && !inString ? keys : nil
    }

    /// `text` as a JSON string literal: as it is between quotes when nothing in it needs escaping (event names,
    /// ids, timestamps, versions), else through the JSON encoder.
    static func quoted(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) { return "\"" + text + "\"" }
        return (try? JSONEncoder().encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}
