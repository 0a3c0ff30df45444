import Foundation
import GridlinkCore
import GridlinkStore
import Testing

@Suite("Link sessions at rest (every backend)")
struct LinkSessionStoreTests {
    /// Every stored link session's key and body.
    private func stored(_ store: Store) async throws -> [(digest: String, body: String)] {
        try await store.database.read { connection in
            try await connection.query("SELECT token_digest, body FROM link_sessions ORDER BY created_at", []).map {
                (try $0.string("token_digest"), try $0.string("body"))
            }
        }
    }

    @Test("sessions are stored and found by the SHA-256 of their token, never the token", arguments: TestBackend.available)
    func digestAtRest(backend: TestBackend) async throws {
        let clock = ManualClock()
        try await withTestStore(backend, clock: clock) { store in
            let client = APIClient(id: "c1", name: "Test", environment: .sandbox, apiVersion: .current, createdAt: clock.now())
            let token = RandomToken.urlSafe(bytes: 24)
            try await store.write { session in
                try await session.insertClient(client, secret: .make(secret: "s"))
                _ = try await session.ensureUser(clientId: "c1", userId: "ann", at: clock.now())
                try await session.insertLinkSession(token: token, clientId: "c1", userId: "ann", body: #"{"step":"login"}"#,
                                                    expiresAt: clock.now().addingTimeInterval(3600), at: clock.now())
            }
            let rows = try await stored(store)
            #expect(rows.map(\.digest) == [LinkTokenDigest.of(token)])
            #expect(rows.allSatisfy { !$0.digest.contains(token) && !$0.body.contains(token) })

            let found = try #require(try await store.read { try await $0.linkSession(token: token) })
            #expect(found.digest == LinkTokenDigest.of(token) && found.userId == "ann" && found.usedAt == nil)
            #expect(try await store.read { try await $0.linkSession(token: LinkTokenDigest.of(token)) } == nil, "the digest is not a token")
            try await store.write { try await $0.updateLinkSession(digest: found.digest, body: #"{"step":"done"}"#) }
            #expect(try await store.write { try await $0.consumeLinkSession(digest: found.digest, at: clock.now()) })
            #expect(try await store.write { try await $0.consumeLinkSession(digest: found.digest, at: clock.now()) } == false)
            let spent = try #require(try await store.read { try await $0.linkSession(token: token) })
            #expect(spent.body == #"{"step":"done"}"#)
            #expect(abs(try #require(spent.usedAt).timeIntervalSince(clock.now())) < 0.001)
        }
    }

    @Test("the purge deletes sessions expired or used before the cutoff, in chunks, and keeps the rest", arguments: TestBackend.available)
    func purge(backend: TestBackend) async throws {
        let clock = ManualClock()
        try await withTestStore(backend, clock: clock) { store in
            let client = APIClient(id: "c1", name: "Test", environment: .sandbox, apiVersion: .current, createdAt: clock.now())
            let start = clock.now()
            try await store.write { session in
                try await session.insertClient(client, secret: .make(secret: "s"))
                _ = try await session.ensureUser(clientId: "c1", userId: "ann", at: start)
                for (token, lifetime) in [("expired-1", 60.0), ("expired-2", 120), ("used", 7200), ("live", 7200), ("recently-used", 7200)] {
                    try await session.insertLinkSession(token: token, clientId: "c1", userId: "ann", body: "{}",
                                                        expiresAt: start.addingTimeInterval(lifetime), at: start)
                }
                _ = try await session.consumeLinkSession(digest: LinkTokenDigest.of("used"), at: start.addingTimeInterval(100))
                _ = try await session.consumeLinkSession(digest: LinkTokenDigest.of("recently-used"), at: start.addingTimeInterval(1000))
            }
            let cutoff = start.addingTimeInterval(500)
            #expect(try await store.write { try await $0.purgeLinkSessions(before: cutoff, limit: 2) } == 2)
            #expect(try await store.write { try await $0.purgeLinkSessions(before: cutoff, limit: 2) } == 1)
            #expect(try await store.write { try await $0.purgeLinkSessions(before: cutoff, limit: 2) } == 0)
            let left = Set(try await stored(store).map(\.digest))
            #expect(left == [LinkTokenDigest.of("live"), LinkTokenDigest.of("recently-used")])
        }
    }
}
