import Foundation
import GridlinkCore
@testable import GridlinkServer
import GridlinkSandbox
import GridlinkStore
import HTTPTypes
import Testing

@Suite("Sandbox fixture imports cannot reach other clients or break the world")
struct SandboxFixtureSafetyTests {
    /// A new client with a paused clock and one TESLA account at site `home` holding a car with tuned site conditions,
    /// and its export as an editable document.
    private static func client(_ server: TestServer) async throws -> (token: String, fixture: [String: Any]) {
        let (_, token) = try await server.clientToken()
        _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
        let car = try await server.send(.post, "/sandbox/accounts", token: token, json: ["vendor": "TESLA", "siteId": "home", "devices": [["type": "vehicle"]]])
        guard case .string(let carId) = car.json?["deviceIds"]?.array?.first else { throw TestFailure("no car: \(car.body)") }
        _ = try await server.send(.patch, "/sandbox/devices/\(carId)", token: token, json: ["cloudiness": 0.8])
        _ = try await server.send(.put, "/sandbox/prices/NO1", token: token, json: ["prices": [
            ["start": "2026-01-02T01:00:00Z", "end": "2026-01-02T02:00:00Z", "price": 0.42]]])
        return (token, try document(try await server.send(.get, "/sandbox/export", token: token).body))
    }

    private static func document(_ body: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { throw TestFailure("not an object: \(body)") }
        return object
    }

    private static func post(_ server: TestServer, _ fixture: [String: Any], token: String) async throws -> TestReply {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: fixture), as: UTF8.self)
        return try await server.send(.post, "/sandbox/import", token: token, headers: [.contentType: "application/json"], body: body)
    }

    /// `fixture` with `change` applied to the first element of the array at `key`.
    private static func editing(_ fixture: [String: Any], _ key: String, _ change: (inout [String: Any]) -> Void) -> [String: Any] {
        var copy = fixture
        var items = copy[key] as? [[String: Any]] ?? []
        change(&items[0])
        copy[key] = items
        return copy
    }

    private static func ids(_ server: TestServer, token: String, _ path: String) async throws -> [String] {
        guard case .array(let items) = try await server.send(.get, path, token: token).json?["data"] else { throw TestFailure("no list at \(path)") }
        return items.compactMap { if case .string(let id) = $0["id"] { id } else { nil } }
    }

    @Test("importing a fixture again keeps the world's generator: the importer's next ids never repeat another client's")
    func idsStayUnique() async throws {
        try await TestServer.run { server in
            let (token, fixture) = try await Self.client(server)
            #expect(try await Self.post(server, fixture, token: token).status == 200)
            let (_, other) = try await server.clientToken()
            let theirs = try await server.send(.post, "/sandbox/accounts", token: other, json: ["vendor": "DAIKIN", "devices": [["type": "hvac"]]])
            #expect(theirs.status == 200)
            let before = try await server.send(.get, "/sandbox/export", token: other).json
            let again = try await Self.post(server, fixture, token: token)
            #expect(again.status == 200, "\(again.body)")
            let mine = try await server.send(.post, "/sandbox/accounts", token: token, json: ["vendor": "DAIKIN", "devices": [["type": "hvac"]]])
            #expect(mine.status == 200)
            #expect(mine.json?["id"] != theirs.json?["id"] && mine.json?["deviceIds"] != theirs.json?["deviceIds"], "\(mine.body) \(theirs.body)")
            let after = try await server.send(.get, "/sandbox/export", token: other).json
            #expect(after?["accounts"] == before?["accounts"] && after?["devices"] == before?["devices"])
            let devices = try await Self.ids(server, token: other, "/sandbox/devices")
            for id in devices { #expect(try await server.send(.get, "/sandbox/devices/\(id)", token: other).json?["id"] == .string(id)) }
        }
    }

    @Test("a site another client uses is neither imported (409 naming it) nor exported")
    func sharedSites() async throws {
        try await TestServer.run { server in
            let (token, fixture) = try await Self.client(server)
            #expect((fixture["sites"] as? [String: Any])?["home"] != nil)
            let (_, other) = try await server.clientToken()
            _ = try await server.send(.post, "/sandbox/accounts", token: other, json: ["vendor": "DAIKIN", "siteId": "home", "devices": [["type": "hvac"]]])
            let before = try await server.send(.get, "/sandbox/export", token: token).json
            #expect(before?["sites"] == [:], "a shared site is not exported: \(String(describing: before?["sites"]))")
            #expect(try await server.send(.get, "/sandbox/export", token: other).json?["sites"] == [:])
            var tuned = fixture
            tuned["sites"] = ["home": ["latitude": 10.0, "longitude": 10.0, "cloudiness": 0.0]]
            let reply = try await Self.post(server, tuned, token: token)
            #expect(reply.status == 409 && reply.isProblem && reply.detail.contains("home"), "\(reply.body)")
            #expect(try await server.send(.get, "/sandbox/export", token: token).json == before)
        }
    }

    @Test("the clock goes back only for a client alone in the world (else 409), and stays within the request date range (400)")
    func clockBounds() async throws {
        try await TestServer.run { server in
            let (token, fixture) = try await Self.client(server)
            var earlier = fixture
            var clock = fixture["clock"] as? [String: Any] ?? [:]
            clock["time"] = "2020-01-01T00:00:00Z"
            earlier["clock"] = clock
            #expect(try await Self.post(server, earlier, token: token).status == 200, "alone, a client may move the clock back")
            let (_, other) = try await server.clientToken()
            _ = try await server.send(.post, "/sandbox/accounts", token: other, json: ["vendor": "DAIKIN", "devices": [["type": "hvac"]]])
            let forward = try await Self.post(server, fixture, token: token)
            #expect(forward.status == 200, "forward is fine: \(forward.body)")
            let now = try await server.send(.get, "/sandbox/clock", token: other).json?["time"]
            let back = try await Self.post(server, earlier, token: token)
            #expect(back.status == 409 && back.isProblem && back.detail.contains("clock.time"), "\(back.body)")
            for outside in ["1999-12-31T00:00:00Z", "2100-01-02T00:00:00Z"] {
                clock["time"] = outside
                var far = fixture
                far["clock"] = clock
                let reply = try await Self.post(server, far, token: token)
                #expect(reply.status == 400 && reply.isProblem && reply.detail.contains("clock.time"), "\(reply.body)")
            }
            #expect(try await server.send(.get, "/sandbox/clock", token: other).json?["time"] == now)
        }
    }

    @Test("ordinals and sequences beyond 10^12 are a 400 naming the field, and the world keeps counting")
    func ordinalBounds() async throws {
        try await TestServer.run { server in
            let (token, fixture) = try await Self.client(server)
            let deviceId = (fixture["devices"] as? [[String: Any]])?.first?["id"] as? String ?? ""
            let huge = Self.editing(fixture, "accounts") { $0["ordinal"] = Int64.max }
            var pending = fixture
            pending["pendingEffects"] = [["dueAt": "2026-06-01T00:00:00Z", "sequence": Int.max, "deviceId": deviceId, "command": ["startCharging": [String: Any]()]]]
            for (field, document) in [("accounts[0].ordinal", huge), ("devices[0].ordinal", Self.editing(fixture, "devices") { $0["ordinal"] = -1 }),
                                      ("pendingEffects[0].sequence", pending)] {
                let reply = try await Self.post(server, document, token: token)
                #expect(reply.status == 400 && reply.isProblem && reply.detail.contains(field), "\(field): \(reply.body)")
            }
            let created = try await server.send(.post, "/sandbox/accounts", token: token, json: ["vendor": "DAIKIN", "devices": [["type": "hvac"]]])
            #expect(created.status == 200, "\(created.body)")
        }
    }

    @Test("imported faults, prices and usernames meet the routes' rules")
    func entityRules() async throws {
        try await TestServer.run { server in
            let (token, fixture) = try await Self.client(server)
            var faulty = fixture
            faulty["faults"] = [["id": "f1", "clientId": "", "kind": "rateLimit", "scope": ["vendor": "TESLA"], "delaySeconds": 300]]
            #expect(try await Self.post(server, faulty, token: token).status == 200, "a valid fault imports")
            let slot: [String: Any] = ["start": "2026-01-02T01:00:00Z", "end": "2026-01-02T02:00:00Z", "price": 0.5]
            var tooMany = fixture
            tooMany["prices"] = ["NO1": (0...10_000).map { index -> [String: Any] in
                let start = Date(timeIntervalSince1970: 1_767_225_600 + Double(index) * 3600)
                return ["start": Timestamp.format(start), "end": Timestamp.format(start.addingTimeInterval(3600)), "price": 0.5]
            }]
            var costly = fixture, early = fixture
            costly["prices"] = ["NO1": [slot.merging(["price": 2_000_000.0]) { $1 }]]
            early["prices"] = ["NO1": [slot.merging(["start": "1990-01-01T00:00:00Z", "end": "1990-01-01T01:00:00Z"]) { $1 }]]
            let cases: [(String, [String: Any])] = [
                ("faults[0].delaySeconds", Self.editing(faulty, "faults") { $0["delaySeconds"] = 100_000 }),
                ("faults[0].probability", Self.editing(faulty, "faults") { $0["probability"] = 2 }),
                ("faults[0].remaining", Self.editing(faulty, "faults") { $0["remaining"] = -1 }),
                ("prices.NO1", tooMany), ("prices.NO1[0].price", costly), ("prices.NO1[0].start", early),
            ]
            let before = try await server.send(.get, "/sandbox/export", token: token).json
            for (field, document) in cases {
                let reply = try await Self.post(server, document, token: token)
                #expect(reply.status == 400 && reply.isProblem && reply.detail.contains(field), "\(field): \(reply.body)")
            }
            var twice = fixture
            let account = (fixture["accounts"] as? [[String: Any]])?.first ?? [:]
            twice["accounts"] = [account, account.merging(["id": "second-account", "ordinal": 99]) { $1 }]
            let duplicate = try await Self.post(server, twice, token: token)
            #expect(duplicate.status == 409 && duplicate.isProblem, "\(duplicate.body)")
            #expect(try await server.send(.get, "/sandbox/export", token: token).json == before)
        }
    }

    @Test("an import whose price write fails changes nothing: not the world, the clock or the prices")
    func atomic() async throws {
        try await TestServer.run { server in
            let (token, fixture) = try await Self.client(server)
            let before = try await server.send(.get, "/sandbox/export", token: token).json
            var changed = fixture
            changed["devices"] = []
            var clock = fixture["clock"] as? [String: Any] ?? [:]
            clock["time"] = "2030-01-01T00:00:00Z"
            clock["speed"] = 7
            changed["clock"] = clock
            try await server.store.database.transaction { connection in
                try await connection.execute("CREATE TRIGGER refuse_prices BEFORE INSERT ON market_prices BEGIN SELECT RAISE(ABORT, 'refused'); END")
            }
            let reply = try await Self.post(server, changed, token: token)
            #expect(reply.status == 500 && reply.isProblem, "\(reply.body)")
            #expect(try await server.send(.get, "/sandbox/export", token: token).json == before)
        }
    }
}
