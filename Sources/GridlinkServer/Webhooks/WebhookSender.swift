import AsyncHTTPClient
import Foundation
import GridlinkCore
import NIOCore
import NIOHTTP1

/// What a receiver answered.
struct WebhookReceipt: Sendable {
    /// HTTP status, nil when no response arrived.
    let status: Int?
    /// Response body (truncated), if any.
    let body: String
    /// Response headers.
    let headers: [String: String]
    /// Why the request failed, when it did.
    let error: String?
    /// The `x-enode-delivery` id sent.
    let deliveryId: String
    /// Round-trip time in milliseconds.
    let latencyMilliseconds: Int

    /// Any 2xx within the timeout.
    var isSuccess: Bool { status.map { (200..<300).contains($0) } ?? false }
}

/// POSTs signed batches to webhook URLs: `x-enode-delivery`, `x-enode-signature`, the optional auth header, the
/// Standard Webhooks headers when the webhook asks for them, 5 s timeout.
struct WebhookSender: Sendable {
    /// Wall time for `webhook-timestamp` (receivers compare it with their own clock, so never simulation time).
    let wallClock: any GridClock
    /// How long a receiver may take.
    static let timeout = TimeAmount.seconds(5)

    /// Sends `body` to the webhook as message `messageId` (the `webhook-id`, stable across redeliveries); never throws.
    func send(_ body: Data, to webhook: Webhook, messageId: String) async -> WebhookReceipt {
        let deliveryId = UUID().uuidString.lowercased()
        let started = ContinuousClock.now
        func elapsed() -> Int { Int((ContinuousClock.now - started) / .milliseconds(1)) }
        var request = HTTPClientRequest(url: webhook.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "Gridlink-Webhooks/1")
        request.headers.add(name: "x-enode-delivery", value: deliveryId)
        request.headers.add(name: "x-enode-signature", value: WebhookSignature.sign(body: body, secret: webhook.secret))
        if webhook.standardWebhooks {
            let timestamp = Int64(wallClock.now().timeIntervalSince1970.rounded(.down))
            request.headers.add(name: "webhook-id", value: messageId)
            request.headers.add(name: "webhook-timestamp", value: String(timestamp))
            request.headers.add(name: "webhook-signature",
                                value: StandardWebhookSignature.sign(id: messageId, timestamp: timestamp, body: body, secret: webhook.secret))
        }
        if let authentication = webhook.authentication, HeaderSyntax.isToken(authentication.headerName),
           HeaderSyntax.isFieldValue(authentication.headerValue) {
            request.headers.add(name: authentication.headerName, value: authentication.headerValue)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: Self.timeout)
            let buffer = try await response.body.collect(upTo: 64 * 1024)
            var headers: [String: String] = [:]
            for header in response.headers { headers[header.name.lowercased()] = header.value }
            return WebhookReceipt(status: Int(response.status.code), body: String(buffer: buffer), headers: headers, error: nil,
                                  deliveryId: deliveryId, latencyMilliseconds: elapsed())
        } catch {
            return WebhookReceipt(status: nil, body: "", headers: [:], error: String(describing: error),
                                  deliveryId: deliveryId, latencyMilliseconds: elapsed())
        }
    }
}

extension WebhookReceipt {
    /// The log entry for this answer to a batch of `events` sent to `webhookId` at `at`.
    func attempt(webhookId: String, events: [String], at: Date) -> WebhookAttempt {
        WebhookAttempt(deliveryId: deliveryId, webhookId: webhookId, attemptedAt: at, events: events, statusCode: status,
                       error: error, latencyMilliseconds: latencyMilliseconds)
    }
}
