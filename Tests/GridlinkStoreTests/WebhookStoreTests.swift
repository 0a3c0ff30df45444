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
}
