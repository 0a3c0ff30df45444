import Foundation
import GridlinkCore
@testable import GridlinkServer
import Testing

@Suite("Schedules")
struct ScheduleTests {
    /// 2026-01-01T00:00:00Z, 01:00 in Oslo (UTC+1 in winter).
    private static let start = Date(timeIntervalSince1970: 1_767_225_600)

    private func status(_ server: TestServer, _ token: String, _ id: String) async throws -> JSONValue {
        try await server.send(.get, "/schedules/\(id)/status", token: token).json ?? .null
    }

    @Test("a charge schedule starts and stops a vehicle at its location at the rule's Oslo times on two days; manual commands get 422")
    func chargeScheduleDrivesVehicle() async throws {
        try await TestServer.run(clock: ManualClock(start: Self.start)) { server in
            let (clientId, token) = try await server.clientToken()
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
            let (vehicleId, deviceId) = try await server.linkSandbox(token: token, user: "sol", vendor: "KIA", type: "vehicle", segment: "vehicles")
            _ = try await server.send(.patch, "/sandbox/devices/\(deviceId)", token: token, json: ["chargingEnabled": false, "batteryLevel": 10, "chargeLimit": 100])
            _ = try await server.send(.post, "/sandbox/devices/\(deviceId)/plug", token: token, json: [:])
            let position = try await server.send(.get, "/vehicles/\(vehicleId)", token: token).json?["location"] ?? .null
            let home = try await server.send(.post, "/users/sol/locations", token: token, json: [
                "name": "Home", "latitude": position["latitude"] ?? 0, "longitude": position["longitude"] ?? 0, "timezoneName": "Europe/Oslo",
            ]).json?["id"]?.string ?? ""

            let created = try await server.send(.post, "/users/sol/schedules", token: token, json: [
                "targetId": .string(vehicleId), "targetType": "vehicle", "locationId": .string(home), "defaultShouldCharge": false,
                "rules": [["hourMinute": ["from": "02:00", "to": "04:00"], "shouldCharge": true]],
            ])
            #expect(created.status == 200, "\(created.body)")
            let id = created.json?["id"]?.string ?? ""
            try await server.advance(token: token, seconds: 600, step: 300)

            var current = try await status(server, token, id)
            #expect(current["state"] == "ALIGNED" && current["isCharging"] == false && current["isChargingExpected"] == false, "\(current)")
            #expect(current["isChargingExpectedParts"] == ["needsCharge": true, "isPluggedIn": true, "shouldCharge": false])
            #expect(current["upcomingTransitions"] == [
                ["at": "2026-01-01T01:00:00.000Z", "shouldCharge": true], ["at": "2026-01-01T03:00:00.000Z", "shouldCharge": false],
            ])
            let manual = try await server.send(.post, "/vehicles/\(vehicleId)/charging", token: token, json: ["action": "START"])
            #expect(manual.status == 422 && manual.detail.contains("schedule"), "\(manual.body)")

            // 02:00–04:00 Oslo is 01:00–03:00 UTC on both days.
            for day in 0..<2 {
                let dayStart = Self.start.addingTimeInterval(Double(day) * 86_400)
                try await server.advance(token: token, seconds: Int(dayStart.addingTimeInterval(3_600 + 1_200).timeIntervalSince(server.dependencies.clock.now())), step: 300)
                current = try await status(server, token, id)
                #expect(current["isCharging"] == true && current["state"] == "ALIGNED", "day \(day) 02:20: \(current)")
                try await server.advance(token: token, seconds: Int(dayStart.addingTimeInterval(3 * 3_600 + 1_200).timeIntervalSince(server.dependencies.clock.now())), step: 300)
                current = try await status(server, token, id)
                #expect(current["isCharging"] == false && current["state"] == "ALIGNED", "day \(day) 04:20: \(current)")
            }
            // The user starts charging in the vendor's app outside the window: the schedule stops it again.
            func stops() async throws -> Int {
                try await server.store.read { try await $0.outboxEvents(clientId: clientId) }
                    .filter { $0.name == "user:vendor-action:updated" && $0.payload.contains("\"kind\":\"STOP\"") }.count
            }
            let stopsBefore = try await stops()
            _ = try await server.send(.post, "/sandbox/devices/\(deviceId)/commands", token: token, json: ["command": "startCharging"])
            try await server.advance(token: token, seconds: 1_500, step: 60)
            #expect(try await stops() > stopsBefore)
            current = try await status(server, token, id)
            #expect(current["isCharging"] == false && current["state"] == "ALIGNED", "after the vendor-app start: \(current)")

            let events = try await server.store.read { try await $0.outboxEvents(clientId: clientId) }.filter { $0.name == "user:schedule:execution-updated" }
            #expect(events.count >= 8, "\(events.count) execution events")
            #expect(events.contains { $0.payload.contains("\"isCharging\"") && $0.payload.contains("\"schedule\"") })

            // Disabled, the schedule lets go: manual commands work again.
            _ = try await server.send(.put, "/schedules/\(id)", token: token, json: ["isEnabled": false])
            #expect(try await status(server, token, id)["state"] == "INACTIVE:DISABLED")
            #expect(try await server.send(.post, "/vehicles/\(vehicleId)/charging", token: token, json: ["action": "START"]).status == 200)
        }
    }

    @Test("away from the schedule's location the schedule is INACTIVE:AWAY and does not command the vehicle")
    func awayFromLocation() async throws {
        try await TestServer.run(clock: ManualClock(start: Self.start)) { server in
            let (_, token) = try await server.clientToken()
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
            let (vehicleId, deviceId) = try await server.linkSandbox(token: token, user: "ada", vendor: "KIA", type: "vehicle", segment: "vehicles")
            _ = try await server.send(.post, "/sandbox/devices/\(deviceId)/plug", token: token, json: [:])
            let elsewhere = try await server.send(.post, "/users/ada/locations", token: token, json: ["name": "Work", "latitude": 0, "longitude": 0])
            let created = try await server.send(.post, "/users/ada/schedules", token: token, json: [
                "targetId": .string(vehicleId), "targetType": "vehicle", "locationId": elsewhere.json?["id"] ?? .null,
                "defaultShouldCharge": false, "rules": [],
            ])
            try await server.advance(token: token, seconds: 300, step: 300)
            let id = created.json?["id"]?.string ?? ""
            #expect(try await status(server, token, id)["state"] == "INACTIVE:AWAY")
            #expect(try await server.send(.post, "/vehicles/\(vehicleId)/charging", token: token, json: ["action": "STOP"]).status != 422)

            // Deleting the location clears the schedule's reference: it then applies anywhere, here too.
            _ = try await server.send(.delete, "/locations/\(elsewhere.json?["id"]?.string ?? "")", token: token)
            #expect(try await server.send(.get, "/schedules/\(id)", token: token).json?["locationId"] == .null)
            try await server.advance(token: token, seconds: 60, step: 60)
            #expect(try await status(server, token, id)["state"] != "INACTIVE:AWAY")
        }
    }

    @Test("a temperature schedule moves an HVAC's setpoint at the rule's time and the simulated room follows")
    func temperatureSchedule() async throws {
        try await TestServer.run(clock: ManualClock(start: Self.start)) { server in
            let (_, token) = try await server.clientToken()
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
            let (hvacId, _) = try await server.linkSandbox(token: token, user: "tor", vendor: "DAIKIN", type: "hvac", segment: "hvacs")
            let created = try await server.send(.post, "/users/tor/schedules", token: token, json: [
                "targetId": .string(hvacId), "targetType": "hvac",
                "defaultTargetState": ["holdType": "PERMANENT", "mode": "HEAT", "heatSetpoint": 17],
                "rules": [["hourMinute": ["from": "01:00", "to": "23:00"], "targetState": ["holdType": "PERMANENT", "mode": "HEAT", "heatSetpoint": 24]]],
            ])
            #expect(created.status == 200, "\(created.body)")
            let id = created.json?["id"]?.string ?? ""
            try await server.advance(token: token, seconds: 1_800, step: 300)
            var current = try await status(server, token, id)
            #expect(current["scheduleType"] == "TEMPERATURE" && current["state"] == "ALIGNED", "\(current)")
            #expect(current["current"] == ["holdType": "PERMANENT", "mode": "HEAT", "heatSetpoint": 17])
            let cool = try await server.send(.get, "/hvacs/\(hvacId)", token: token).json?["temperatureState"]?["currentTemperature"]?.number ?? 0

            try await server.advance(token: token, seconds: 3 * 3_600, step: 300)
            current = try await status(server, token, id)
            #expect(current["expected"] == ["holdType": "PERMANENT", "mode": "HEAT", "heatSetpoint": 24] && current["state"] == "ALIGNED", "\(current)")
            let hvac = try await server.send(.get, "/hvacs/\(hvacId)", token: token).json
            #expect(hvac?["thermostatState"]?["heatSetpoint"] == 24)
            let warm = hvac?["temperatureState"]?["currentTemperature"]?.number ?? 0
            #expect(warm > cool + 1, "room went from \(cool) to \(warm)")
            #expect(try await server.send(.post, "/hvacs/\(hvacId)/follow-schedule", token: token, json: [:]).status == 422)
        }
    }

    @Test("schedule bodies are validated field by field and targets must be the user's")
    func validation() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let (vehicleId, _) = try await server.linkSandbox(token: token, user: "val", vendor: "KIA", type: "vehicle", segment: "vehicles")
            let good: JSONValue = ["targetId": .string(vehicleId), "targetType": "vehicle", "defaultShouldCharge": true, "rules": []]
            func body(_ change: (inout JSONValue) -> Void) -> JSONValue { var copy = good; change(&copy); return copy }
            for (payload, message) in [
                (body { $0["targetType"] = "toaster" }, "\"targetType\" must be one of"),
                (body { $0["defaultShouldCharge"] = nil }, "\"defaultShouldCharge\" is required"),
                (body { $0["rules"] = [["hourMinute": ["from": "25:00", "to": "03:00"], "shouldCharge": true]] }, "\"rules[0].hourMinute.from\" must be a clock time"),
                (body { $0["rules"] = [["weekdays": [7], "shouldCharge": true]] }, "\"rules[0].weekdays\""),
                (body { $0["rules"] = [["fromTimestamp": "yesterday", "shouldCharge": true]] }, "\"rules[0].fromTimestamp\""),
                (body { $0["rules"] = [["hourMinute": ["from": "01:00", "to": "03:00"]]] }, "\"rules[0].shouldCharge\" is required"),
                (body { $0["targetId"] = "someone-elses" }, "\"targetId\" must be the id of one of the user's vehicles"),
                (body { $0["targetType"] = "hvac" }, "\"defaultTargetState\" is required"),
                (body { $0["locationId"] = "nowhere" }, "\"locationId\" must be the id of one of the user's locations"),
            ] {
                let reply = try await server.send(.post, "/users/val/schedules", token: token, json: payload)
                #expect(reply.status == 400 && reply.detail.contains(message), "\(payload): \(reply.body)")
            }
            #expect(try await server.send(.get, "/users/val/schedules", token: token).json?["data"]?.array?.isEmpty == true)
            let created = try await server.send(.post, "/users/val/schedules", token: token, json: good)
            let id = created.json?["id"]?.string ?? ""
            #expect(created.json?["locationId"] == .null && created.json?["isEnabled"] == true)
            let legacy = try await server.send(.get, "/schedules/\(id)", token: token, headers: [.enodeVersion: "2023-04-15"])
            #expect(legacy.json?["chargeableId"] == .string(vehicleId) && legacy.json?["chargingLocationId"] == .null && legacy.json?["locationId"] == nil)
            #expect(try await server.send(.get, "/schedules/\(id)/status", token: token, headers: [.enodeVersion: "2023-04-15"]).json?["externalStart"] == .null)
            let legacyCreate = try await server.send(.post, "/schedules", token: token, headers: [.enodeVersion: "2023-04-15", .enodeUserId: "val"], json: [
                "entityId": .string(vehicleId), "entityType": "vehicle", "chargingLocationId": .null, "defaultShouldCharge": false, "rules": []])
            #expect(legacyCreate.status == 200 && legacyCreate.json?["entityId"] == .string(vehicleId), "\(legacyCreate.body)")
            let legacyList = try await server.send(.get, "/schedules", token: token, headers: [.enodeVersion: "2023-04-15", .enodeUserId: "val"])
            #expect(legacyList.json?.array?.count == 2)
            #expect(try await server.send(.get, "/schedules", token: token).status == 404)
            #expect(try await server.send(.delete, "/schedules/\(id)", token: token).status == 204)
            #expect(try await server.send(.get, "/schedules/\(id)", token: token).status == 404)
        }
    }
}
