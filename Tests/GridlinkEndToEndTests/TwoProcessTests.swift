import Foundation
import GridlinkCore
import GridlinkStore
import Logging
import Testing

/// The PostgreSQL server the two-process test uses, from `GRIDLINK_TEST_POSTGRES_URL` (unset or empty: the test is skipped).
private let postgresURL = ProcessInfo.processInfo.environment["GRIDLINK_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

@Suite("End to end: two gridlink processes on one PostgreSQL database", .serialized)
struct TwoProcessTests {
    /// One target and the body of the action to create on it.
    private struct Order {
        let segment: String
        let path: String
        let body: String
    }

    @Test(
        "two processes: every action reaches a final state, each command is sent by one process, each final event is written once; after SIGKILL of the owner the other takes over",
        .enabled(if: postgresURL != nil, "GRIDLINK_TEST_POSTGRES_URL is not set: the two-process test needs PostgreSQL"))
    func twoProcessesShareTheWorld() async throws {
        try await withSchema(try #require(postgresURL)) { database in
            let created = try GridlinkProcess.command(["clients", "create", "--name", "two-process", "--json", "--database", database])
            let credentials = try JSONDecoder().decode([String: String].self, from: Data(created.utf8))
            let arguments = ["--seed", "21", "--sim-start", "2026-04-01T18:00:00Z"]
            let owner = try await E2EWorld.start(database: database, credentials: credentials, arguments: arguments)
            defer { owner.server.stop() }
            let other = try await E2EWorld.start(database: database, credentials: credentials, arguments: arguments)
            defer { other.server.stop() }
            #expect(owner.server.log.contains("owns the sandbox world"), "\(owner.server.log)")
            #expect(!other.server.log.contains("owns the sandbox world"), "\(other.server.log)")
            let both = [owner, other]

            // Both processes read one running clock, changed through the process that does not own the world.
            try await other.call(.PATCH, "/sandbox/clock", #"{"speed":600}"#)
            let before = try await clockTime(owner)
            let between = try await clockTime(other)
            let after = try await clockTime(owner)
            #expect(before <= between.addingTimeInterval(1) && between <= after.addingTimeInterval(1), "\(before) \(between) \(after)")
            #expect(after > before)

            // Changes through the process that does not own the world reach the one that does, and back.
            try await other.call(.PATCH, "/sandbox/clock", #"{"isPaused":true,"timing":"ideal"}"#)
            var vehicles: [String] = []
            var chargers: [String] = []
            for index in 0..<4 {
                let world = both[index % 2]
                vehicles.append(try await world.linkMagic(user: "v\(index)", vendor: "VOLKSWAGEN", type: "vehicle", segment: "vehicles",
                                                          scopes: ["vehicle:read:data", "vehicle:control:charging"]))
                chargers.append(try await both[(index + 1) % 2].linkMagic(user: "c\(index)", vendor: "EASEE", type: "charger", segment: "chargers",
                                                                          scopes: ["charger:read:data", "charger:control:charging"]))
            }
            let devices = try await owner.object(.GET, "/sandbox/devices")["data"] as? [[String: Any]] ?? []
            #expect(devices.count == 8)
            for (index, device) in devices.enumerated() where device["type"] as? String == "vehicle" {
                let id = device["id"] as? String ?? ""
                try await both[index % 2].call(.PATCH, "/sandbox/devices/\(id)", #"{"chargingEnabled":false,"batteryLevel":30}"#)
                try await both[(index + 1) % 2].call(.POST, "/sandbox/devices/\(id)/plug", "{}")
            }
            try await owner.call(.POST, "/sandbox/clock/advance", #"{"seconds":600}"#)
            try await Task.sleep(for: .seconds(1))

            func orders(start: Bool, current: Int) -> [Order] {
                vehicles.map { Order(segment: "vehicles", path: "/vehicles/\($0)/charging", body: start ? #"{"action":"START"}"# : #"{"action":"STOP"}"#) }
                    + chargers.map { Order(segment: "chargers", path: "/chargers/\($0)/max-current", body: #"{"maxCurrent":\#(current)}"#) }
            }
            var actions: [(segment: String, id: String)] = []
            for (round, (start, current)) in [(true, 10), (false, 16)].enumerated() {
                let created = try await create(orders(start: start, current: current), through: both, offset: round)
                actions += created
                let states = try await settle(created, advancingThrough: both)
                #expect(states.allSatisfy { $0 == "CONFIRMED" }, "round \(round): \(states)")
            }

            // Pending actions, some already commanded; then the owner dies without any shutdown work.
            let pending = try await create(orders(start: true, current: 20), through: both, offset: 0)
            actions += pending
            try await Task.sleep(for: .seconds(1))
            owner.server.kill()
            var tookOver = false
            for _ in 0..<60 where !tookOver {
                try await Task.sleep(for: .milliseconds(250))
                tookOver = other.server.log.contains("took over the sandbox world")
            }
            #expect(tookOver, "the surviving process did not take the simulation lease: \(other.server.log.suffix(2000))")
            let finals = try await settle(pending, advancingThrough: [other])
            #expect(finals.allSatisfy { $0 == "CONFIRMED" }, "after the takeover: \(finals)")

            try await checkExactlyOnce(actions, in: other, clientId: credentials["clientId"] ?? "")
        }
    }

    @Test(
        "two processes: gridlink sandbox listen on one process forwards the events another process commits",
        .enabled(if: postgresURL != nil, "GRIDLINK_TEST_POSTGRES_URL is not set: the two-process test needs PostgreSQL"))
    func eventsFromAnotherProcess() async throws {
        try await withSchema(try #require(postgresURL)) { database in
            let created = try GridlinkProcess.command(["clients", "create", "--name", "two-process-events", "--json", "--database", database])
            let credentials = try JSONDecoder().decode([String: String].self, from: Data(created.utf8))
            let streaming = try await E2EWorld.start(database: database, credentials: credentials, arguments: [])
            defer { streaming.server.stop() }
            let writing = try await E2EWorld.start(database: database, credentials: credentials, arguments: [])
            defer { writing.server.stop() }
            let receiver = LocalReceiver()
            try await receiver.run { url in
                let listen = try await BackgroundCommand(
                    ["sandbox", "listen", "--forward-to", url, "--url", streaming.server.baseURL,
                     "--client-id=\(credentials["clientId"] ?? "")", "--client-secret=\(credentials["clientSecret"] ?? "")"],
                    waitingFor: "Ready!")
                defer { listen.stop() }
                _ = try await writing.linkMagic(user: "pg", vendor: "EASEE", type: "charger", segment: "chargers", scopes: ["charger:read:data"])
                let discovered = try #require(try await writing.outbox().first { $0.name == "user:charger:discovered" })
                let arrived = try await BackgroundCommand.wait(seconds: 15) {
                    receiver.events.contains { $0["id"] as? String == "evt_\(discovered.sequence)" }
                }
                #expect(arrived, "listen printed: \(listen.log)")
            }
        }
    }

    /// The simulation time a process answers on `GET /sandbox/clock`.
    private func clockTime(_ world: E2EWorld) async throws -> Date {
        let text = try #require(try await world.object(.GET, "/sandbox/clock")["time"] as? String)
        let parsed = (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) ?? (try? Date(text, strategy: .iso8601))
        return try #require(parsed, "\(text)")
    }

    /// Creates one action per order, alternating between the processes (starting at `offset`); returns their segments and ids.
    private func create(_ orders: [Order], through worlds: [E2EWorld], offset: Int) async throws -> [(segment: String, id: String)] {
        var created: [(segment: String, id: String)] = []
        for (index, order) in orders.enumerated() {
            let reply = try await worlds[(index + offset) % worlds.count].call(.POST, order.path, order.body)
            #expect(reply.status == 200, "\(order.path): \(reply.body)")
            created.append((order.segment, try E2EHTTP.object(reply.body)["id"] as? String ?? ""))
        }
        return created
    }

    /// Advances the paused clock in 5 s steps, alternating between `worlds`, until no action is pending; returns the states.
    private func settle(_ actions: [(segment: String, id: String)], advancingThrough worlds: [E2EWorld]) async throws -> [String] {
        var states: [String] = []
        for step in 0..<200 {
            let world = worlds[step % worlds.count]
            states = []
            for action in actions {
                states.append(try await world.object(.GET, "/\(action.segment)/actions/\(action.id)")["state"] as? String ?? "")
            }
            if !states.contains("PENDING") { break }
            try await world.call(.POST, "/sandbox/clock/advance", #"{"seconds":5}"#)
            try await Task.sleep(for: .milliseconds(150))
        }
        return states
    }

    /// Each action's commands are in the sandbox command log once per attempt (no step ran in two processes), and its
    /// final `user:vendor-action:updated` event is in the outbox exactly once.
    private func checkExactlyOnce(_ actions: [(segment: String, id: String)], in world: E2EWorld, clientId: String) async throws {
        let ids = actions.map { ($0.segment == "vehicles" ? VendorType.vehicle : .charger, $0.id) }
        let (commands, events, stored) = try await world.readStore { session in
            var stored: [String: VendorAction] = [:]
            for (type, id) in ids { stored[id] = try await session.action(clientId: clientId, targetType: type, id: id) }
            return (try await session.sandboxCommands(clientId: clientId),
                    try await session.outboxEvents(clientId: clientId).filter { $0.name == "user:vendor-action:updated" }, stored)
        }
        for action in actions {
            let sent = commands.filter { $0.reference == action.id }
            #expect(!sent.isEmpty, "\(action.id) was never commanded")
            #expect(sent.count == stored[action.id]?.attempts, "\(action.id): \(sent.count) commands logged for \(stored[action.id]?.attempts ?? -1) attempts: \(sent)")
            #expect(Set(sent.map(\.sentAt)).count == sent.count, "\(action.id): one step commanded twice: \(sent)")
            #expect(events.filter { $0.payload.contains(action.id) }.count == 1, "\(action.id)")
        }
    }

    /// Runs `body` with the URL of a fresh schema in the PostgreSQL database at `url`, dropped afterwards.
    private func withSchema(_ url: String, _ body: (String) async throws -> Void) async throws {
        let schema = "e2e_" + RandomToken.hex(bytes: 6)
        try await admin(url, "CREATE SCHEMA \(schema)")
        let separator = url.contains("?") ? "&" : "?"
        do {
            try await body(url + separator + "search_path=\(schema)")
        } catch {
            try? await admin(url, "DROP SCHEMA \(schema) CASCADE")
            throw error
        }
        try await admin(url, "DROP SCHEMA \(schema) CASCADE")
    }

    private func admin(_ url: String, _ statement: String) async throws {
        let store = Store(database: try PostgresDatabase(url: url, logger: Logger(label: "e2e-admin")))
        try await store.whileRunning { store in try await store.database.transaction { try await $0.execute(statement) } }
    }
}
