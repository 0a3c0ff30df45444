import Foundation
import GridlinkCore
@testable import GridlinkServer
import GridlinkSandbox
import GridlinkStore
import Testing

@Suite("Sandbox control API")
struct SandboxAPITests {
    private func string(_ value: JSONValue?) -> String {
        if case .string(let text) = value { return text }
        return ""
    }

    private func number(_ value: JSONValue?) -> Double {
        if case .number(let number) = value { return number }
        return .nan
    }

    @Test("car and charger: plug in, start charging through the vendor, advance two hours, read the state")
    func chargeForTwoHours() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let paused = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true, "timing": "ideal"])
            #expect(paused.status == 200)
            let car = try await server.send(.post, "/sandbox/accounts", token: token, json: [
                "vendor": "TESLA", "siteId": "home", "devices": [["type": "vehicle", "model": "Model 3 Long Range"]],
            ])
            #expect(car.status == 200)
            let username = string(car.json?["username"])
            #expect(username.hasPrefix("tesla-"))
            let charger = try await server.send(.post, "/sandbox/accounts", token: token, json: [
                "vendor": "ZAPTEC", "username": "owner@example.com", "password": "secret", "siteId": "home", "devices": [["type": "charger"]],
            ])
            guard case .array(let carIds) = car.json?["deviceIds"], case .array(let chargerIds) = charger.json?["deviceIds"] else {
                throw TestFailure("no device ids")
            }
            let carId = string(carIds.first)
            let chargerId = string(chargerIds.first)
            #expect(try await server.send(.patch, "/sandbox/devices/\(carId)", token: token, json: ["batteryLevel": 30, "chargeLimit": 90]).status == 200)
            _ = try await server.send(.post, "/sandbox/devices/\(carId)/commands", token: token, json: ["command": "stopCharging"])
            let plugged = try await server.send(.post, "/sandbox/devices/\(carId)/plug", token: token, json: ["chargerId": .string(chargerId)])
            #expect(plugged.json?["state"]?["powerDeliveryState"] == "PLUGGED_IN:STOPPED")
            let started = try await server.send(.post, "/sandbox/devices/\(carId)/commands", token: token, json: ["command": "startCharging"])
            #expect(started.json?["result"] == "ACCEPTED")

            let advanced = try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 7200])
            #expect(advanced.status == 200)
            let state = try await server.send(.get, "/sandbox/devices/\(carId)", token: token).json?["state"]
            // Zaptec Go: 32 A × 3 phases = 22 kW, capped by the Model 3's 11 kW AC: 22 kWh into 75 kWh = +29.3 points.
            #expect(abs(number(state?["batteryLevel"]) - (30 + 22.0 / 75 * 100)) < 0.1)
            #expect(state?["powerDeliveryState"] == "PLUGGED_IN:CHARGING")
            #expect(number(state?["chargeRate"]) == 11)
            let chargerState = try await server.send(.get, "/sandbox/devices/\(chargerId)", token: token).json?["state"]
            #expect(chargerState?["pluggedInVehicleId"] == .string(carId))
            #expect(abs(number(chargerState?["lifetimeEnergy"]) - 22) < 0.01)
        }
    }

    @Test("the world survives a restart: accounts, devices, state and the clock come back")
    func persistence() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gridlink-sandbox-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let clock = ManualClock()
        let saved = TokenBox()
        try await TestServer.run(clock: clock, databasePath: path) { server in
            let (clientId, token) = try await server.clientToken()
            await saved.set(token)
            _ = clientId
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
            let account = try await server.send(.post, "/sandbox/accounts", token: token, json: ["vendor": "DAIKIN", "devices": [["type": "hvac"]]])
            guard case .array(let ids) = account.json?["deviceIds"] else { throw TestFailure("no devices") }
            _ = try await server.send(.patch, "/sandbox/devices/\(string(ids.first))", token: token, json: ["currentTemperature": 12, "outdoorTemperature": 12])
            _ = try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 3600])
        }
        try await TestServer.run(clock: clock, databasePath: path) { server in
            let token = try #require(await saved.token)
            let devices = try await server.send(.get, "/sandbox/devices", token: token)
            guard case .array(let list) = devices.json?["data"], let hvac = list.first else { throw TestFailure("world not restored: \(devices.body)") }
            // Heating at 3 °C/h from 12 °C while drifting back toward 12 °C outdoors (30 h time constant): 12 + 90 (1 - e^(-1/30)) = 14.95 °C.
            #expect(abs(number(hvac["state"]?["currentTemperature"]) - 14.95) < 0.005)
            let clockState = try await server.send(.get, "/sandbox/clock", token: token)
            #expect(clockState.json?["isPaused"] == true)
            #expect(string(clockState.json?["time"]) == JSONCoding.timestamp(clock.now().addingTimeInterval(3600)))
        }
    }

    @Test("production clients do not see the sandbox; other clients' devices are 404")
    func access() async throws {
        try await TestServer.run { server in
            let (_, production) = try await server.clientToken(environment: .production)
            let reply = try await server.send(.get, "/sandbox/accounts", token: production)
            #expect(reply.status == 404)
            #expect(reply.isProblem)
            let (_, owner) = try await server.clientToken()
            let (_, other) = try await server.clientToken()
            let account = try await server.send(.post, "/sandbox/accounts", token: owner, json: ["vendor": "EASEE", "devices": [["type": "charger"]]])
            guard case .array(let ids) = account.json?["deviceIds"] else { throw TestFailure("no devices") }
            #expect(try await server.send(.get, "/sandbox/devices/\(string(ids.first))", token: other).status == 404)
            #expect(try await server.send(.get, "/sandbox/accounts/\(string(account.json?["id"]))", token: other).status == 404)
            #expect(try await server.send(.get, "/sandbox/devices", token: other).json?["data"] == [])
            // The sandbox API is Gridlink's own: its lists keep the paginated shape under every Enode-Version.
            let legacy = try await server.send(.get, "/sandbox/devices", token: owner, headers: [.enodeVersion: "2023-02-01"])
            #expect(legacy.json?["pagination"] != nil)
        }
    }

    @Test("malformed JSON, wrong types, missing fields and unknown enum values are 400 problems naming the field")
    func jsonValidation() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let cases: [(String, String)] = [
                ("{\"vendor\": ", "not valid JSON"),
                ("{}", "\"vendor\" is required"),
                ("{\"vendor\": 7}", "\"vendor\" must be a string"),
                ("{\"vendor\": \"TESLA\", \"devices\": [{\"type\": \"spaceship\"}]}", "\"devices[0].type\" must be one of [vehicle, charger, hvac, inverter, battery, meter]"),
                ("{\"vendor\": \"TESLA\", \"devices\": [{}]}", "\"devices[0].type\" is required"),
                ("{\"vendor\": \"TESLA\", \"devices\": {}}", "\"devices\" must be an array"),
                ("[]", "must be a JSON object"),
                ("", "body is required"),
                ("{\"vendor\": \"ACME\"}", "\"vendor\" must be a known vendor"),
                ("{\"vendor\": \"EASEE\", \"devices\": [{\"type\": \"vehicle\"}]}", "EASEE has no vehicle devices"),
            ]
            for (body, expected) in cases {
                let reply = try await server.send(.post, "/sandbox/accounts", token: token, headers: [.contentType: "application/json"], body: body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply.isProblem)
                #expect(reply.detail.contains(expected), "\(body): \(reply.detail)")
            }
            let wrongType = try await server.send(.post, "/sandbox/accounts", token: token, headers: [.contentType: "text/plain"], body: "{\"vendor\":\"TESLA\"}")
            #expect(wrongType.status == 415)
            // Nothing was created by any of the rejected requests.
            #expect(try await server.send(.get, "/sandbox/accounts", token: token).json?["data"] == [])
        }
    }

    @Test("faults through the API: a rate limit fails the next command, then commands succeed again")
    func faults() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let account = try await server.send(.post, "/sandbox/accounts", token: token, json: ["vendor": "EASEE", "devices": [["type": "charger"]]])
            guard case .array(let ids) = account.json?["deviceIds"] else { throw TestFailure("no devices") }
            let id = string(ids.first)
            let fault = try await server.send(.post, "/sandbox/faults", token: token, json: ["kind": "rateLimit", "scope": ["deviceId": .string(id)], "count": 1])
            #expect(fault.status == 200)
            #expect(fault.json?["remaining"] == 1)
            let refused = try await server.send(.post, "/sandbox/devices/\(id)/commands", token: token, json: ["command": "stopCharging"])
            #expect(refused.json?["result"] == "FAILED")
            #expect(refused.json?["failure"]?["type"] == "rateLimited")
            let accepted = try await server.send(.post, "/sandbox/devices/\(id)/commands", token: token, json: ["command": "stopCharging"])
            #expect(accepted.json?["result"] == "ACCEPTED")
            let listed = try await server.send(.get, "/sandbox/faults", token: token)
            #expect(listed.json?["data"]?.description.contains("\"isActive\":false") == true)
            #expect(try await server.send(.delete, "/sandbox/faults/\(string(fault.json?["id"]))", token: token).status == 204)
            #expect(try await server.send(.post, "/sandbox/reset", token: token).status == 204)
            #expect(try await server.send(.get, "/sandbox/devices", token: token).json?["data"] == [])
        }
    }
}
