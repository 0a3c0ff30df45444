import Foundation
import GridlinkCore
@testable import GridlinkServer
import GridlinkSandbox
import GridlinkStore
import HTTPTypes
import Synchronization
import Testing

@Suite("Sandbox fixtures and the event stream route")
struct SandboxFixtureTests {
    /// The sandbox routes whose answers a fixture must reproduce, for a client whose devices are `deviceIds`.
    private static func sandboxAnswers(_ server: TestServer, token: String, deviceIds: [String]) async throws -> [String: JSONValue] {
        var answers: [String: JSONValue] = [:]
        let prices = "/sandbox/prices?area=NO1&from=2026-01-02T00:00:00Z&to=2026-01-02T03:00:00Z"
        for path in ["/sandbox/accounts", "/sandbox/devices", "/sandbox/faults", "/sandbox/clock", "/sandbox/export", prices]
            + deviceIds.map({ "/sandbox/devices/\($0)" }) {
            let reply = try await server.send(.get, path, token: token)
            #expect(reply.status == 200, "\(path): \(reply.body)")
            answers[path] = reply.json
        }
        return answers
    }

    /// A paused world for a new client with a car plugged into a charger at one site, a tuned site, a fault and a pending
    /// command; returns the token, the device ids and the export.
    private static func populated(_ server: TestServer) async throws -> (token: String, deviceIds: [String], fixture: String) {
        let (_, token) = try await server.clientToken()
        _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true, "speed": 30])
        let car = try await server.send(.post, "/sandbox/accounts", token: token, json: [
            "vendor": "TESLA", "siteId": "home", "devices": [["type": "vehicle", "model": "Model 3 Long Range"]]])
        let charger = try await server.send(.post, "/sandbox/accounts", token: token, json: ["vendor": "ZAPTEC", "siteId": "home", "devices": [["type": "charger"]]])
        guard case .string(let carId) = car.json?["deviceIds"]?.array?.first, case .string(let chargerId) = charger.json?["deviceIds"]?.array?.first else {
            throw TestFailure("no devices: \(car.body) \(charger.body)")
        }
        _ = try await server.send(.patch, "/sandbox/devices/\(carId)", token: token, json: ["batteryLevel": 31, "chargeLimit": 90, "cloudiness": 0.8])
        _ = try await server.send(.post, "/sandbox/devices/\(carId)/plug", token: token, json: ["chargerId": .string(chargerId)])
        _ = try await server.send(.post, "/sandbox/faults", token: token, json: ["kind": "rateLimit", "scope": ["vendor": "ZAPTEC"], "count": 2])
        let uploaded = try await server.send(.put, "/sandbox/prices/NO1", token: token, json: ["prices": [
            ["start": "2026-01-02T01:00:00Z", "end": "2026-01-02T02:00:00Z", "price": 0.42]]])
        #expect(uploaded.status < 300, "\(uploaded.body)")
        let command = try await server.send(.post, "/sandbox/devices/\(carId)/commands", token: token, json: ["command": "startCharging"])
        #expect(command.json?["result"] == "ACCEPTED" && command.json?["effectiveAt"] != .null, "a pending effect: \(command.body)")
        let fixture = try await server.send(.get, "/sandbox/export", token: token)
        #expect(fixture.status == 200 && fixture.json?["format"] == .string(SandboxFixture.currentFormat))
        return (token, [carId, chargerId], fixture.body)
    }

    @Test("export, then import on a fresh server: every sandbox route (prices too) answers the same, and the world moves on alike")
    func roundTrip() async throws {
        let exported = Mutex<(answers: [String: JSONValue], fixture: String, deviceIds: [String], after: JSONValue?)>(([:], "", [], nil))
        try await TestServer.run { server in
            let (token, deviceIds, fixture) = try await Self.populated(server)
            let answers = try await Self.sandboxAnswers(server, token: token, deviceIds: deviceIds)
            _ = try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 3600])
            let after = try await server.send(.get, "/sandbox/devices/\(deviceIds[0])", token: token).json
            exported.withLock { $0 = (answers, fixture, deviceIds, after) }
        }
        let (answers, fixture, deviceIds, after) = exported.withLock { $0 }
        try await TestServer.run(clock: ManualClock(start: Date(timeIntervalSince1970: 2_000_000_000))) { server in
            let (_, token) = try await server.clientToken()
            let imported = try await server.send(.post, "/sandbox/import", token: token, headers: [.contentType: "application/json"], body: fixture)
            #expect(imported.status == 200, "\(imported.body)")
            let again = try await Self.sandboxAnswers(server, token: token, deviceIds: deviceIds)
            for (path, answer) in answers { #expect(again[path] == answer, "\(path)") }
            _ = try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 3600])
            #expect(try await server.send(.get, "/sandbox/devices/\(deviceIds[0])", token: token).json == after)
        }
    }

    @Test("import replaces only the importing client's sandbox; bad documents are 400, another client's ids 409")
    func importIsolation() async throws {
        try await TestServer.run { server in
            let (token, deviceIds, fixture) = try await Self.populated(server)
            let (_, other) = try await server.clientToken()
            let kept = try await server.send(.post, "/sandbox/accounts", token: other, json: ["vendor": "DAIKIN", "devices": [["type": "hvac"]]])
            #expect(kept.status == 200)
            let before = try await server.send(.get, "/sandbox/devices", token: other).json

            // The other client cannot take ids that belong to the first.
            let clash = try await server.send(.post, "/sandbox/import", token: other, headers: [.contentType: "application/json"], body: fixture)
            #expect(clash.status == 409 && clash.isProblem)
            #expect(try await server.send(.get, "/sandbox/devices", token: other).json == before)

            // The first client imports an emptied copy of its own fixture: its devices go, the other's stay.
            guard case .object(var emptied) = try JSONDecoder().decode(JSONValue.self, from: Data(fixture.utf8)) else { throw TestFailure("not an object") }
            for key in ["accounts", "devices", "faults", "pendingEffects"] { emptied[key] = [] }
            let reset = try await server.send(.post, "/sandbox/import", token: token, json: .object(emptied))
            #expect(reset.status == 200 && reset.json?["devices"] == [] && reset.json?["prices"]?["NO1"] != nil)
            #expect(try await server.send(.get, "/sandbox/devices/\(deviceIds[0])", token: token).status == 404)
            #expect(try await server.send(.get, "/sandbox/devices", token: other).json == before)

            for broken in [#"{"format":"other"}"#, "[]", fixture.replacingOccurrences(of: SandboxFixture.currentFormat, with: "gridlink-sandbox-fixture/0")] {
                let reply = try await server.send(.post, "/sandbox/import", token: token, headers: [.contentType: "application/json"], body: broken)
                #expect(reply.status == 400 && reply.isProblem, "\(reply.body)")
            }
            let (_, production) = try await server.clientToken(environment: .production)
            #expect(try await server.send(.get, "/sandbox/export", token: production).status == 404)
        }
    }

    @Test("the example fixture in docs/ imports, and its accounts and devices show up")
    func documentedExample() async throws {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let example = try String(contentsOf: root.appendingPathComponent("docs/sandbox-fixture.example.json"), encoding: .utf8)
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let imported = try await server.send(.post, "/sandbox/import", token: token, headers: [.contentType: "application/json"], body: example)
            #expect(imported.status == 200, "\(imported.body)")
            guard case .array(let devices) = try await server.send(.get, "/sandbox/devices", token: token).json?["data"] else { throw TestFailure("no list") }
            #expect(!devices.isEmpty)
            let clock = try await server.send(.get, "/sandbox/clock", token: token).json
            #expect(clock?["time"] == imported.json?["clock"]?["time"] && clock?["isPaused"] == true)
        }
    }

    @Test("GET /sandbox/events asks for Accept: text/event-stream (406 otherwise) and checks Last-Event-ID")
    func eventStreamRefusals() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let plain = try await server.send(.get, "/sandbox/events", token: token)
            #expect(plain.status == 406 && plain.isProblem)
            let bad = try await server.send(.get, "/sandbox/events", token: token, headers: [.accept: "text/event-stream", HTTPField.Name("Last-Event-ID")!: "x"])
            #expect(bad.status == 400 && bad.isProblem)
            let (_, production) = try await server.clientToken(environment: .production)
            #expect(try await server.send(.get, "/sandbox/events", token: production, headers: [.accept: "text/event-stream"]).status == 404)
        }
    }

    @Test("the outbox follower hands out each of the client's events once, including one that commits late below a seen one")
    func follower() async throws {
        let clock = ManualClock()
        try await TestServer.run(clock: clock) { server in
            func append(_ client: String, _ name: String) async throws -> Int64 {
                try await server.store.write { try await $0.appendEvent(NewOutboxEvent(clientId: client, userId: nil, name: name, payload: "{}"), at: clock.now()) }
            }
            let (mine, _) = try await server.clientToken()
            let (theirs, _) = try await server.clientToken()
            var follower = OutboxFollower(store: server.store, clientId: mine, wallClock: clock, after: 0)
            let first = try await append(mine, "user:vehicle:updated")
            _ = try await append(theirs, "user:vehicle:updated")
            #expect(try await follower.next().map(\.sequence) == [first])
            #expect(try await follower.next().isEmpty)
            let second = try await append(mine, "user:charger:updated")
            #expect(try await follower.next().map(\.sequence) == [second])
            clock.advance(by: OutboxFollower.commitWindow + 1)
            #expect(try await follower.next().isEmpty)
            #expect(follower.floor == second)
        }
    }

    @Test("a burst larger than one read reaches the stream at once, not a read's worth per commit window")
    func followerBurst() async throws {
        let clock = ManualClock()
        try await TestServer.run(clock: clock) { server in
            let (mine, _) = try await server.clientToken()
            var follower = OutboxFollower(store: server.store, clientId: mine, wallClock: clock, after: 0)
            let burst = OutboxFollower.readLimit * 2 + 500
            try await server.store.write { session in
                for index in 0..<burst {
                    _ = try await session.appendEvent(NewOutboxEvent(clientId: mine, userId: nil, name: "user:vehicle:updated", payload: "{\"n\":\(index)}"), at: clock.now())
                }
            }
            // One call reads on past each full page (before, it handed out one page and then re-read it until the window passed).
            #expect(try await follower.next().count == burst)
            #expect(try await follower.next().isEmpty)
        }
    }
}
