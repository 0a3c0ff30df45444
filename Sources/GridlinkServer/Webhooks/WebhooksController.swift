import Foundation
import GridlinkCore
import GridlinkStore
import Hummingbird

/// `/webhooks`: subscription management and the synchronous test delivery.
struct WebhooksController: Sendable {
    let store: Store
    let clock: any GridClock
    let sender: WebhookSender

    /// Every subscribable event name (ENUMS WebhookEvent).
    static let eventNames = [
        "*", "user:vehicle:discovered", "user:vehicle:updated", "user:vehicle:deleted", "user:vehicle:smart-charging-status-updated",
        "user:charge-action:updated", "user:vendor-action:updated", "user:schedule:execution-updated", "user:charger:discovered",
        "user:charger:updated", "user:charger:deleted", "user:hvac:discovered", "user:hvac:updated", "user:hvac:deleted",
        "user:inverter:discovered", "user:inverter:updated", "user:inverter:deleted", "user:inverter:statistics-updated",
        "user:credentials:invalidated", "user:battery:discovered", "user:battery:updated", "user:battery:deleted",
        "enode:webhook:test", "user:meter:discovered", "user:meter:updated", "user:meter:deleted",
    ]
    /// Shortest accepted secret: 32 characters (128 bits as hex).
    static let minimumSecretLength = 32
    private static let tag = "Webhooks"
    private static let schema = OpenAPISchemas.ref("Webhook")

    /// Adds the webhook routes.
    func register(in registry: RouteRegistry) {
        registry.add(.post, "/webhooks", operation: .init(
            "createWebhook", summary: "Create a webhook", tag: Self.tag,
            requestBody: (contentType: "application/json", schema: OpenAPISchemas.ref("WebhookCreatePayload")),
            responses: [200: .init("The webhook", schema: Self.schema), 409: .problem("A webhook with this URL already exists")])
        ) { request, context in
            let client = try context.requireClient()
            let body = try await JSONBody.decode(WebhookPayload.self, from: request)
            guard let url = body.url else { throw Problem.badRequest("\"url\" is required") }
            guard let secret = body.secret else { throw Problem.badRequest("\"secret\" is required") }
            let now = clock.now()
            let webhook = Webhook(
                id: UUID().uuidString.lowercased(), clientId: client.id, url: try Self.checkURL(url, environment: client.environment),
                secret: try Self.checkSecret(secret), events: try Self.checkEvents(body.events ?? []),
                apiVersion: try Self.checkVersion(body.apiVersion ?? nil), authentication: try Self.checkAuthentication(body.authentication ?? nil),
                isActive: true, failingSince: nil, lastSuccess: now, createdAt: now, standardWebhooks: body.standardWebhooks ?? false)
            try Self.checkStandardSecret(webhook)
            try await save(webhook) { try await $0.insertWebhook(webhook) }
            return try JSONCoding.response(Self.view(webhook))
        }

        registry.add(.get, "/webhooks", operation: .init(
            "listWebhooks", summary: "List webhooks", tag: Self.tag, parameters: OpenAPISchemas.pageParameters,
            responses: [200: .init("Webhooks, newest first", schema: OpenAPISchemas.paginated(Self.schema))])
        ) { request, context in
            let clientId = try context.requireClient().id
            return try await ListRendering.respond(to: request, context: context, rendering: nil) { page in
                try await store.read { try await $0.webhooks(clientId: clientId, page: page) }
            } render: { Self.view($0) }
        }

        registry.add(.get, "/webhooks/{webhookId}", operation: .init(
            "getWebhook", summary: "Get a webhook", tag: Self.tag, responses: [200: .init("The webhook", schema: Self.schema)])
        ) { _, context in
            try JSONCoding.response(Self.view(try await find(context)))
        }

        registry.add(.patch, "/webhooks/{webhookId}", operation: .init(
            "updateWebhook", summary: "Update a webhook (also re-activates it)", tag: Self.tag,
            requestBody: (contentType: "application/json", schema: OpenAPISchemas.ref("WebhookUpdatePayload")),
            responses: [200: .init("The webhook", schema: Self.schema), 409: .problem("A webhook with this URL already exists")])
        ) { request, context in
            let client = try context.requireClient()
            var webhook = try await find(context)
            let body = try await JSONBody.decode(WebhookPayload.self, from: request)
            if let url = body.url { webhook.url = try Self.checkURL(url, environment: client.environment) }
            if let secret = body.secret { webhook.secret = try Self.checkSecret(secret) }
            if let events = body.events { webhook.events = try Self.checkEvents(events) }
            if let version = body.apiVersion { webhook.apiVersion = try Self.checkVersion(version) }
            if let authentication = body.authentication { webhook.authentication = try Self.checkAuthentication(authentication) }
            if let standard = body.standardWebhooks { webhook.standardWebhooks = standard }
            try Self.checkStandardSecret(webhook)
            webhook.isActive = true
            webhook.failingSince = nil
            let updated = webhook
            try await save(updated) { try await $0.updateWebhook(updated) }
            return try JSONCoding.response(Self.view(updated))
        }

        registry.add(.delete, "/webhooks/{webhookId}", operation: .init(
            "deleteWebhook", summary: "Delete a webhook and its queued events", tag: Self.tag, responses: [204: .init("Deleted")])
        ) { _, context in
            let webhook = try await find(context)
            _ = try await store.write { try await $0.deleteWebhook(clientId: webhook.clientId, id: webhook.id) }
            return Response(status: .noContent)
        }

        registry.add(.post, "/webhooks/{webhookId}/test", operation: .init(
            "testWebhook", summary: "Send enode:webhook:test now and report the receiver's answer", tag: Self.tag,
            responses: [200: .init("The test result", schema: OpenAPISchemas.ref("TestWebhookResult"))])
        ) { _, context in
            let webhook = try await find(context)
            return try JSONCoding.response(try await test(webhook, event: "enode:webhook:test", clientVersion: try context.requireClient().apiVersion))
        }
    }

    /// Sends one test event now, logs it, re-activates the webhook on success, and answers the TestWebhookResult.
    private func test(_ webhook: Webhook, event name: String, clientVersion: APIVersion) async throws -> JSONValue {
        var webhook = webhook
        let version = webhook.apiVersion ?? clientVersion
        let now = clock.now()
        let event = WebhookPayloads.systemEvent(name, createdAt: now, version: version)
        let receipt = await sender.send(try WebhookPayloads.encode([event]), to: webhook, messageId: WebhookPayloads.messageId(of: event))
        try await store.write { [webhookId = webhook.id] in try await $0.logAttempt(receipt.attempt(webhookId: webhookId, events: [name], at: now)) }
        if receipt.isSuccess {
            webhook.isActive = true
            webhook.failingSince = nil
            webhook.lastSuccess = clock.now()
            let healthy = webhook
            try await store.write { try await $0.updateWebhook(healthy) }
        }
        let response: JSONValue = receipt.status.map { code in
            ["code": .number(Double(code)), "body": .string(receipt.body), "headers": .array(receipt.headers.map { .string("\($0.key): \($0.value)") })]
        } ?? .null
        return [
            "status": .string(receipt.isSuccess ? "SUCCESS" : "FAILURE"),
            "description": .string(receipt.isSuccess ? "The receiver answered \(receipt.status ?? 0)"
                : receipt.status.map { "The receiver answered \($0)" } ?? "No response: \(receipt.error ?? "unknown error")"),
            "response": response,
        ]
    }

    /// Adds the deprecated firehose routes, which exist before 2024-10-01: one all-events webhook per client,
    /// also visible through the `/webhooks` routes.
    func registerFirehose(in registry: RouteRegistry) {
        let versions = VersionRange(removed: .v2024_10_01)
        registry.add(.put, "/webhooks/firehose", versions: versions, operation: .init(
            "updateFirehoseWebhook", summary: "Set the firehose webhook (deprecated)", tag: Self.tag,
            requestBody: (contentType: "application/json", schema: OpenAPISchemas.ref("FirehosePayload")),
            responses: [204: .init("Saved"), 409: .problem("Another webhook of the client already uses this URL")])
        ) { request, context in
            let client = try context.requireClient()
            let body = try await JSONBody.decode(FirehosePayload.self, from: request)
            let url = try Self.checkURL(body.url, environment: client.environment)
            let secret = try Self.checkSecret(body.secret)
            let id = Self.firehoseId(of: client.id)
            let now = clock.now()
            if var existing = try await store.read({ try await $0.webhook(clientId: client.id, id: id) }) {
                existing.url = url
                existing.secret = secret
                existing.isActive = true
                existing.failingSince = nil
                let updated = existing
                try await save(updated) { try await $0.updateWebhook(updated) }
            } else {
                let webhook = Webhook(id: id, clientId: client.id, url: url, secret: secret, events: ["*"], apiVersion: nil,
                                      authentication: nil, isActive: true, failingSince: nil, lastSuccess: now, createdAt: now)
                try await save(webhook) { try await $0.insertWebhook(webhook) }
            }
            return Response(status: .noContent)
        }

        registry.add(.delete, "/webhooks/firehose", versions: versions, operation: .init(
            "deleteFirehoseWebhook", summary: "Delete the firehose webhook (deprecated; the body names its URL)", tag: Self.tag,
            requestBody: (contentType: "application/json", schema: OpenAPISchemas.ref("FirehoseDeletePayload")), responses: [204: .init("Deleted")])
        ) { request, context in
            let clientId = try context.requireClient().id
            let body = try await JSONBody.decode(FirehoseDeletePayload.self, from: request)
            let id = Self.firehoseId(of: clientId)
            guard let firehose = try await store.read({ try await $0.webhook(clientId: clientId, id: id) }), firehose.url == body.url else {
                throw Problem.notFound("No firehose webhook with that URL", title: "Webhook not found")
            }
            _ = try await store.write { try await $0.deleteWebhook(clientId: clientId, id: id) }
            return Response(status: .noContent)
        }

        registry.add(.post, "/webhooks/firehose/test", versions: versions, operation: .init(
            "testFirehoseWebhook", summary: "Send enode:firehose:test to the firehose webhook (deprecated)", tag: Self.tag,
            responses: [200: .init("The test result", schema: OpenAPISchemas.ref("TestWebhookResult"))])
        ) { _, context in
            let client = try context.requireClient()
            guard let firehose = try await store.read({ try await $0.webhook(clientId: client.id, id: Self.firehoseId(of: client.id)) }) else {
                throw Problem.notFound("This client has no firehose webhook", title: "Webhook not found")
            }
            return try JSONCoding.response(try await test(firehose, event: "enode:firehose:test", clientVersion: client.apiVersion))
        }
    }

    /// The firehose webhook's id: a stable UUID derived from the client id.
    static func firehoseId(of clientId: String) -> String {
        let hex = AccessTokenDigest.of("firehose:" + clientId)
        let characters = Array(hex)
        func part(_ range: Range<Int>) -> String { String(characters[range]) }
        return [part(0..<8), part(8..<12), "5" + part(13..<16), "8" + part(17..<20), part(20..<32)].joined(separator: "-")
    }

    /// Adds the delivery log route (a Gridlink extension).
    func registerLog(in registry: RouteRegistry) {
        registry.add(.get, "/webhooks/{webhookId}/deliveries", operation: .init(
            "listWebhookDeliveries", summary: "Delivery attempts of a webhook, newest first (Gridlink extension; the last 500 are kept)",
            tag: Self.tag, parameters: OpenAPISchemas.pageParameters,
            responses: [200: .init("Attempts", schema: OpenAPISchemas.paginated(OpenAPISchemas.ref("WebhookAttempt")))])
        ) { request, context in
            let webhook = try await find(context)
            return try await ListRendering.respond(to: request, context: context, rendering: nil) { page in
                try await store.read { try await $0.attempts(webhookId: webhook.id, page: page) }
            } render: { attempt -> JSONValue in
                [
                    "deliveryId": .string(attempt.deliveryId), "attemptedAt": .string(Timestamp.format(attempt.attemptedAt)),
                    "events": .array(attempt.events.map { .string($0) }),
                    "statusCode": attempt.statusCode.map { .number(Double($0)) } ?? .null,
                    "error": attempt.error.map { .string($0) } ?? .null, "latencyMs": .number(Double(attempt.latencyMilliseconds)),
                ]
            }
        }
    }

    /// Writes a webhook; a URL the client already uses is the documented 409 problem.
    private func save(_ webhook: Webhook, _ write: @Sendable (StoreSession) async throws -> Void) async throws {
        do {
            try await store.write(write)
        } catch StoreError.uniqueViolation {
            throw Problem.conflict("A webhook for \(webhook.url) already exists", title: "Webhook already exists.")
        }
    }

    private func find(_ context: GridlinkRequestContext) async throws -> Webhook {
        let clientId = try context.requireClient().id
        let id = try context.parameters.require("webhookId")
        guard let webhook = try await store.read({ try await $0.webhook(clientId: clientId, id: id) }) else {
            throw Problem.notFound("Webhook \(id) not found", title: "Webhook not found")
        }
        return webhook
    }

    /// The API view: the secret is never returned, the authentication only by header name.
    static func view(_ webhook: Webhook) -> JSONValue {
        [
            "id": .string(webhook.id), "url": .string(webhook.url), "lastSuccess": .string(Timestamp.format(webhook.lastSuccess)),
            "isActive": .bool(webhook.isActive), "createdAt": .string(Timestamp.format(webhook.createdAt)),
            "apiVersion": webhook.apiVersion.map { .string($0.rawValue) } ?? .null,
            "authentication": webhook.authentication.map { ["headerName": .string($0.headerName)] } ?? .null,
            "events": .array(webhook.events.map { .string($0) }), "standardWebhooks": .bool(webhook.standardWebhooks),
        ]
    }

    /// An absolute http(s) URL; plain http only to loopback or private hosts, and only for sandbox clients.
    static func checkURL(_ text: String, environment: ClientEnvironment) throws -> String {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else {
            throw Problem.badRequest("\"url\" must be an absolute http(s) URL")
        }
        if scheme == "http" {
            guard environment == .sandbox else { throw Problem.badRequest("\"url\" must use https for production clients") }
            let privateHost = host == "localhost" || host.hasPrefix("127.") || host == "::1" || host.hasPrefix("10.") || host.hasPrefix("192.168.")
                || (host.hasPrefix("172.") && (16...31).contains(Int(host.split(separator: ".").dropFirst().first ?? "") ?? 0))
            guard privateHost else { throw Problem.badRequest("\"url\" may use plain http only for loopback or private addresses") }
        }
        return text
    }

    static func checkSecret(_ secret: String) throws -> String {
        guard secret.count >= minimumSecretLength else {
            throw Problem.badRequest("\"secret\" must be at least \(minimumSecretLength) characters (128 bits or more of randomness)")
        }
        return secret
    }

    /// A `whsec_` secret of a Standard Webhooks webhook must be base64 after the prefix (its key is the decoded bytes).
    static func checkStandardSecret(_ webhook: Webhook) throws {
        guard webhook.standardWebhooks, webhook.secret.hasPrefix(StandardWebhookSignature.secretPrefix) else { return }
        guard StandardWebhookSignature.decodedKey(webhook.secret) != nil else {
            throw Problem.badRequest("\"secret\" starts with \"whsec_\" but the rest is not base64 (the Standard Webhooks key)")
        }
    }

    /// The subscribed events, each once in first-occurrence order; a 400 problem names an unknown one.
    static func checkEvents(_ events: [String]) throws -> [String] {
        for (index, event) in events.enumerated() where !eventNames.contains(event) {
            throw Problem.badRequest("\"events[\(index)]\" must be a known event name; got \"\(event)\"")
        }
        return events.removingDuplicates()
    }

    static func checkVersion(_ version: String?) throws -> APIVersion? {
        guard let version else { return nil }
        guard let known = APIVersion(rawValue: version) else {
            throw Problem.badRequest("\"apiVersion\" must be one of [\(APIVersion.ordered.map(\.rawValue).joined(separator: ", "))]")
        }
        return known
    }

    static func checkAuthentication(_ authentication: WebhookAuthenticationPayload?) throws -> WebhookAuthentication? {
        guard let authentication else { return nil }
        guard HeaderSyntax.isToken(authentication.headerName) else {
            throw Problem.badRequest("\"authentication.headerName\" must be an HTTP header name (ASCII letters, digits and !#$%&'*+.^_`|~-)")
        }
        guard HeaderSyntax.isFieldValue(authentication.headerValue) else {
            throw Problem.badRequest("\"authentication.headerValue\" must be non-empty visible ASCII on one line")
        }
        return WebhookAuthentication(headerName: authentication.headerName, headerValue: authentication.headerValue)
    }
}

/// RFC 9110 header syntax, checked before a header is ever sent.
enum HeaderSyntax {
    private static let tokenSymbols = Set("!#$%&'*+.^_`|~-".unicodeScalars)

    /// A header name: one or more ASCII letters, digits or token symbols.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || tokenSymbols.contains($0)) }
    }

    /// A header value: non-empty visible ASCII, spaces and tabs, without surrounding whitespace.
    static func isFieldValue(_ text: String) -> Bool {
        !text.isEmpty && text == text.trimmingCharacters(in: .whitespaces)
            && text.unicodeScalars.allSatisfy { ($0.value >= 0x20 && $0.value < 0x7F) || $0 == "\t" }
    }
}

/// Body of `POST /webhooks` and `PATCH /webhooks/{id}` (on create `url` and `secret` are required).
struct WebhookPayload: Decodable {
    let url: String?
    let secret: String?
    let events: [String]?
    let apiVersion: String??
    let authentication: WebhookAuthenticationPayload??
    /// Also send the Standard Webhooks headers (a Gridlink extension).
    let standardWebhooks: Bool?
}

/// `{headerName, headerValue}`.
struct WebhookAuthenticationPayload: Decodable {
    let headerName: String
    let headerValue: String
}

/// `PUT /webhooks/firehose` body.
struct FirehosePayload: Decodable {
    let url: String
    let secret: String
}

/// `DELETE /webhooks/firehose` body.
struct FirehoseDeletePayload: Decodable {
    let url: String
}
