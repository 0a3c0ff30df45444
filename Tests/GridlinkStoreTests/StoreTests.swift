import Foundation
import GridlinkCore
import GridlinkStore
import Testing

@Suite("Store (every backend)")
struct StoreTests {
    private func makeClient(_ id: String = "client-" + RandomToken.hex(bytes: 4), at now: Date) -> APIClient {
        APIClient(id: id, name: "Test", environment: .sandbox, apiVersion: .current, createdAt: now)
    }

    @Test("migrations apply once and are recorded", arguments: TestBackend.available)
    func migrationsAreIdempotent(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let applied = try await store.migrate(at: Date())
            #expect(applied.isEmpty)
        }
    }

    @Test("sandbox world saves are compare-and-swap on the version; the command log keeps what was sent", arguments: TestBackend.available)
    func sandboxWorldVersions(backend: TestBackend) async throws {
        let clock = ManualClock()
        try await withTestStore(backend, clock: clock) { store in
            #expect(try await store.read { try await $0.sandboxWorldVersion() } == 0)
            #expect(try await store.write { try await $0.saveSandboxWorld("a", at: clock.now(), expecting: 0) } == 1)
            try await withSecondStore(like: store) { second in
                let saved = try await second.write { try await $0.saveSandboxWorld("b", at: clock.now(), expecting: 1) }
                #expect(saved == 2)
            }
            // A save based on the superseded version 1 changes nothing.
            #expect(try await store.write { try await $0.saveSandboxWorld("c", at: clock.now(), expecting: 1) } == nil)
            let documents = try await store.read { try await $0.sandboxDocuments() }
            #expect(documents.world == "b" && documents.version == 2)

            let record = SandboxCommandRecord(
                clientId: "c1", deviceId: "d1", command: "startCharging", reference: "action-1", process: "p1", outcome: "accepted", sentAt: clock.now())
            try await store.write { try await $0.appendSandboxCommand(record) }
            try await store.write { try await $0.appendSandboxCommand(SandboxCommandRecord(
                clientId: "c2", deviceId: "d2", command: "followSchedule", reference: nil, process: "p2", outcome: "notCapable", sentAt: clock.now())) }
            let logged = try await store.read { try await $0.sandboxCommands(clientId: "c1") }
            #expect(logged.count == 1)
            var expected = record
            expected.seq = try #require(logged.first?.seq)
            #expect(logged.first == expected)
        }
    }

    @Test("uploaded prices are kept per client: the same area and slot hold one price per client; a delete removes only the caller's", arguments: TestBackend.available)
    func pricesPerClient(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let start = Date(timeIntervalSince1970: 1_767_225_600)
            let slot = { @Sendable (price: Double) in PriceSlot(start: start, end: start.addingTimeInterval(3600), price: price) }
            try await store.write { session in
                try await session.savePrices(clientId: "a", area: "NO1", prices: [slot(0.1)])
                try await session.savePrices(clientId: "b", area: "NO1", prices: [slot(0.2)])
                try await session.savePrices(clientId: "a", area: "NO1", prices: [slot(0.3)])
            }
            let range = (from: start, to: start.addingTimeInterval(86_400))
            #expect(try await store.read { try await $0.prices(clientId: "a", area: "NO1", from: range.from, to: range.to) } == [slot(0.3)])
            #expect(try await store.read { try await $0.prices(clientId: "b", area: "NO1", from: range.from, to: range.to) } == [slot(0.2)])
            #expect(try await store.read { try await $0.prices(clientId: "c", area: "NO1", from: range.from, to: range.to) }.isEmpty)
            try await store.write { try await $0.deletePrices(clientId: "a", area: "NO1", from: range.from, to: range.to) }
            #expect(try await store.read { try await $0.prices(clientId: "a", area: "NO1", from: range.from, to: range.to) }.isEmpty)
            #expect(try await store.read { try await $0.prices(clientId: "b", area: "NO1", from: range.from, to: range.to) } == [slot(0.2)])
        }
    }

    @Test("a write whose task is cancelled midway rolls back and leaves the writer usable", arguments: TestBackend.available)
    func cancelledWrite(backend: TestBackend) async throws {
        try await withTestStore(backend) { store in
            let start = Date(timeIntervalSince1970: 1_767_225_600)
            let slot = PriceSlot(start: start, end: start.addingTimeInterval(3600), price: 0.5)
            let cancelled = Task {
                try await store.write { session in
                    withUnsafeCurrentTask { $0?.cancel() }
                    try await session.savePrices(clientId: "a", area: "NO1", prices: [slot])
                    try Task.checkCancellation()
                }
            }
            await #expect(throws: CancellationError.self) { try await cancelled.value }
            try await store.write { try await $0.savePrices(clientId: "b", area: "NO1", prices: [slot]) }
            let end = start.addingTimeInterval(3600)
            #expect(try await store.read { try await $0.prices(clientId: "a", area: "NO1", from: start, to: end) }.isEmpty)
            #expect(try await store.read { try await $0.prices(clientId: "b", area: "NO1", from: start, to: end) } == [slot])
        }
    }

    @Test("telemetry round-trips, nullable counters included; the first and latest sample times per asset", arguments: TestBackend.available)
    func telemetryRoundTrip(backend: TestBackend) async throws {
        let clock = ManualClock()
        try await withTestStore(backend, clock: clock) { store in
            let client = makeClient(at: clock.now())
            let start = Date(timeIntervalSince1970: 1_767_225_600)
            let battery = TelemetrySample(assetId: "b1", assetType: .battery, at: start, powerKW: -1.5, energyKWh: 12.25, locationId: "home",
                                          reverseEnergyKWh: 3.5, levelPercent: 64.5)
            let later = TelemetrySample(assetId: "b1", assetType: .battery, at: start.addingTimeInterval(600), powerKW: 0.25, energyKWh: 12.5, locationId: nil)
            let vehicle = TelemetrySample(assetId: "v1", assetType: .vehicle, at: start, powerKW: 11, energyKWh: 100, locationId: nil)
            try await store.write { session in
                try await session.insertClient(client, secret: .make(secret: "s"))
                _ = try await session.ensureUser(clientId: client.id, userId: "ann", at: clock.now())
                for sample in [battery, later, vehicle] { try await session.appendTelemetry(sample, clientId: client.id, userId: "ann") }
            }
            let read = try await store.read {
                try await $0.telemetry(clientId: client.id, userId: "ann", type: .battery, assetId: nil, from: start, to: start.addingTimeInterval(3600))
            }
            #expect(read == [battery, later])
            #expect(try await store.read { try await $0.earliestTelemetryTime(assetId: "b1") } == start)
            #expect(try await store.read { try await $0.latestTelemetryTime(assetId: "b1") } == start.addingTimeInterval(600))
        }
    }

    @Test("clients: create, read, credentials, rotation with grace", arguments: TestBackend.available)
    func clientLifecycle(backend: TestBackend) async throws {
        let clock = ManualClock()
        try await withTestStore(backend, clock: clock) { store in
            let client = makeClient(at: clock.now())
            try await store.write { try await $0.insertClient(client, secret: .make(secret: "first")) }
            #expect(try await store.read { try await $0.client(id: client.id) } == client)
            #expect(try await store.read { try await $0.clients() }.map(\.id) == [client.id])

            let grace = clock.now().addingTimeInterval(60)
            #expect(try await store.write { try await $0.rotateSecret(clientId: client.id, to: .make(secret: "second"), graceUntil: grace) })
            let credentials = try #require(try await store.read { try await $0.credentials(clientId: client.id) })
            #expect(credentials.accepts("second", at: clock.now()))
            #expect(credentials.accepts("first", at: clock.now()))
            #expect(!credentials.accepts("first", at: grace))
            #expect(!credentials.accepts("third", at: clock.now()))
            #expect(try await store.write { try await $0.rotateSecret(clientId: "nobody", to: .make(secret: "x"), graceUntil: grace) } == false)
        }
    }

    @Test("tokens resolve to their client until they expire", arguments: TestBackend.available)
    func tokenExpiry(backend: TestBackend) async throws {
        let clock = ManualClock()
        try await withTestStore(backend, clock: clock) { store in
            let client = makeClient(at: clock.now())
            let token = IssuedToken.mint(at: clock.now())
            try await store.write {
                try await $0.insertClient(client, secret: .make(secret: "s"))
                try await $0.insertToken(token, clientId: client.id, issuedAt: clock.now())
            }
            #expect(try await store.read { try await $0.client(forToken: token.token, at: clock.now()) } == client)
            #expect(try await store.read { try await $0.client(forToken: "unknown", at: clock.now()) } == nil)
            clock.advance(by: IssuedToken.lifetime)
            #expect(try await store.read { try await $0.client(forToken: token.token, at: clock.now()) } == nil)
            #expect(try await store.write { try await $0.deleteExpiredTokens(before: clock.now()) } == 1)
        }
    }

    @Test("users are scoped to their client; delete cascades to linked vendors", arguments: TestBackend.available)
    func userTenancy(backend: TestBackend) async throws {
        let clock = ManualClock()
        try await withTestStore(backend, clock: clock) { store in
            let (a, b) = (makeClient("a", at: clock.now()), makeClient("b", at: clock.now()))
            try await store.write { session in
                try await session.insertClient(a, secret: .make(secret: "a"))
                try await session.insertClient(b, secret: .make(secret: "b"))
                try await session.ensureUser(clientId: "a", userId: "alice", at: clock.now())
                try await session.ensureUser(clientId: "a", userId: "alice", at: clock.now())
                try await session.linkVendor(clientId: "a", userId: "alice", vendor: "TESLA", vendorType: .vehicle, accountRef: "acct-1", at: clock.now())
            }
            #expect(try await store.read { try await $0.user(clientId: "a", userId: "alice") }?.id == "alice")
            #expect(try await store.read { try await $0.user(clientId: "b", userId: "alice") } == nil)
            #expect(try await store.read { try await $0.linkedVendors(clientId: "a", userId: "alice") }
                == [LinkedVendor(vendor: "TESLA", vendorType: .vehicle, isValid: true)])

            try await store.write { try await $0.deauthorizeUser(clientId: "a", userId: "alice") }
            #expect(try await store.read { try await $0.linkedVendors(clientId: "a", userId: "alice") }.map(\.isValid) == [false])

            #expect(try await store.write { try await $0.deleteUser(clientId: "b", userId: "alice") } == false)
            #expect(try await store.write { try await $0.deleteUser(clientId: "a", userId: "alice") })
            #expect(try await store.read { try await $0.linkedVendors(clientId: "a", userId: "alice") }.isEmpty)
        }
    }

    @Test("pagination walks newest-first without skipping or repeating while rows are inserted", arguments: TestBackend.available)
    func paginationUnderInserts(backend: TestBackend) async throws {
        let clock = ManualClock()
        try await withTestStore(backend, clock: clock) { store in
            try await store.write { try await $0.insertClient(makeClient("c", at: clock.now()), secret: .make(secret: "c")) }
            for index in 0..<25 {
                try await store.write { try await $0.ensureUser(clientId: "c", userId: "u\(index)", at: clock.now()) }
            }
            var seen: [String] = []
            var request = PageRequest(size: 7)
            var pages = 0
            while true {
                let page = try await store.read { [request] in try await $0.users(clientId: "c", page: request) }
                seen += page.items.map(\.id)
                pages += 1
                // Concurrent writers add newer users between page fetches.
                try await withThrowingTaskGroup(of: Void.self) { [pages] group in
                    for extra in 0..<3 {
                        group.addTask { _ = try await store.write { try await $0.ensureUser(clientId: "c", userId: "new-\(pages)-\(extra)", at: clock.now()) } }
                    }
                    try await group.waitForAll()
                }
                guard let after = page.after else { break }
                request = try PageRequest.parse(after: after, before: nil, pageSize: "7")
            }
            #expect(seen == (0..<25).reversed().map { "u\($0)" })
            #expect(pages == 4)

            // Walking back with `before` from the oldest page returns the same items in the same order.
            let upToU1 = try await store.read { try await $0.users(clientId: "c", page: PageRequest(size: 36)) }
            #expect(upToU1.items.last?.id == "u1")
            let lastRequest = try PageRequest.parse(after: upToU1.after, before: nil, pageSize: nil)
            let last = try await store.read { try await $0.users(clientId: "c", page: lastRequest) }
            #expect(last.items.map(\.id) == ["u0"])
            #expect(last.after == nil)
            let previous = try await store.read { try await $0.users(clientId: "c", page: try PageRequest.parse(after: nil, before: last.before, pageSize: "3")) }
            #expect(previous.items.map(\.id) == ["u3", "u2", "u1"])
            #expect(previous.after != nil && previous.before != nil)
        }
    }

    @Test("outbox events commit with their state change and roll back with it", arguments: TestBackend.available)
    func outboxIsTransactional(backend: TestBackend) async throws {
        let clock = ManualClock()
        struct Boom: Error {}
        try await withTestStore(backend, clock: clock) { store in
            try await store.write { try await $0.insertClient(makeClient("c", at: clock.now()), secret: .make(secret: "c")) }
            await #expect(throws: Boom.self) {
                try await store.write { session in
                    try await session.ensureUser(clientId: "c", userId: "ghost", at: clock.now())
                    try await session.appendEvent(NewOutboxEvent(clientId: "c", userId: "ghost", name: "test:event", payload: "{}"), at: clock.now())
                    throw Boom()
                }
            }
            #expect(try await store.read { try await $0.user(clientId: "c", userId: "ghost") } == nil)
            #expect(try await store.read { try await $0.pendingEventCount() } == 0)

            try await store.write { session in
                try await session.ensureUser(clientId: "c", userId: "real", at: clock.now())
                try await session.appendEvent(NewOutboxEvent(clientId: "c", userId: "real", name: "test:event", payload: "{\"n\":1}"), at: clock.now())
            }
            #expect(try await store.read { try await $0.pendingEventCount() } == 1)
        }
    }

    @Test("concurrent claimers never receive the same outbox event", arguments: TestBackend.available)
    func outboxClaimsAreExclusive(backend: TestBackend) async throws {
        let clock = ManualClock()
        try await withTestStore(backend, clock: clock) { store in
            try await store.write { session in
                for index in 0..<40 {
                    try await session.appendEvent(NewOutboxEvent(clientId: "c", userId: nil, name: "e\(index)", payload: "{}"), at: clock.now())
                }
            }
            let until = clock.now().addingTimeInterval(30)
            let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let batch = try await store.write { try await $0.claimEvents(holder: "w\(worker)", limit: 3, claimUntil: until, at: clock.now()) }
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.sequence)
                        }
                    }
                }
                return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
            }
            let all = claims.flatMap { $0 }
            #expect(all.count == 40)
            #expect(Set(all).count == 40)

            // A lapsed claim is handed to the next claimer; completion only counts for the current holder.
            let first = try await store.write { try await $0.claimEvents(holder: "x", limit: 1, claimUntil: until, at: clock.now()) }
            #expect(first.isEmpty)
            clock.advance(by: 31)
            let reclaimed = try await store.write { try await $0.claimEvents(holder: "late", limit: 100, claimUntil: clock.now().addingTimeInterval(30), at: clock.now()) }
            #expect(reclaimed.count == 40)
            #expect(try await store.write { try await $0.completeEvents(reclaimed.map(\.sequence), holder: "w0", at: clock.now()) } == 0)
            #expect(try await store.write { try await $0.completeEvents(reclaimed.map(\.sequence), holder: "late", at: clock.now()) } == 40)
            #expect(try await store.read { try await $0.pendingEventCount() } == 0)
        }
    }

    @Test("a lease has one holder until it lapses", arguments: TestBackend.available)
    func leases(backend: TestBackend) async throws {
        let clock = ManualClock()
        try await withTestStore(backend, clock: clock) { store in
            let until = clock.now().addingTimeInterval(10)
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for holder in 0..<5 {
                    group.addTask { try await store.write { try await $0.acquireLease("dispatcher", holder: "p\(holder)", until: until, at: clock.now()) } }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
            clock.advance(by: 10)
            #expect(try await store.write { try await $0.acquireLease("dispatcher", holder: "late", until: clock.now().addingTimeInterval(10), at: clock.now()) })
            #expect(try await store.write { try await $0.acquireLease("dispatcher", holder: "late", until: clock.now().addingTimeInterval(20), at: clock.now()) })
            try await store.write { try await $0.releaseLease("dispatcher", holder: "late") }
            #expect(try await store.write { try await $0.acquireLease("dispatcher", holder: "other", until: clock.now().addingTimeInterval(10), at: clock.now()) })
        }
    }

    @Test("a dead holder's leases and claims are released at once; other holders keep theirs", arguments: TestBackend.available)
    func releaseHolds(backend: TestBackend) async throws {
        let clock = ManualClock()
        try await withTestStore(backend, clock: clock) { store in
            let until = clock.now().addingTimeInterval(10)
            try await store.write { session in
                let client = APIClient(id: "c", name: "C", environment: .sandbox, apiVersion: .current, createdAt: clock.now())
                try await session.insertClient(client, secret: .make(secret: "s"))
                for index in 0..<3 {
                    _ = try await session.appendEvent(NewOutboxEvent(clientId: "c", userId: nil, name: "user:vehicle:updated", payload: "{\"n\":\(index)}"), at: clock.now())
                }
                #expect(try await session.acquireLease("device-sync", holder: "dead", until: until, at: clock.now()))
                #expect(try await session.acquireLease("simulation", holder: "alive", until: until, at: clock.now()))
                #expect(try await session.claimEvents(holder: "dead", limit: 2, claimUntil: until, at: clock.now()).count == 2)
                #expect(try await session.claimEvents(holder: "alive", limit: 2, claimUntil: until, at: clock.now()).count == 1)
            }
            #expect(try await store.read { try await $0.holders() } == ["dead", "alive"])
            try await store.write { try await $0.releaseHolds(of: ["dead"]) }
            #expect(try await store.read { try await $0.holders() } == ["alive"])
            // Without waiting for expiry, another process takes the lease and the released events.
            #expect(try await store.write { try await $0.acquireLease("device-sync", holder: "new", until: until, at: clock.now()) })
            #expect(try await store.write { try await $0.claimEvents(holder: "new", limit: 5, claimUntil: until, at: clock.now()) }.count == 2)
            #expect(!(try await store.write { try await $0.acquireLease("simulation", holder: "new", until: until, at: clock.now()) }))
        }
    }
}

@Suite("Action claims across processes")
struct ActionClaimTests {
    @Test("two stores on one database (two processes) never claim the same action", arguments: TestBackend.available)
    func claimsAreExclusiveAcrossConnections(backend: TestBackend) async throws {
        let clock = ManualClock()
        try await withTestStore(backend, clock: clock) { store in
            let now = clock.now()
            try await store.write { session in
                for index in 0..<60 {
                    try await session.insertAction(VendorAction(
                        id: "action-\(index)", clientId: "c", userId: "u", targetId: "t\(index)", targetType: .vehicle,
                        kind: .charging(start: true), state: .pending, failure: nil, createdAt: now, updatedAt: now, completedAt: nil,
                        deadline: now.addingTimeInterval(600), nextCheckAt: now, lastCommandAt: nil, attempts: 0))
                }
            }
            // A second, independent connection pool stands in for the second process.
            try await withSecondStore(like: store) { other in
                let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                    for (index, executor) in [store, other, store, other].enumerated() {
                        group.addTask {
                            var mine: [String] = []
                            while true {
                                let batch = try await executor.write {
                                    try await $0.claimDueActions(holder: "p\(index)", limit: 4, now: now, claimUntil: now.addingTimeInterval(10), wallNow: now)
                                }
                                if batch.isEmpty { return mine }
                                mine += batch.map(\.id)
                            }
                        }
                    }
                    return try await group.reduce(into: [String]()) { $0 += $1 }
                }
                #expect(claimed.count == 60)
                #expect(Set(claimed).count == 60)
                // Finishing is conditional on PENDING: the second writer of a final state changes nothing.
                var action = try #require(try await store.read { try await $0.action(clientId: "c", targetType: .vehicle, id: "action-0") })
                action.state = .confirmed
                let final = action
                let first = try await store.write { try await $0.updatePendingAction(final) }
                let second = try await other.write { try await $0.updatePendingAction(final) }
                #expect(first && !second)
            }
        }
    }
}
