import Foundation
import GridlinkCore
@testable import GridlinkServer
import GridlinkStore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

/// A real HTTP receiver on 127.0.0.1 that records what it gets and answers a settable status.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        let headers: HTTPFields
        let body: String
    }

    private let state = Mutex<(received: [Received], status: Int)>(([], 200))

    var received: [Received] { state.withLock { $0.received } }
    /// Everything but heartbeats.
    var batches: [Received] { received.filter { !$0.body.contains("system:heartbeat") } }

    /// Stores a request and returns the status to answer.
    private func record(_ request: Received) -> Int {
        state.withLock { current in
            current.received.append(request)
            return current.status
        }
    }
    func answer(_ status: Int) { state.withLock { $0.status = status } }

    /// Runs the receiver for the duration of `body`, passing its base URL.
    func run(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("/hook") { [self] request, _ -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 22)
            return Response(status: .init(code: record(Received(headers: request.headers, body: String(buffer: buffer)))))
        }
        let port = PortBox()
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                      onServerRunning: { channel in port.set(channel.localAddress?.port) })
        // Stopped by a graceful shutdown rather than cancellation, so a passing test prints no server errors.
        let services = ServiceGroup(services: [application], gracefulShutdownSignals: [], logger: Logger(label: "receiver"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var bound: Int?
            for _ in 0..<100 where bound == nil {
                try await Task.sleep(for: .milliseconds(20))
                bound = port.value
            }
            do {
                try await body("http://127.0.0.1:\(bound ?? 0)/hook")
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
            await services.triggerGracefulShutdown()
        }
    }
}

/// The receiver's bound port, set from the server's start-up callback.
final class PortBox: Sendable {
    private let port = Mutex<Int?>(nil)
    var value: Int? { port.withLock { $0 } }
    func set(_ value: Int?) { port.withLock { $0 = value } }
}

@Suite("Webhooks")
struct WebhookTests {
    @Test("the signature matches the guide's test vector")
    func signatureVector() {
        #expect(WebhookSignature.sign(body: Data(#"{"payload":"example"}"#.utf8), secret: "example-secret")
            == "sha1=e417e6fc2e7f8a78c93a35a7b344d36ce179fc8d")
    }

    @Test("retries back off to four hours with ±10 % jitter; the budget is 24 h, 5 min in the sandbox, and the last try falls on it")
    func retryPolicy() {
        #expect(WebhookRetryPolicy.delay(afterFailures: 1, random: 0.5) == 30)
        #expect(WebhookRetryPolicy.delay(afterFailures: 1, random: 0) == 27)
        #expect(WebhookRetryPolicy.delay(afterFailures: 50, random: 0.5) == 14_400)
        #expect(WebhookRetryPolicy.budget(for: .production) == 86_400 && WebhookRetryPolicy.budget(for: .sandbox) == 300)
        // Over a day a failing production webhook is retried 15 times before it is given up.
        var elapsed = 0.0, attempts = 0
        while elapsed < 86_400 { attempts += 1; elapsed += WebhookRetryPolicy.delay(afterFailures: attempts, random: 0.5) }
        #expect(attempts == 15)
        // Retries never overshoot the budget: the last try, which gives the webhook up if it fails, falls on it.
        func tries(budget: TimeInterval) -> [TimeInterval] {
            let start = Date(timeIntervalSince1970: 0)
            var times: [TimeInterval] = [0]
            while let last = times.last, last < budget {
                let next = WebhookRetryPolicy.nextAttempt(afterFailures: times.count, at: start.addingTimeInterval(last), failingSince: start,
                                                          budget: budget, random: 0.5)
                times.append(next.timeIntervalSince(start))
            }
            return times
        }
        #expect(tries(budget: 300) == [0, 30, 90, 210, 300])
        #expect(tries(budget: 86_400).count == 16 && tries(budget: 86_400).suffix(2) == [83_910, 86_400])
        // The run began at 0.6 ms, stored as 1 ms; the try scheduled on the budget (300.001 s, stored) finds it spent.
        #expect(WebhookRetryPolicy.isSpent(failingSince: Date(timeIntervalSince1970: 0.001), at: Date(timeIntervalSince1970: 300.0006), budget: 300))
        #expect(!WebhookRetryPolicy.isSpent(failingSince: Date(timeIntervalSince1970: 0.001), at: Date(timeIntervalSince1970: 299.99), budget: 300))
    }

    @Test("payloads are rendered for the webhook's version: event names and asset shapes")
    func versionRendering() {
        let payload = #"{"user":{"id":"u"},"charger":{"id":"c","scopes":[],"location":{"id":"l","lastUpdated":null}},"updatedFields":["x"]}"#
        let current = WebhookPayloads.event(id: "evt_1", name: "user:charger:updated", payload: payload, createdAt: Date(timeIntervalSince1970: 0), version: .current)
        #expect(current["event"] == "user:charger:updated" && current["version"] == "2024-10-01" && current["charger"]?["scopes"] == [])
        #expect(current["id"] == "evt_1" && WebhookPayloads.eventId(sequence: 42) == "evt_42")
        let old = WebhookPayloads.event(id: "evt_1", name: "user:charger:updated", payload: payload, createdAt: Date(timeIntervalSince1970: 0), version: .v2023_05_01)
        #expect(old["charger"]?["chargingLocationId"] == "l" && old["charger"]?["scopes"] == nil)
        #expect(WebhookPayloads.name("user:vendor-action:updated", in: .v2023_02_01) == "user:charge-action:updated")
        #expect(old["createdAt"] == "1970-01-01T00:00:00.000Z")
    }

    @Test("a payload spliced as text renders the same event as a decoded one; other versions and envelope keys decode")
    func splicedPayloads() throws {
        let createdAt = Date(timeIntervalSince1970: 1_780_000_000.5)
        func decoded(_ text: String) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }
        let payloads = [
            #"{"updatedFields":["chargeState.batteryLevel"],"user":{"id":"u"},"vehicle":{"createdAt":"x","id":"v","name":"a \"b\" {c} [d], e","scopes":[]}}"#,
            #"{"user":{"id":"u"},"vendorAction":{"createdAt":"2026-01-01T00:00:00.000Z","id":"a","state":"CONFIRMED"},"updatedFields":["state"]}"#,
            "{}", #"{"id":"payload-id","user":{"id":"u"}}"#, #"{"charger":{"id":"c","scopes":[],"location":{"id":"l","lastUpdated":null}}}"#,
        ]
        for payload in payloads {
            for version in [APIVersion.current, .v2023_05_01, .v2023_02_01] {
                let text = try WebhookPayloads.eventText(id: "evt_7", name: "user:vendor-action:updated", payload: payload, createdAt: createdAt, version: version)
                #expect(try decoded(text) == WebhookPayloads.event(id: "evt_7", name: "user:vendor-action:updated", payload: payload, createdAt: createdAt, version: version),
                        "\(payload) at \(version.rawValue): \(text)")
            }
        }
        // The current version takes the text path: the envelope, then the stored payload as it was.
        let spliced = try WebhookPayloads.eventText(id: "evt_7", name: "user:vehicle:updated", payload: payloads[0], createdAt: createdAt, version: .current)
        #expect(spliced == #"{"createdAt":"2026-05-28T20:26:40.500Z","event":"user:vehicle:updated","id":"evt_7","version":"2024-10-01","# + payloads[0].dropFirst())
        #expect(try decoded(String(decoding: try WebhookPayloads.batch([], version: .current), as: UTF8.self)) == [])
        #expect(JSONText.topLevelKeys(of: #"{"a":{"b":1},"c":["d",{"e":2}],"f":"g,\"h"}"#) == ["a", "c", "f"])
        for malformed in [#"{"a":1}{"b":2}"#, #"{"a":1"#, #"["a"]"#, #""a""#, #"{"a":"1}"#] {
            #expect(JSONText.topLevelKeys(of: malformed) == nil, "\(malformed)")
        }
        #expect(JSONText.quoted("a\"b\\c\n\u{1}é") == #""a\"b\\c\n\u0001é""#)
    }

    @Test("subscription validation: URL, secret, events, duplicate URL; the secret is never returned")
    func subscriptions() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let secret = String(repeating: "ab", count: 16)
            for (body, field) in [
                (["url": "ftp://x", "secret": .string(secret)] as JSONValue, "\"url\""),
                (["url": "http://example.com/hook", "secret": .string(secret)], "\"url\""),
                (["url": "https://example.com/hook", "secret": "short"], "\"secret\""),
                (["url": "https://example.com/hook", "secret": .string(secret), "events": ["user:spaceship:updated"]], "\"events[0]\""),
                (["secret": .string(secret)], "\"url\" is required"),
                (["url": "https://example.com/h", "secret": .string(secret), "authentication": ["headerName": "Tëst", "headerValue": "v"]], "\"authentication.headerName\""),
                (["url": "https://example.com/h", "secret": .string(secret), "authentication": ["headerName": "X-Key", "headerValue": "v\u{1}ä"]], "\"authentication.headerValue\""),
            ] {
                let reply = try await server.send(.post, "/webhooks", token: token, json: body)
                #expect(reply.status == 400 && reply.detail.contains(field), "\(reply.body)")
            }
            let created = try await server.send(.post, "/webhooks", token: token, json: [
                "url": "http://127.0.0.1:9/hook", "secret": .string(secret), "events": ["user:vehicle:updated"],
                "authentication": ["headerName": "X-Api-Key", "headerValue": "k"]])
            #expect(created.status == 200)
            #expect(created.json?["authentication"] == ["headerName": "x-api-key"] && !created.body.contains(secret))
            let duplicate = try await server.send(.post, "/webhooks", token: token, json: ["url": "http://127.0.0.1:9/hook", "secret": .string(secret)])
            #expect(duplicate.status == 409 && duplicate.json?["title"] == "Webhook already exists.")
            let (_, otherToken) = try await server.clientToken()
            #expect(try await server.send(.get, "/webhooks/\(created.json?["id"].map { if case .string(let s) = $0 { s } else { "" } } ?? "")", token: otherToken).status == 404)
            #expect(try await server.send(.get, "/webhooks", token: token).json?["data"]?.description.contains("127.0.0.1:9") == true)
        }
    }

    @Test("link, change and fail: signed batches arrive, failures retry on the simulated clock, the sandbox budget deactivates, test re-activates")
    func delivery() async throws {
        let secret = String(repeating: "5e", count: 20)
        try await Self.withWebhook(events: ["*"], secret: secret) { server, receiver, _, token, webhookId in
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
            try await server.linkSandboxCharger(user: "wanda", token: token)
            try await server.dependencies.webhookDispatcher.runRound()

            let heartbeat = try #require(receiver.received.first { $0.body.contains("system:heartbeat") })
            #expect(heartbeat.body.contains("\"pendingEvents\""))
            let first = try #require(receiver.batches.first)
            #expect(first.headers[HTTPField.Name("x-enode-signature")!] == WebhookSignature.sign(body: Data(first.body.utf8), secret: secret))
            #expect(first.headers[HTTPField.Name("x-enode-delivery")!] != nil)
            #expect(first.body.hasPrefix("[") && first.body.contains("\"event\":\"user:charger:discovered\"") && first.body.contains("\"version\":\"2024-10-01\""))

            // The receiver fails: the batch is retried on the simulated clock, then the sandbox budget (5 min) deactivates the webhook.
            receiver.answer(500)
            let devices = try await server.send(.get, "/sandbox/devices", token: token)
            guard case .array(let list) = devices.json?["data"], case .string(let deviceId) = list.first?["id"] else { throw TestFailure("device") }
            _ = try await server.send(.patch, "/sandbox/devices/\(deviceId)", token: token, json: ["maxCurrent": 10])
            _ = try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 600])
            try await server.dependencies.deviceSync.syncDue()
            try await server.dependencies.webhookDispatcher.runRound()
            let failures = receiver.batches.count
            #expect(failures == 2)
            #expect(receiver.batches.last?.body.contains("\"updatedFields\":[\"chargeState.maxCurrent\"]") == true)
            try await server.dependencies.webhookDispatcher.runRound()
            #expect(receiver.batches.count == failures, "no retry before the backoff delay")
            for _ in 0..<12 {
                _ = try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 60])
                try await server.dependencies.webhookDispatcher.runRound()
            }
            #expect(receiver.batches.count > failures)
            let log = try await server.send(.get, "/webhooks/\(webhookId)/deliveries", token: token)
            guard case .array(let attempts) = log.json?["data"] else { throw TestFailure("no log") }
            #expect(attempts.contains { $0["statusCode"] == 500 && $0["events"] == ["user:charger:updated"] })
            #expect(attempts.contains { $0["statusCode"] == 200 && $0["events"] == ["user:charger:discovered"] })
            let inactive = try await server.send(.get, "/webhooks/\(webhookId)", token: token)
            #expect(inactive.json?["isActive"] == false)
            #expect(try await server.store.read { try await $0.pendingDeliveryCount(webhookId: webhookId) } == 0)

            receiver.answer(200)
            let test = try await server.send(.post, "/webhooks/\(webhookId)/test", token: token)
            #expect(test.json?["status"] == "SUCCESS" && test.json?["response"]?["code"] == 200)
            #expect(receiver.received.last?.body.contains("enode:webhook:test") == true)
            #expect(try await server.send(.get, "/webhooks/\(webhookId)", token: token).json?["isActive"] == true)
        }
    }

    @Test("every event has an id (evt_<outbox sequence>) that a retry keeps, while x-enode-delivery is new for every POST")
    func eventIdentity() async throws {
        try await Self.withWebhook(events: ["user:charger:discovered", "user:charger:updated"], secret: String(repeating: "1d", count: 20)) {
            server, receiver, clientId, token, webhookId in
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
            receiver.answer(500)
            try await server.linkSandboxCharger(user: "ida", token: token)
            let dispatcher = server.dependencies.webhookDispatcher
            try await dispatcher.runRound()
            for (seconds, status) in [(60, 500), (120, 200)] {
                _ = try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": .number(Double(seconds))])
                receiver.answer(status)
                try await dispatcher.runRound()
            }
            let batches = receiver.batches
            #expect(batches.count == 3, "failure, failure, success")
            let discovered = try #require(try await server.store.read { try await $0.outboxEvents(clientId: clientId) }.first)
            #expect(try batches.map { try Self.eventIds($0.body) }.allSatisfy { $0 == ["evt_\(discovered.sequence)"] })
            let deliveries = batches.compactMap { $0.headers[HTTPField.Name("x-enode-delivery")!] }
            #expect(deliveries.count == 3 && Set(deliveries).count == 3)

            // A later event has its own id.
            let devices = try await server.send(.get, "/sandbox/devices", token: token)
            guard case .array(let list) = devices.json?["data"], case .string(let deviceId) = list.first?["id"] else { throw TestFailure("device") }
            _ = try await server.send(.patch, "/sandbox/devices/\(deviceId)", token: token, json: ["maxCurrent": 12])
            _ = try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 600])
            try await server.dependencies.deviceSync.syncDue()
            try await dispatcher.runRound()
            let update = try Self.eventIds(try #require(receiver.batches.last).body)
            #expect(update.count == 1 && update.first?.hasPrefix("evt_") == true && update != ["evt_\(discovered.sequence)"])

            // Heartbeats and test events, which are never redelivered, get ids of their own.
            _ = try await server.send(.post, "/webhooks/\(webhookId)/test", token: token)
            let others = try receiver.received.filter { !$0.body.contains("user:charger:") }.flatMap { try Self.eventIds($0.body) }
            #expect(others.count >= 2 && others.allSatisfy { !$0.hasPrefix("evt_") } && Set(others).count == others.count)

            // Both events were delivered: a week of wall time later the outbox prunes them.
            #expect(try await dispatcher.pruneOutbox() == 0)
            server.clock.advance(by: 7 * 24 * 3600 + 1)
            #expect(try await dispatcher.pruneOutbox() == 2)
            #expect(try await server.store.read { try await $0.outboxEvents(clientId: clientId) }.isEmpty)
        }
    }

    @Test("Standard Webhooks signatures match the standardwebhooks test vector, for whsec_ and raw secrets")
    func standardSignatureVectors() {
        let body = Data(#"{"test": 2432232314}"#.utf8)
        #expect(StandardWebhookSignature.sign(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1614265330, body: body,
                                              secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        // A secret without the prefix is keyed by its UTF-8 bytes (standardwebhooks: Webhook(secret.encode())).
        #expect(StandardWebhookSignature.sign(id: "msg_1", timestamp: 1700000000, body: Data("[]".utf8),
                                              secret: "0123456789abcdef0123456789abcdef") == "v1,gXsw0JEcQJ/ZuPhe1wtw2NExpRCRox/yaQCKkgTzezM=")
        #expect(StandardWebhookSignature.messageId(webhookId: "w", eventSequences: [1, 2]) == StandardWebhookSignature.messageId(webhookId: "w", eventSequences: [1, 2]))
        #expect(StandardWebhookSignature.messageId(webhookId: "w", eventSequences: [1, 2]) != StandardWebhookSignature.messageId(webhookId: "w", eventSequences: [1, 3]))
    }

    @Test("standardWebhooks: the webhook-* headers come besides x-enode-signature, webhook-id survives a retry, the timestamp is wall time")
    func standardWebhooksHeaders() async throws {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        try await Self.withWebhook(events: ["user:charger:discovered"], secret: secret) { server, receiver, _, token, webhookId in
            let plain = try await server.send(.get, "/webhooks/\(webhookId)", token: token)
            #expect(plain.json?["standardWebhooks"] == false)
            let bad = try await server.send(.patch, "/webhooks/\(webhookId)", token: token, json: ["standardWebhooks": true, "secret": "whsec_!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"])
            #expect(bad.status == 400 && bad.detail.contains("base64"))
            let updated = try await server.send(.patch, "/webhooks/\(webhookId)", token: token, json: ["standardWebhooks": true])
            #expect(updated.json?["standardWebhooks"] == true)
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
            receiver.answer(500)
            try await server.linkSandboxCharger(user: "sw", token: token)
            let dispatcher = server.dependencies.webhookDispatcher
            try await dispatcher.runRound()
            _ = try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 60])
            receiver.answer(200)
            try await dispatcher.runRound()
            let batches = receiver.batches
            #expect(batches.count == 2)
            func header(_ received: WebhookReceiver.Received, _ name: String) -> String { received.headers[HTTPField.Name(name)!] ?? "" }
            let ids = batches.map { header($0, "webhook-id") }
            #expect(ids[0].hasPrefix("msg_") && ids[0] == ids[1])
            for batch in batches {
                let timestamp = try #require(Int64(header(batch, "webhook-timestamp")))
                #expect(timestamp == Int64(server.clock.now().timeIntervalSince1970.rounded(.down)))
                #expect(header(batch, "webhook-signature") == StandardWebhookSignature.sign(id: header(batch, "webhook-id"), timestamp: timestamp,
                                                                                            body: Data(batch.body.utf8), secret: secret))
                #expect(header(batch, "x-enode-signature") == WebhookSignature.sign(body: Data(batch.body.utf8), secret: secret))
            }
            _ = try await server.send(.post, "/webhooks/\(webhookId)/test", token: token)
            #expect(header(try #require(receiver.received.last), "webhook-id").hasPrefix("msg_"))
            _ = try await server.send(.patch, "/webhooks/\(webhookId)", token: token, json: ["standardWebhooks": false])
            _ = try await server.send(.post, "/webhooks/\(webhookId)/test", token: token)
            #expect(header(try #require(receiver.received.last), "webhook-id").isEmpty)
        }
    }

    /// Runs `body` against a test server and a receiver, with a sandbox client whose webhook for `events` (signed with
    /// `secret`) points at the receiver; passes the server, the receiver, the client's id and token, and the webhook's id.
    static func withWebhook(
        events: [JSONValue], secret: String, _ body: @Sendable (TestServer, WebhookReceiver, String, String, String) async throws -> Void
    ) async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { url in
            try await TestServer.run { server in
                let (clientId, token) = try await server.clientToken()
                let webhook = try await server.send(.post, "/webhooks", token: token, json: ["url": .string(url), "secret": .string(secret), "events": .array(events)])
                guard case .string(let webhookId) = webhook.json?["id"] else { throw TestFailure("no webhook: \(webhook.body)") }
                try await body(server, receiver, clientId, token, webhookId)
            }
        }
    }

    /// The `id` of every event in a delivered batch ("" for an event without one).
    static func eventIds(_ body: String) throws -> [String] {
        guard case .array(let events) = try JSONDecoder().decode(JSONValue.self, from: Data(body.utf8)) else { throw TestFailure("not a batch: \(body)") }
        return events.map { event in if case .string(let id) = event["id"] { id } else { "" } }
    }

    @Test("the deprecated firehose routes exist before 2024-10-01 and manage one all-events webhook")
    func firehose() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { url in
            try await TestServer.run { server in
                let (_, token) = try await server.clientToken()
                let old: HTTPFields = [.enodeVersion: "2023-05-01", .contentType: "application/json"]
                let secret = String(repeating: "f1", count: 16)
                let body = #"{"url":"\#(url)","secret":"\#(secret)"}"#
                #expect(try await server.send(.put, "/webhooks/firehose", token: token, headers: [.contentType: "application/json"], body: body).status == 404)
                #expect(try await server.send(.put, "/webhooks/firehose", token: token, headers: old, body: body).status == 204)
                #expect(try await server.send(.put, "/webhooks/firehose", token: token, headers: old, body: body).status == 204)
                let list = try await server.send(.get, "/webhooks", token: token)
                guard case .array(let webhooks) = list.json?["data"] else { throw TestFailure("no list") }
                #expect(webhooks.count == 1 && webhooks.first?["events"] == ["*"])
                let test = try await server.send(.post, "/webhooks/firehose/test", token: token, headers: old)
                #expect(test.json?["status"] == "SUCCESS")
                #expect(receiver.received.last?.body.contains("enode:firehose:test") == true)
                #expect(try await server.send(.delete, "/webhooks/firehose", token: token, headers: old, body: #"{"url":"https://elsewhere.example"}"#).status == 404)
                #expect(try await server.send(.delete, "/webhooks/firehose", token: token, headers: old, body: #"{"url":"\#(url)"}"#).status == 204)
                #expect(try await server.send(.post, "/webhooks/firehose/test", token: token, headers: old).status == 404)
            }
        }
    }
}

extension TestServer {
    /// Links a magic sandbox EASEE charger for `user` through the Link UI routes.
    func linkSandboxCharger(user: String, token: String) async throws {
        let session = try await send(.post, "/users/\(user)/link", token: token, json: [
            "vendorType": "charger", "vendor": "EASEE", "scopes": ["charger:read:data"], "language": "en-US", "redirectUri": "https://a.b"])
        guard case .string(let linkURL) = session.json?["linkUrl"], let range = linkURL.range(of: "/link/") else { throw TestFailure("link") }
        let path = String(linkURL[range.lowerBound...])
        let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        _ = try await send(.post, path + "/consent", headers: form, body: "decision=accept")
        _ = try await send(.post, path + "/login", headers: form, body: "username=\(user)&password=gridlink")
    }
}
