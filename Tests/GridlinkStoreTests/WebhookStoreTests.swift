import Foundation
import GridlinkCore
import GridlinkStore
import Testing

@Suite("Webhook store (every backend)")
struct WebhookStoreTests {
    @Test("outbox pruning removes processed events older than the window, never unprocessed or still queued ones; sequences are not reused",
          arguments: TestBackend.available)
    func outboxPruning(backend: TestBackend) async throws {
        let clock = ManualClock()
        let week: TimeInterval = 7 * 24 * 3600
        try await withTestStore(backend, clock: clock) { store in
            @Sendable func append(_ count: Int) async throws -> [Int64] {
                try await store.write { session in
                    var sequences: [Int64] = []
                    for index in 0..<count {
                        sequences.append(try await session.appendEvent(NewOutboxEvent(clientId: "c", userId: "u", name: "e\(index)", payload: "{}"), at: clock.now()))
                    }
                    return sequences
                }
            }
            @Sendable func process(_ limit: Int) async throws -> [OutboxEvent] {
                try await store.write { session in
                    let events = try await session.claimEvents(holder: "d", limit: limit, claimUntil: clock.now().addingTimeInterval(10), at: clock.now())
                    try await session.completeEvents(events.map(\.sequence), holder: "d", at: clock.now())
                    return events
                }
            }
            @Sendable func prune(limit: Int = 100) async throws -> Int {
                try await store.write { try await $0.pruneProcessedEvents(before: clock.now().addingTimeInterval(-week), limit: limit) }
            }
            @Sendable func remaining() async throws -> [Int64] {
                try await store.read { try await $0.outboxEvents(clientId: "c") }.map(\.sequence)
            }

            let old = try await append(5)
            let processed = try await process(4)
            #expect(processed.map(\.sequence) == Array(old.prefix(4)))
            // The second event is still queued for a webhook.
            try await store.write { try await $0.enqueueDelivery(webhookId: "w", event: processed[1], at: clock.now()) }
            #expect(try await prune() == 0, "nothing is older than the window yet")

            clock.advance(by: week + 60)
            let recent = try await append(1)
            _ = try await process(1)
            #expect(try await remaining() == old + recent)
            #expect(try await prune(limit: 2) == 2)
            #expect(try await prune() == 1)
            #expect(try await remaining() == [old[1], old[4]] + recent, "queued, unprocessed and recent events stay")

            // Once delivered (or dropped), the queued event goes too.
            try await store.write { try await $0.dropDeliveries(webhookId: "w") }
            #expect(try await prune() == 1)
            _ = try await process(1)
            clock.advance(by: week + 60)
            #expect(try await prune() == 2)
            #expect(try await remaining().isEmpty)

            // Pruning every event does not make the outbox hand out a sequence (an event `id`) again.
            let next = try await append(1)
            #expect(next[0] > (recent.first ?? 0))
        }
    }

    @Test("due deliveries: earliest due first and in event order, a batch waiting for its retry does not hold up newer events, claimed ones are skipped",
          arguments: TestBackend.available)
    func dueDeliveries(backend: TestBackend) async throws {
        let clock = ManualClock()
        try await withTestStore(backend, clock: clock) { store in
            for id in ["w1", "w2"] {
                try await store.write { try await $0.insertWebhook(Webhook(
                    id: id, clientId: "c", url: "https://example.com/\(id)", secret: "s", events: ["*"], apiVersion: nil, authentication: nil,
                    isActive: true, failingSince: nil, lastSuccess: clock.now(), createdAt: clock.now())) }
            }
            @Sendable func enqueue(_ webhookId: String, _ names: [String]) async throws {
                try await store.write { session in
                    for name in names {
                        let sequence = try await session.appendEvent(NewOutboxEvent(clientId: "c", userId: nil, name: name, payload: "{}"), at: clock.now())
                        let event = OutboxEvent(sequence: sequence, clientId: "c", userId: nil, name: name, payload: "{}", createdAt: clock.now())
                        try await session.enqueueDelivery(webhookId: webhookId, event: event, at: clock.now())
                    }
                }
            }
            @Sendable func claim(_ webhookId: String, _ limit: Int) async throws -> [WebhookDelivery] {
                try await store.write {
                    try await $0.claimDeliveries(webhookId: webhookId, holder: "d", limit: limit, at: clock.now(),
                                                 claimUntil: clock.now().addingTimeInterval(10), wallNow: clock.now())
                }
            }
            @Sendable func due() async throws -> [String] {
                try await store.read { try await $0.webhooksWithDueDeliveries(at: clock.now(), wallNow: clock.now(), limit: 10) }
            }
            try await enqueue("w1", ["e0", "e1", "e2"])
            try await enqueue("w2", ["f0"])
            let first = try await claim("w1", 2)
            #expect(first.map(\.eventName) == ["e0", "e1"])
            #expect(try await due() == ["w1", "w2"])
            let second = try await claim("w1", 5)
            #expect(second.map(\.eventName) == ["e2"])
            #expect(try await due() == ["w2"], "every delivery of w1 is claimed")
            #expect(try await claim("w1", 5).isEmpty)
            try await store.write { try await $0.completeDeliveries(second.map(\.sequence)) }

            // The first batch failed and waits 30 s; a newer event goes first, the retried batch when it is due.
            try await store.write { try await $0.retryDeliveries(first.map(\.sequence), attempts: 1, nextAttemptAt: clock.now().addingTimeInterval(30)) }
            clock.advance(by: 10)
            try await enqueue("w1", ["e3"])
            let newer = try await claim("w1", 5)
            #expect(newer.map(\.eventName) == ["e3"])
            try await store.write { try await $0.completeDeliveries(newer.map(\.sequence)) }
            clock.advance(by: 20)
            let retried = try await claim("w1", 5)
            #expect(retried.map(\.eventName) == ["e0", "e1"] && retried.allSatisfy { $0.attempts == 1 })
            #expect(try await store.read { try await $0.pendingDeliveryCount(webhookId: "w1") } == 2)
            try await store.write { try await $0.completeDeliveries(retried.map(\.sequence)) }
            #expect(try await store.read { try await $0.pendingDeliveryCount(webhookId: "w1") } == 0)
        }
    }

    @Test("a webhook's standardWebhooks flag is stored, updated and read back; the client's outbox reads after a sequence",
          arguments: TestBackend.available)
    func standardWebhooksAndOutboxTail(backend: TestBackend) async throws {
        let clock = ManualClock()
        try await withTestStore(backend, clock: clock) { store in
            var webhook = Webhook(id: "sw", clientId: "c", url: "https://example.com/sw", secret: "s", events: ["*"], apiVersion: nil,
                                  authentication: nil, isActive: true, failingSince: nil, lastSuccess: clock.now(), createdAt: clock.now(),
                                  standardWebhooks: true)
            let inserted = webhook
            try await store.write { try await $0.insertWebhook(inserted) }
            #expect(try await store.read { try await $0.webhook(id: "sw") }?.standardWebhooks == true)
            webhook.standardWebhooks = false
            let updated = webhook
            try await store.write { try await $0.updateWebhook(updated) }
            #expect(try await store.read { try await $0.webhook(id: "sw") }?.standardWebhooks == false)

            var appended: [Int64] = []
            for client in ["c", "other", "c"] {
                appended.append(try await store.write { try await $0.appendEvent(NewOutboxEvent(clientId: client, userId: nil, name: "e", payload: "{}"), at: clock.now()) })
            }
            let sequences = appended
            #expect(try await store.read { try await $0.latestEventSequence() } == sequences[2])
            #expect(try await store.read { try await $0.outboxEvents(clientId: "c", after: sequences[0], limit: 10) }.map(\.sequence) == [sequences[2]])
            #expect(try await store.read { try await $0.outboxEvents(clientId: "c", after: 0, limit: 1) }.map(\.sequence) == [sequences[0]])
        }
    }
}
