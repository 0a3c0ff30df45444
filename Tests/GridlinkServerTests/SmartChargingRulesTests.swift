import Foundation
import GridlinkCore
@testable import GridlinkServer
import HTTPTypes
import Testing

@Suite("Smart charging rules, overrides and versions")
struct SmartChargingRulesTests {
    typealias World = SmartChargingTests.World

    static func put(_ server: TestServer, _ world: World, _ body: JSONValue, version: String? = nil) async throws -> TestReply {
        try await server.send(.put, "/vehicles/\(world.vehicleId)/smart-charging-policy", token: world.token,
                              headers: version.map { [HTTPField.Name("Enode-Version")!: $0] } ?? [:], json: body)
    }

    static func get(_ server: TestServer, _ world: World, _ path: String, version: String) async throws -> TestReply {
        try await server.send(.get, path, token: world.token, headers: [HTTPField.Name("Enode-Version")!: version], body: nil)
    }

    @Test("policy updates are validated field by field and enabling needs a deadline, a minimum within the limit, a capable vehicle and prices")
    func policyValidation() async throws {
        try await TestServer.run(clock: ManualClock(start: SmartChargingTests.evening)) { server in
            let world = try await SmartChargingTests.world(server)
            for (body, field) in [(["deadline": "25:00"], "deadline"), (["deadline": 7], "deadline"), (["minimumChargeLimit": 120], "minimumChargeLimit"),
                                  (["isEnabled": "yes"], "isEnabled"), (["isEnabled": true], "deadline")] as [(JSONValue, String)] {
                let reply = try await Self.put(server, world, body)
                #expect(reply.status == 400 && reply.detail.contains(field), "\(body): \(reply.body)")
            }
            let aboveLimit = try await Self.put(server, world, ["isEnabled": true, "deadline": "07:00", "minimumChargeLimit": 90])
            #expect(aboveLimit.status == 400 && aboveLimit.detail.contains("charge limit"), "\(aboveLimit.body)")
            // Nothing changed.
            let policy = try await server.send(.get, "/vehicles/\(world.vehicleId)/smart-charging-policy", token: world.token).json
            #expect(policy == ["isEnabled": false, "deadline": nil, "minimumChargeLimit": 0])

            _ = try await server.send(.put, "/sandbox/devices/\(world.deviceId)/capabilities/smartCharging", token: world.token, json: ["isCapable": false])
            try await server.advance(token: world.token, seconds: 600, step: 300)
            let incapable = try await Self.put(server, world, ["isEnabled": true, "deadline": "07:00"])
            #expect(incapable.status == 400 && incapable.detail.contains("capable"), "\(incapable.body)")
            // Before 2023-04-01 the capability was a consideration, not a 400: smart charging is on and UNKNOWN.
            let older = try await Self.put(server, world, ["isEnabled": true, "deadline": "07:00"], version: "2023-03-01")
            #expect(older.status == 200, "\(older.body)")
            let status = try await Self.get(server, world, "/vehicles/\(world.vehicleId)/smart-charging-status", version: "2023-03-01").json
            #expect(status?["state"] == "UNKNOWN", "\(status ?? .null)")
        }
    }

    @Test("a user without a priced location cannot enable smart charging")
    func noPrices() async throws {
        try await TestServer.run(clock: ManualClock(start: SmartChargingTests.evening)) { server in
            let (_, token) = try await server.clientToken()
            let (vehicleId, _) = try await server.linkSandbox(token: token, user: "tom", vendor: "KIA", type: "vehicle", segment: "vehicles")
            let reply = try await server.send(.put, "/vehicles/\(vehicleId)/smart-charging-policy", token: token, json: ["isEnabled": true, "deadline": "07:00"])
            #expect(reply.status == 400 && reply.detail.contains("price"), "\(reply.body)")
        }
    }

    @Test("smart charging and schedules exclude each other; an override suspends the plan and ends on DELETE (404 after)")
    func exclusivityAndOverride() async throws {
        try await TestServer.run(clock: ManualClock(start: SmartChargingTests.evening)) { server in
            let world = try await SmartChargingTests.world(server)
            let schedule = try await server.send(.post, "/users/eva/schedules", token: world.token, json: [
                "targetId": .string(world.vehicleId), "targetType": "vehicle", "defaultShouldCharge": true, "rules": [],
            ]).json?["id"]?.string ?? ""
            #expect(try await Self.put(server, world, ["isEnabled": true, "deadline": "07:00"]).status == 200)
            #expect(try await server.send(.get, "/schedules/\(schedule)", token: world.token).json?["isEnabled"] == false)
            _ = try await server.send(.put, "/schedules/\(schedule)", token: world.token, json: ["isEnabled": true])
            #expect(try await server.send(.get, "/vehicles/\(world.vehicleId)/smart-charging-policy", token: world.token).json?["isEnabled"] == false)
            _ = try await server.send(.put, "/schedules/\(schedule)", token: world.token, json: ["isEnabled": false])
            #expect(try await Self.put(server, world, ["isEnabled": true]).status == 200)

            _ = try await server.send(.post, "/sandbox/devices/\(world.deviceId)/plug", token: world.token, json: [:])
            try await server.advance(token: world.token, seconds: 1800, step: 300)
            #expect(try await SmartChargingTests.status(server, world)["state"] == "PLAN:EXECUTING:STOPPED")
            let override = try await server.send(.post, "/vehicles/\(world.vehicleId)/smart-override", token: world.token, json: [:])
            #expect(override.status == 200 && override.json?["targetType"] == "vehicle" && override.json?["endedAt"] == .null, "\(override.body)")
            try await server.advance(token: world.token, seconds: 900, step: 300)
            var status = try await SmartChargingTests.status(server, world)
            #expect(status["state"] == "PLAN:EXECUTING:OVERRIDDEN" && status["smartOverride"]?["vendorActionId"] == override.json?["vendorActionId"], "\(status)")
            let vehicle = try await server.send(.get, "/vehicles/\(world.vehicleId)", token: world.token).json
            #expect(vehicle?["chargeState"]?["isCharging"] == true)
            let ended = try await server.send(.delete, "/vehicles/\(world.vehicleId)/smart-override", token: world.token, body: nil)
            #expect(ended.status == 200 && ended.json?["endedAt"]?.string != nil, "\(ended.body)")
            #expect(try await server.send(.delete, "/vehicles/\(world.vehicleId)/smart-override", token: world.token, body: nil).status == 404)
            try await server.advance(token: world.token, seconds: 900, step: 300)
            status = try await SmartChargingTests.status(server, world)
            #expect(status["smartOverride"] == .null && status["state"]?.string?.hasPrefix("PLAN:EXECUTING:STOP") == true, "\(status)")
        }
    }

    @Test("older versions: considerations and FULLY_CHARGED before 2023-04-01, plans route before 2024-10-01, external-start before 2023-03-01")
    func olderShapes() async throws {
        try await TestServer.run(clock: ManualClock(start: SmartChargingTests.evening)) { server in
            let world = try await SmartChargingTests.world(server)
            #expect(try await Self.put(server, world, ["isEnabled": true, "deadline": "07:00"]).status == 200)
            let path = "/vehicles/\(world.vehicleId)/smart-charging-status"
            let current = try await Self.get(server, world, path, version: "2023-04-01").json?["consideration"]
            #expect(current?["atChargingLocation"] == true && current?["singleUser"] == nil, "\(current ?? .null)")
            let old = try await Self.get(server, world, path, version: "2023-03-01").json?["consideration"]
            #expect(old?["recentlyAtChargingLocation"] == true && old?["atChargingLocation"] == nil && old?["singleUser"] == true, "\(old ?? .null)")

            _ = try await server.send(.post, "/sandbox/devices/\(world.deviceId)/plug", token: world.token, json: [:])
            try await server.advance(token: world.token, seconds: 1800, step: 300)
            let planId = try await SmartChargingTests.status(server, world)["plan"]?["id"]?.string ?? ""
            let plan = try await Self.get(server, world, "/vehicles/\(world.vehicleId)/smart-charging-plans/latest", version: "2023-08-01")
            #expect(plan.status == 200 && plan.json?["id"] == .string(planId) && plan.json?["chargingLocationId"] == .string(world.homeId), "\(plan.body)")
            #expect(plan.json?["externalStart"] == .null)
            #expect(try await Self.get(server, world, "/vehicles/\(world.vehicleId)/smart-charging-plans/\(planId)", version: "2023-08-01").status == 200)
            #expect(try await Self.get(server, world, "/vehicles/\(world.vehicleId)/smart-charging-plans/latest", version: "2024-10-01").status == 404)
            #expect(try await Self.get(server, world, "/vehicles/\(world.vehicleId)/smart-charging-plans/nope", version: "2023-08-01").status == 404)

            let external = try await server.send(.post, "/vehicles/\(world.vehicleId)/external-start", token: world.token,
                                                 headers: [HTTPField.Name("Enode-Version")!: "2023-02-01", HTTPField.Name("Enode-User-Id")!: "eva"], json: [:])
            #expect(external.status == 200, "\(external.body)")
            let gone = try await server.send(.post, "/vehicles/\(world.vehicleId)/external-start", token: world.token, json: [:])
            #expect(gone.status == 404)

            // Charged to the limit and replugged: FULLY_CHARGED now, CONSIDERING with needsSignificantCharge false before 2023-04-01.
            _ = try await server.send(.patch, "/sandbox/devices/\(world.deviceId)", token: world.token, json: ["batteryLevel": 80])
            _ = try await server.send(.post, "/sandbox/devices/\(world.deviceId)/unplug", token: world.token, json: [:])
            try await server.advance(token: world.token, seconds: 900, step: 300)
            _ = try await server.send(.post, "/sandbox/devices/\(world.deviceId)/plug", token: world.token, json: [:])
            try await server.advance(token: world.token, seconds: 900, step: 300)
            #expect(try await SmartChargingTests.status(server, world)["state"] == "FULLY_CHARGED")
            let before = try await Self.get(server, world, path, version: "2023-03-01").json
            #expect(before?["state"] == "CONSIDERING" && before?["consideration"]?["needsSignificantCharge"] == false, "\(before ?? .null)")
        }
    }

    @Test("a charger smart override makes the schedule INACTIVE:OVERRIDDEN and charges until ended")
    func chargerOverride() async throws {
        try await TestServer.run(clock: ManualClock(start: SmartChargingTests.evening)) { server in
            let (_, token) = try await server.clientToken()
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
            let (chargerId, deviceId) = try await server.linkSandbox(token: token, user: "cy", vendor: "EASEE", type: "charger", segment: "chargers")
            _ = try await server.send(.post, "/sandbox/devices/\(deviceId)/plug", token: token, json: [:])
            let schedule = try await server.send(.post, "/users/cy/schedules", token: token, json: [
                "targetId": .string(chargerId), "targetType": "charger", "defaultShouldCharge": false, "rules": [],
            ]).json?["id"]?.string ?? ""
            try await server.advance(token: token, seconds: 1200, step: 300)
            #expect(try await server.send(.get, "/schedules/\(schedule)/status", token: token).json?["isCharging"] == false)
            let override = try await server.send(.post, "/chargers/\(chargerId)/smart-override", token: token, json: [:])
            #expect(override.status == 200 && override.json?["targetType"] == "charger", "\(override.body)")
            try await server.advance(token: token, seconds: 1200, step: 300)
            let status = try await server.send(.get, "/schedules/\(schedule)/status", token: token).json ?? .null
            #expect(status["state"] == "INACTIVE:OVERRIDDEN" && status["isCharging"] == true && status["smartOverride"]?["targetId"] == .string(chargerId),
                    "\(status)")
            #expect(try await server.send(.delete, "/chargers/\(chargerId)/smart-override", token: token, body: nil).status == 200)
            try await server.advance(token: token, seconds: 1200, step: 300)
            let after = try await server.send(.get, "/schedules/\(schedule)/status", token: token).json ?? .null
            #expect(after["state"] == "ALIGNED" && after["isCharging"] == false && after["smartOverride"] == .null, "\(after)")
        }
    }

    @Test("a smart override ends by itself once the car is full and stops charging")
    func overrideEndsWhenFull() async throws {
        try await TestServer.run(clock: ManualClock(start: SmartChargingTests.evening)) { server in
            let world = try await SmartChargingTests.world(server)
            #expect(try await Self.put(server, world, ["isEnabled": true, "deadline": "07:00"]).status == 200)
            _ = try await server.send(.post, "/sandbox/devices/\(world.deviceId)/plug", token: world.token, json: [:])
            try await server.advance(token: world.token, seconds: 1800, step: 300)
            #expect(try await server.send(.post, "/vehicles/\(world.vehicleId)/smart-override", token: world.token, json: [:]).status == 200)
            try await server.advance(token: world.token, seconds: 900, step: 300)
            #expect(try await SmartChargingTests.status(server, world)["smartOverride"] != .null)
            _ = try await server.send(.patch, "/sandbox/devices/\(world.deviceId)", token: world.token, json: ["batteryLevel": 79.8])
            try await server.advance(token: world.token, seconds: 1800, step: 300)
            let status = try await SmartChargingTests.status(server, world)
            #expect(status["smartOverride"] == .null, "\(status)")
            #expect(try await server.send(.delete, "/vehicles/\(world.vehicleId)/smart-override", token: world.token, body: nil).status == 404)
        }
    }
}
