import Foundation
import Testing

/// The README and docs/SANDBOX.md quick start, command by command, through the built binary.
@Suite("End to end: the quick start from a fresh database", .serialized)
struct QuickStartEndToEndTests {
    @Test("serve --demo, listen, headless link, plug in, advance, read the charging state and get its webhook; --demo again duplicates nothing; a new --seed is refused")
    func quickStart() async throws {
        let laptop = LocalReceiver()
        try await laptop.run { hook in try await quickStart(receivingAt: hook, laptop: laptop) }
    }

    private func quickStart(receivingAt hook: String, laptop: LocalReceiver) async throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("gridlink-quickstart-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: database + suffix) } }

        // gridlink serve --demo
        let server = try await GridlinkProcess(database: database, extraArguments: ["--demo", "--sim-speed", "60", "--seed", "42"])
        var exports: [String: String] = [:]
        for _ in 0..<100 where exports["GRIDLINK_TOKEN"] == nil {
            try await Task.sleep(for: .milliseconds(50))
            for line in server.log.split(separator: "\n") where line.hasPrefix("export ") {
                let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 2 { exports[pair[0]] = pair[1] }
            }
        }
        #expect(server.log.contains("New sandbox world: seed 42"), "\(server.log)")
        #expect(server.log.contains("speed 60.0×"))
        let token = try #require(exports["GRIDLINK_TOKEN"], "\(server.log)")
        #expect(exports["GRIDLINK_URL"] == server.baseURL)
        func api(_ path: String, at base: String? = nil) async throws -> [String: Any] {
            let reply = try await E2EHTTP.send(.GET, (base ?? server.baseURL) + path, headers: [("Authorization", "Bearer \(token)")])
            #expect(reply.status == 200, "\(path): \(reply.body)")
            return try E2EHTTP.object(reply.body)
        }
        func sandbox(_ arguments: [String]) throws -> [String: Any] {
            let output = try GridlinkProcess.command(["sandbox"] + arguments, environment: exports)
            return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(arguments): \(output)")
        }

        // README: the demo car in the list, and as the demo's printed curl command shows it.
        #expect((try await api("/vehicles")["data"] as? [[String: Any]])?.count == 1)
        let demoVehicle = try #require(server.log.range(of: #"/vehicles/[0-9a-f-]{36}"#, options: .regularExpression).map { String(server.log[$0]) })
        #expect(try await api(demoVehicle)["vendor"] as? String == "KIA")
        #expect(try await api("/")["openapi"] as? String == server.baseURL + "/openapi.json")

        // SANDBOX.md: events to the laptop, commands take effect at once, then a car and a charger at one home, linked headlessly.
        let listen = try await BackgroundCommand(["sandbox", "listen", "--forward-to", hook], environment: exports, waitingFor: "Ready!")
        defer { listen.stop() }
        _ = try sandbox(["clock", "timing", "ideal"])
        let car = try sandbox(["link", "--user", "alice", "--vendor", "KIA", "--device", "vehicle:EV6", "--site", "alice-home"])
        let charger = try sandbox(["link", "--user", "alice", "--vendor", "EASEE", "--device", "charger", "--site", "alice-home"])
        let carDevice = try #require((car["devices"] as? [[String: Any]])?.first)
        let chargerDevice = try #require((charger["devices"] as? [[String: Any]])?.first)
        let carId = try #require(carDevice["deviceId"] as? String)
        let vehicleId = try #require(carDevice["assetId"] as? String)
        #expect((car["assetIds"] as? [String: [String]])?["vehicle"] == [vehicleId])
        _ = try sandbox(["devices", "set", carId, "batteryLevel=30"])

        // Plugging in starts charging (autoStart); an hour later the API shows the car charging.
        _ = try sandbox(["devices", "plug", carId, "--charger", try #require(chargerDevice["deviceId"] as? String)])
        _ = try sandbox(["clock", "advance", "1h"])
        let shown = try sandbox(["devices", "show", carId])
        #expect(shown["assetIds"] as? [String] == [vehicleId])
        let state = try #require(shown["state"] as? [String: Any])
        #expect(state["isCharging"] as? Bool == true)
        #expect((state["batteryLevel"] as? Double ?? 0) > 40)
        var chargeState: [String: Any] = [:]
        for _ in 0..<100 where chargeState["isCharging"] as? Bool != true {
            chargeState = try await api("/vehicles/\(vehicleId)")["chargeState"] as? [String: Any] ?? [:]
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(chargeState["isCharging"] as? Bool == true, "\(chargeState)")
        #expect(chargeState["powerDeliveryState"] as? String == "PLUGGED_IN:CHARGING")
        // The same change reached the laptop as a webhook batch, forwarded by listen.
        func chargingEvent() -> Bool {
            laptop.events.contains { event in
                guard event["event"] as? String == "user:vehicle:updated", let vehicle = event["vehicle"] as? [String: Any] else { return false }
                return vehicle["id"] as? String == vehicleId && (vehicle["chargeState"] as? [String: Any])?["isCharging"] as? Bool == true
            }
        }
        #expect(try await BackgroundCommand.wait(seconds: 10, until: chargingEvent), "listen printed: \(listen.log)")
        let users = try #require(try await api("/users")["data"] as? [[String: Any]])
        let alice = try #require(users.first { $0["id"] as? String == "alice" })
        #expect((alice["scopes"] as? [String])?.contains("vehicle:control:charging") == true)
        #expect((alice["scopes"] as? [String])?.contains("charger:read:data") == true)
        server.stop()

        // --demo again: it says so and creates nothing.
        let again = try await GridlinkProcess(database: database, extraArguments: ["--demo", "--seed", "42"])
        for _ in 0..<100 where !again.log.contains("created nothing") { try await Task.sleep(for: .milliseconds(50)) }
        #expect(again.log.contains("already has API clients, so the demo created nothing"), "\(again.log)")
        #expect(again.log.contains("Sandbox world restored"))
        #expect((try await api("/users", at: again.baseURL)["data"] as? [[String: Any]])?.count == 2)
        let clients = try GridlinkProcess.command(["clients", "list", "--database", database])
        again.stop()
        #expect(clients.split(separator: "\n").count == 1, "\(clients)")

        // Another seed for the existing world is refused with how to start over.
        do {
            let refused = try await GridlinkProcess(database: database, extraArguments: ["--seed", "99"])
            refused.stop()
            Issue.record("a server started with another --seed")
        } catch let failure as E2EFailure {
            #expect(failure.description.contains("--seed 99 (the world's seed is 42)"), "\(failure)")
            #expect(failure.description.contains("gridlink sandbox reset --keep-clients"))
        }

        // Starting over keeps the client: a new world with the new seed, no users.
        _ = try GridlinkProcess.command(["sandbox", "reset", "--keep-clients", "--database", database])
        let fresh = try await GridlinkProcess(database: database, extraArguments: ["--seed", "99"])
        defer { fresh.stop() }
        #expect(fresh.log.contains("New sandbox world: seed 99"), "\(fresh.log)")
        let basic = "Basic " + Data("\(exports["GRIDLINK_CLIENT_ID"] ?? ""):\(exports["GRIDLINK_CLIENT_SECRET"] ?? "")".utf8).base64EncodedString()
        let reply = try await E2EHTTP.send(.POST, fresh.baseURL + "/oauth2/token",
            headers: [("Authorization", basic), ("Content-Type", "application/x-www-form-urlencoded")], body: "grant_type=client_credentials")
        let freshToken = try #require((try E2EHTTP.object(reply.body))["access_token"] as? String)
        let list = try await E2EHTTP.send(.GET, fresh.baseURL + "/users", headers: [("Authorization", "Bearer \(freshToken)")])
        #expect(list.body.contains("\"data\":[]"), "\(list.body)")
    }
}
