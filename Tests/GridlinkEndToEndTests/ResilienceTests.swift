import Foundation
import GridlinkCore
import NIOCore
import NIOPosix
import Testing

/// Raw TCP connections to a server, for holding connections open the way a careless or hostile client does.
private struct RawConnections {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Opens a connection to `port` on loopback and sends `bytes` (nothing when empty).
    func open(port: Int, sending bytes: String = "") async throws -> any Channel {
        let channel = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get()
        if !bytes.isEmpty { try await channel.writeAndFlush(ByteBuffer(string: bytes)) }
        return channel
    }

    /// Whether `channel` is closed by the server within `limit`.
    func closes(_ channel: any Channel, within limit: Duration) async -> Bool {
        for _ in 0..<Int(limit / .milliseconds(50)) {
            if !channel.isActive { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return !channel.isActive
    }

    /// Sends `bytes` on a new connection, optionally closes it at once, and returns what the server answered before closing
    /// or within `limit`.
    func exchange(port: Int, _ bytes: String, hangUp: Bool = false, limit: Duration = .seconds(5)) async throws -> String {
        let channel = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: bytes))
            if hangUp { return "" }
            return try await withThrowingTaskGroup(of: String.self) { tasks in
                tasks.addTask {
                    var answer = ""
                    for try await chunk in inbound { answer += String(buffer: chunk) }
                    return answer
                }
                tasks.addTask {
                    try await Task.sleep(for: limit)
                    return ""
                }
                let first = try await tasks.next() ?? ""
                tasks.cancelAll()
                return first
            }
        }
    }

    func shutdown() async throws { try await group.shutdownGracefully() }
}

@Suite("Resilience: the binary under connection floods, slow clients and kill -9", .serialized)
struct ResilienceTests {
    /// One request on a fresh connection, and how long its answer took.
    private func timed(_ url: String, token: String? = nil) async throws -> (status: Int, seconds: Double) {
        let start = ContinuousClock.now
        let headers = [("Connection", "close")] + (token.map { [("Authorization", "Bearer \($0)")] } ?? [])
        let reply = try await E2EHTTP.send(.GET, url, headers: headers)
        let elapsed = ContinuousClock.now - start
        return (reply.status, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    @Test("2,000 idle and half-open connections against a server limited to 1,024 descriptors: requests answer within 1 s")
    func idleConnectionFlood() async throws {
        // Long timeouts, so the connection cap (not a timeout) is what keeps the server answering.
        let world = try await E2EWorld.start(["--idle-timeout", "600", "--header-timeout", "600"], fileLimit: 1_024)
        defer { world.finish() }
        let connections = RawConnections()
        var held: [any Channel] = []
        var slowest = 0.0
        for index in 0..<2_000 {
            // Every other connection sends half a request head and then nothing; the rest send nothing at all.
            let partial = index.isMultiple(of: 2) ? "GET /users HTTP/1.1\r\nHost: 127.0.0.1\r\n" : ""
            held.append(try await connections.open(port: world.server.port, sending: partial))
            if index.isMultiple(of: 250) || index == 1_999 {
                let health = try await timed(world.server.baseURL + "/health/ready")
                let users = try await timed(world.server.baseURL + "/users", token: world.token)
                #expect(health.status == 204 && users.status == 200, "after \(index + 1) held connections")
                slowest = max(slowest, health.seconds, users.seconds)
            }
        }
        print("ResilienceTests: slowest answer while up to 2,000 connections were held: \(String(format: "%.3f s", slowest))")
        #expect(slowest < 1, "slowest answer while connections were held: \(slowest) s")
        #expect(world.server.isRunning)
        // One warning line for the condition, not one per connection.
        let warnings = world.server.log.components(separatedBy: "the connection limit was reached").count - 1
        #expect(warnings == 1, "\(warnings) warning lines about the connection limit")
        for channel in held { channel.close(promise: nil) }
        try await connections.shutdown()
        #expect(try await timed(world.server.baseURL + "/health/ready").status == 204)
    }

    @Test("idle, header and body timeouts close slow connections; a prompt request is answered")
    func slowClientsAreClosed() async throws {
        let world = try await E2EWorld.start(["--idle-timeout", "1", "--header-timeout", "1", "--body-timeout", "1"])
        defer { world.finish() }
        let connections = RawConnections()
        let port = world.server.port
        let silent = try await connections.open(port: port)
        let halfHead = try await connections.open(port: port, sending: "GET /users HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        let halfBody = try await connections.open(
            port: port,
            sending: "POST /webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(world.token)\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"url\":")
        // Answered (401) before its body came: the connection is idle again, not stuck "processing" forever.
        let answeredEarly = try await connections.open(
            port: port, sending: "POST /webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
        for channel in [silent, halfHead, halfBody, answeredEarly] {
            #expect(await connections.closes(channel, within: .seconds(4)))
        }
        #expect(try await timed(world.server.baseURL + "/health/ready").status == 204)
        try await connections.shutdown()
        #expect(world.server.log.contains("idle longer than the idle timeout"))
        #expect(world.server.log.contains("did not complete within the header timeout"))
        #expect(world.server.log.contains("stalled longer than the body timeout"))
    }

    @Test("a malformed chunked body is a 400 and a client leaving mid-body is no server error")
    func protocolErrors() async throws {
        let world = try await E2EWorld.start()
        defer { world.finish() }
        let connections = RawConnections()
        let head = "POST /webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(world.token)\r\nContent-Type: application/json\r\n"
        let answer = try await connections.exchange(
            port: world.server.port, head + "Transfer-Encoding: chunked\r\n\r\nzzzz\r\nabc\r\n0\r\n\r\n")
        #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer.prefix(200))")
        _ = try await connections.exchange(port: world.server.port, head + "Content-Length: 100\r\n\r\n{\"url\":", hangUp: true)
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await E2EHTTP.send(.GET, world.server.baseURL + "/health/ready").status == 204)
        try await connections.shutdown()
        #expect(!world.server.log.contains("Unhandled error"), "\(world.server.log)")
        #expect(!world.server.log.contains(" 500 "), "\(world.server.log)")
    }

    private static func eventIds(in body: String) -> [String] {
        ((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test("kill -9 five times during webhook delivery: every event arrives (redelivery allowed); restarts release the dead process's claims")
    func killDuringDelivery() async throws {
        let receiver = LocalReceiver()
        // Slow answers keep a delivery in flight when the server dies.
        receiver.delay(.seconds(1))
        let events = ["user:vehicle:discovered", "user:vehicle:updated"]
        try await receiver.run { url in
            var world = try await E2EWorld.start(["--seed", "5", "--sim-start", "2026-05-01T10:00:00Z"])
            defer { world.finish() }
            try await world.call(.PATCH, "/sandbox/clock", #"{"isPaused":true,"timing":"ideal"}"#)
            _ = try await world.createWebhook(url: url, events: events)
            for user in ["k1", "k2", "k3"] {
                _ = try await world.linkMagic(user: user, vendor: "POLESTAR", type: "vehicle", segment: "vehicles", scopes: ["vehicle:read:data"])
            }
            var stalls: [Double] = []
            for round in 0..<5 {
                let delivered = receiver.bodies.count
                for device in try await world.sandboxDeviceIds() {
                    try await world.call(.PATCH, "/sandbox/devices/\(device)", #"{"batteryLevel":\#(30 + round * 10)}"#)
                }
                try await world.call(.POST, "/sandbox/clock/advance", #"{"seconds":900}"#)
                // Kill while a delivery is in flight: the receiver has the batch and holds its answer.
                for _ in 0..<200 where receiver.bodies.count == delivered { try await Task.sleep(for: .milliseconds(25)) }
                // The batch the server is delivering when it dies must be delivered again by the next one.
                let inFlight = receiver.bodies.count
                let killedBatch = Set(Self.eventIds(in: receiver.bodies[inFlight - 1]))
                let killed = ContinuousClock.now
                try await world.crashAndRestart()
                func redelivered() -> Bool {
                    receiver.bodies.dropFirst(inFlight).contains { !killedBatch.isDisjoint(with: Self.eventIds(in: $0)) }
                }
                for _ in 0..<600 where !redelivered() { try await Task.sleep(for: .milliseconds(25)) }
                // From the kill, so it includes the new process's start-up (about half a second in a debug build).
                let stall = ContinuousClock.now - killed
                stalls.append(Double(stall.components.seconds) + Double(stall.components.attoseconds) / 1e18)
            }
            let expected = Set(try await world.outbox().filter { events.contains($0.name) }.map { "evt_\($0.sequence)" })
            func received() -> Set<String> { Set(receiver.events.compactMap { $0["id"] as? String }) }
            for _ in 0..<200 where !expected.isSubset(of: received()) { try await Task.sleep(for: .milliseconds(50)) }
            #expect(expected.count > 10)
            #expect(expected.subtracting(received()).isEmpty, "lost events: \(expected.subtracting(received()).sorted())")
            // Deliveries resume right after a restart instead of after the dead process's 10 s claims expire.
            print("ResilienceTests: the killed batch was delivered again, counted from each kill, after \(stalls.map { String(format: "%.2f s", $0) })")
            #expect(stalls.allSatisfy { $0 < 5 }, "stalls after restart: \(stalls)")
        }
    }
}

extension ResilienceTests {
    @Test("a second server on the same SQLite file is refused at start-up; one-shot commands still work")
    func secondServerOnOneSQLiteFile() async throws {
        let world = try await E2EWorld.start()
        defer { world.finish() }
        var refusal = ""
        do {
            let second = try await GridlinkProcess(database: world.database)
            second.stop()
        } catch let failure as E2EFailure {
            refusal = failure.description
        }
        #expect(refusal.contains("already served by another gridlink process"), "\(refusal)")
        #expect(try GridlinkProcess.command(["clients", "list", "--database", world.database]).contains(world.credentials["clientId"] ?? "?"))
        #expect(try await E2EHTTP.send(.GET, world.server.baseURL + "/users", headers: [("Authorization", "Bearer \(world.token)")]).status == 200)
    }
}

extension ResilienceTests {
    @Test("a long clock advance stops soon after its caller disconnects; the world answers others meanwhile")
    func abandonedAdvanceStops() async throws {
        let world = try await E2EWorld.start(["--sim-start", "2026-01-01T00:00:00Z"])
        defer { world.finish() }
        try await world.call(.PATCH, "/sandbox/clock", #"{"isPaused":true,"timing":"ideal"}"#)
        let devices = Array(repeating: #"{"type":"vehicle"}"#, count: 50).joined(separator: ",")
        for index in 0..<10 {
            #expect(try await world.call(.POST, "/sandbox/accounts", #"{"vendor":"TESLA","username":"u\#(index)","devices":[\#(devices)]}"#).status == 200)
        }
        func simulatedTime() async throws -> Date {
            let time = try #require(try await world.object(.GET, "/sandbox/clock")["time"] as? String)
            return try Date(time, strategy: .iso8601)
        }
        let start = try await simulatedTime()
        // 500 devices × 100,000 s is the whole work cap: many seconds of simulation. The caller hangs up after half a second.
        let connections = RawConnections()
        let body = #"{"seconds":100000}"#
        let request = "POST /sandbox/clock/advance HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(world.token)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        let caller = try await connections.open(port: world.server.port, sending: request)
        try await Task.sleep(for: .milliseconds(500))
        try await caller.close()
        try await Task.sleep(for: .seconds(1))
        let stopped = try await simulatedTime()
        try await Task.sleep(for: .seconds(1))
        let later = try await simulatedTime()
        try await connections.shutdown()
        #expect(stopped.timeIntervalSince(start) < 100_000, "the whole advance ran")
        #expect(!world.server.log.contains("Unhandled error") && !world.server.log.contains(" 500 "), "a cancelled advance is no server error")
        #expect(later == stopped, "the advance went on after its caller left: \(stopped) then \(later)")
    }
}

extension ResilienceTests {
    @Test("a client holds at most five event streams; a sixth is a 429 problem")
    func eventStreamCap() async throws {
        let world = try await E2EWorld.start()
        defer { world.finish() }
        let connections = RawConnections()
        let open = "GET /sandbox/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: Bearer \(world.token)\r\n\r\n"
        var streams: [any Channel] = []
        for _ in 0..<5 { streams.append(try await connections.open(port: world.server.port, sending: open)) }
        try await Task.sleep(for: .milliseconds(500))
        let sixth = try await E2EHTTP.send(.GET, world.server.baseURL + "/sandbox/events",
                                           headers: [("Authorization", "Bearer \(world.token)"), ("Accept", "text/event-stream")])
        #expect(sixth.status == 429 && sixth.headers.first(name: "Content-Type") == "application/problem+json", "\(sixth.status) \(sixth.body)")
        for stream in streams { try await stream.close() }
        try await connections.shutdown()
    }

    @Test("sandbox reset --keep-clients refuses a database with production clients")
    func keepClientsResetSparesProduction() async throws {
        let world = try await E2EWorld.start()
        world.server.stop()
        defer { world.finish() }
        _ = try GridlinkProcess.command(["clients", "create", "--name", "live", "--environment", "production", "--database", world.database])
        #expect(throws: E2EFailure.self) {
            try GridlinkProcess.command(["sandbox", "reset", "--keep-clients", "--database", world.database])
        }
    }
}

extension ResilienceTests {
    @Test("a clean shutdown (SIGTERM) releases every lease and claim the server held")
    func cleanShutdownReleasesHolds() async throws {
        let world = try await E2EWorld.start()
        defer { world.finish() }
        let held = try await BackgroundCommand.wait(seconds: 10) { try await !world.readStore { try await $0.holders() }.isEmpty }
        #expect(held, "the background services took no lease")
        world.server.stop()
        #expect(try await world.readStore { try await $0.holders() }.isEmpty)
    }
}
