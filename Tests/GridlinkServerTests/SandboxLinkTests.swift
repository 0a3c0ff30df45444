import Foundation
import GridlinkCore
@testable import GridlinkServer
import GridlinkSandbox
import GridlinkStore
import HTTPTypes
import Logging
import Testing

@Suite("Headless sandbox linking, autoStart, the front page and honest world settings")
struct SandboxLinkTests {
    private static let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test("POST /sandbox/links with vendor and devices creates the account and links it: assets, scopes, events, asset ids on the device")
    func linkNewAccount() async throws {
        try await TestServer.run { server in
            let (clientId, token) = try await server.clientToken()
            let reply = try await server.send(.post, "/sandbox/links", token: token, json: [
                "userId": "alice", "vendor": "TESLA", "siteId": "home", "devices": [["type": "vehicle"], ["type": "charger"]],
            ])
            #expect(reply.status == 200, "\(reply.body)")
            let vehicleId = try #require(reply.json?["assetIds"]?["vehicle"]?.array?.first?.string)
            let chargerId = try #require(reply.json?["assetIds"]?["charger"]?.array?.first?.string)
            #expect(reply.json?["vendor"] == "TESLA")
            let accountId = try #require(reply.json?["accountId"]?.string)

            let vehicle = try await server.send(.get, "/vehicles/\(vehicleId)", token: token)
            #expect(vehicle.json?["scopes"]?.array?.compactMap(\.string).sorted() == ["vehicle:control:charging", "vehicle:read:data", "vehicle:read:location"])
            let charger = try await server.send(.get, "/chargers/\(chargerId)", token: token)
            #expect(charger.json?["scopes"]?.array?.compactMap(\.string).sorted() == ["charger:control:charging", "charger:read:data"])

            let user = try await server.send(.get, "/users/alice", token: token)
            #expect(user.json?["linkedVendors"]?.array?.count == 2)
            let users = try await server.send(.get, "/users", token: token)
            let scopes = users.json?["data"]?.array?.first?["scopes"]?.array?.compactMap(\.string) ?? []
            #expect(scopes == (reply.json?["scopes"]?.array?.compactMap(\.string) ?? []).sorted())
            #expect(scopes.count == LinkScope.allCases.filter { $0.rawValue.hasPrefix("vehicle:") || $0.rawValue.hasPrefix("charger:") }.count)

            let events = try await server.store.read { try await $0.outboxEvents(clientId: clientId) }.map(\.name)
            #expect(events.sorted() == ["user:charger:discovered", "user:vehicle:discovered"])

            let account = try await server.send(.get, "/sandbox/accounts/\(accountId)", token: token)
            let carDevice = try #require(account.json?["deviceIds"]?.array?.first?.string)
            let device = try await server.send(.get, "/sandbox/devices/\(carDevice)", token: token)
            #expect(device.json?["assetIds"] == .array([.string(vehicleId)]))
            let listed = try await server.send(.get, "/sandbox/devices", token: token)
            #expect(listed.json?["data"]?.array?.first { $0["id"] == .string(carDevice) }?["assetIds"] == .array([.string(vehicleId)]))
        }
    }

    @Test("headless linking of an existing account gives what the Link UI gives for the same account")
    func sameAsLinkUI() async throws {
        try await TestServer.run { server in
            let (clientId, token) = try await server.clientToken()
            let created = try await server.send(.post, "/sandbox/accounts", token: token, json: ["vendor": "KIA", "username": "kim", "password": "pw", "devices": [["type": "vehicle"]]])
            let accountId = try #require(created.json?["id"]?.string)
            let scopes: JSONValue = ["vehicle:read:data", "vehicle:control:charging"]

            let session = try await server.send(.post, "/users/ui-user/link", token: token, json: [
                "vendorType": "vehicle", "vendor": "KIA", "scopes": scopes, "language": "en-US", "redirectUri": "https://app.example.com"])
            let url = try #require(session.json?["linkUrl"]?.string)
            let path = String(url[url.range(of: "/link/")!.lowerBound...])
            _ = try await server.send(.post, path + "/consent", headers: Self.formType, body: "decision=accept")
            #expect(try await server.send(.post, path + "/login", headers: Self.formType, body: "username=kim&password=pw").status == 200)

            let headless = try await server.send(.post, "/sandbox/links", token: token, json: ["userId": "api-user", "accountId": .string(accountId), "scopes": scopes])
            #expect(headless.status == 200, "\(headless.body)")

            for user in ["ui-user", "api-user"] {
                let vehicles = try await server.send(.get, "/users/\(user)/vehicles", token: token)
                let vehicle = try #require(vehicles.json?["data"]?.array?.first)
                #expect(vehicle["scopes"] == scopes, "\(user)")
                #expect(vehicle["vendor"] == "KIA")
                let linked = try await server.send(.get, "/users/\(user)", token: token)
                #expect(linked.json?["linkedVendors"] == [["vendor": "KIA", "vendorType": "vehicle", "isValid": true]])
            }
            let events = try await server.store.read { try await $0.outboxEvents(clientId: clientId) }
            #expect(events.filter { $0.name == "user:vehicle:discovered" }.compactMap(\.userId).sorted() == ["api-user", "ui-user"])
            let device = try #require(created.json?["deviceIds"]?.array?.first?.string)
            #expect(try await server.send(.get, "/sandbox/devices/\(device)", token: token).json?["assetIds"]?.array?.count == 2)
        }
    }

    @Test("POST /sandbox/links answers problems that name the field, 404 for unknown accounts and production clients")
    func problems() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let cases: [(JSONValue, String)] = [
                (["vendor": "KIA", "devices": [["type": "vehicle"]]], "\"userId\" is required"),
                (["userId": "u"], "\"accountId\" or \"vendor\""),
                (["userId": "u", "accountId": "a", "vendor": "KIA"], "exclude each other"),
                (["userId": "u", "vendor": "KIA"], "\"devices\""),
                (["userId": "u", "vendor": "KIA", "devices": [["type": "vehicle"]], "scopes": ["vehicle:fly"]], "\"scopes[0]\""),
                (["userId": "u", "vendor": "KIA", "devices": [["type": "vehicle"]], "scopes": ["charger:read:data"]], "vehicle scope"),
                (["userId": "u", "vendor": "KIA", "devices": [["type": "charger"]]], "\"devices[0]\""),
                (["userId": "", "vendor": "KIA", "devices": [["type": "vehicle"]]], "\"userId\""),
            ]
            for (body, detail) in cases {
                let reply = try await server.send(.post, "/sandbox/links", token: token, json: body)
                #expect(reply.status == 400 && reply.isProblem, "\(body): \(reply.body)")
                #expect(reply.detail.contains(detail), "\(body): \(reply.detail)")
            }
            #expect(try await server.send(.get, "/sandbox/accounts", token: token).json?["data"]?.array?.isEmpty == true, "no account left behind")
            let unknown = try await server.send(.post, "/sandbox/links", token: token, json: ["userId": "u", "accountId": "nope"])
            #expect(unknown.status == 404 && unknown.isProblem)
            let (_, production) = try await server.clientToken(environment: .production)
            #expect(try await server.send(.post, "/sandbox/links", token: production, json: ["userId": "u", "accountId": "nope"]).status == 404)
        }
    }

    @Test("a vendor outage answers 424 and links nothing")
    func outage() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            _ = try await server.send(.post, "/sandbox/faults", token: token, json: ["kind": "outage", "scope": ["vendor": "KIA"]])
            let reply = try await server.send(.post, "/sandbox/links", token: token, json: ["userId": "u", "vendor": "KIA", "devices": [["type": "vehicle"]]])
            #expect(reply.status == 424 && reply.isProblem, "\(reply.body)")
            #expect(try await server.send(.get, "/users/u", token: token).status == 404)
        }
    }

    @Test("autoStart: a car created with autoStart false waits for startCharging; PATCH turns it back on")
    func autoStart() async throws {
        try await TestServer.run { server in
            let token = try await server.pausedClientToken()
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["timing": "ideal"])
            let car = try await server.send(.post, "/sandbox/accounts", token: token, json: [
                "vendor": "KIA", "siteId": "home", "devices": [["type": "vehicle", "autoStart": false]]])
            let charger = try await server.send(.post, "/sandbox/accounts", token: token, json: ["vendor": "EASEE", "siteId": "home", "devices": [["type": "charger"]]])
            let carId = try #require(car.json?["deviceIds"]?.array?.first?.string)
            let chargerId = try #require(charger.json?["deviceIds"]?.array?.first?.string)
            _ = try await server.send(.patch, "/sandbox/devices/\(carId)", token: token, json: ["batteryLevel": 30])
            let plugged = try await server.send(.post, "/sandbox/devices/\(carId)/plug", token: token, json: ["chargerId": .string(chargerId)])
            #expect(plugged.json?["state"]?["autoStart"] == false)
            #expect(plugged.json?["state"]?["chargingEnabled"] == false)
            _ = try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 60])
            #expect(try await server.send(.get, "/sandbox/devices/\(carId)", token: token).json?["state"]?["isCharging"] == false)
            _ = try await server.send(.post, "/sandbox/devices/\(carId)/commands", token: token, json: ["command": "startCharging"])
            _ = try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 60])
            #expect(try await server.send(.get, "/sandbox/devices/\(carId)", token: token).json?["state"]?["isCharging"] == true)

            _ = try await server.send(.post, "/sandbox/devices/\(carId)/unplug", token: token, json: [:])
            let patched = try await server.send(.patch, "/sandbox/devices/\(carId)", token: token, json: ["autoStart": true])
            #expect(patched.json?["state"]?["autoStart"] == true)
            _ = try await server.send(.post, "/sandbox/devices/\(carId)/plug", token: token, json: ["chargerId": .string(chargerId)])
            _ = try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 60])
            #expect(try await server.send(.get, "/sandbox/devices/\(carId)", token: token).json?["state"]?["isCharging"] == true)
            let hvac = try await server.send(.post, "/sandbox/accounts", token: token, json: ["vendor": "DAIKIN", "devices": [["type": "hvac", "autoStart": true]]])
            #expect(hvac.status == 400 && hvac.detail.contains("autoStart"))
        }
    }

    @Test("GET / points to the OpenAPI document and the guides; the consent page names the app and the brand")
    func frontPageAndConsent() async throws {
        try await TestServer.run { server in
            let index = try await server.send(.get, "/")
            #expect(index.status == 200)
            #expect(index.json?["openapi"]?.string?.hasSuffix("/openapi.json") == true)
            let (_, token) = try await server.clientToken()
            let session = try await server.send(.post, "/users/u/link", token: token, json: [
                "vendorType": "vehicle", "vendor": "KIA", "scopes": ["vehicle:read:data"], "language": "en-US", "redirectUri": "https://app.example.com"])
            let url = try #require(session.json?["linkUrl"]?.string)
            let page = try await server.send(.get, String(url[url.range(of: "/link/")!.lowerBound...]))
            #expect(page.body.contains("Test asks for access to your Kia account"), "\(page.body)")
        }
    }

    @Test("a user's createdAt is simulation time")
    func userCreatedOnSimulationClock() async throws {
        try await TestServer.run { server in
            let token = try await server.pausedClientToken()
            _ = try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 86_400])
            _ = try await server.send(.post, "/sandbox/links", token: token, json: ["userId": "u", "vendor": "KIA", "devices": [["type": "vehicle"]]])
            let clock = try await server.send(.get, "/sandbox/clock", token: token)
            let users = try await server.send(.get, "/users", token: token)
            #expect(users.json?["data"]?.array?.first?["createdAt"] == clock.json?["time"])
        }
    }

    @Test("--seed or --sim-start for an existing world is refused with how to start over; the same ones are accepted")
    func worldSettingsConflict() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gridlink-world-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let start = Date(timeIntervalSince1970: 1_780_000_000)
        func load(seed: UInt64?, start: Date?) async throws {
            let store = Store(database: try SQLiteDatabase(path: path))
            try await store.whileRunning { store in
                try await store.migrate(at: start ?? Date(timeIntervalSince1970: 0))
                var logger = Logger(label: "test")
                logger.logLevel = .warning
                let runtime = SandboxRuntime(
                    store: store, wallClock: ManualClock(), options: SimulationOptions(seed: seed, start: start), holder: "test", logger: logger)
                try await runtime.load()
            }
        }
        try await load(seed: 42, start: start)
        try await load(seed: 42, start: start)
        try await load(seed: nil, start: nil)
        let refused = await #expect(throws: WorldSettingsConflict.self) { try await load(seed: 7, start: nil) }
        #expect(refused?.description.contains("--seed 7 (the world's seed is 42)") == true)
        #expect(refused?.description.contains("gridlink sandbox reset --keep-clients") == true)
        await #expect(throws: WorldSettingsConflict.self) { try await load(seed: nil, start: start.addingTimeInterval(3600)) }
    }
}
