import Foundation
import GridlinkCore
@testable import GridlinkServer
import Testing

@Suite("Smart charging")
struct SmartChargingTests {
    /// 2026-01-01T17:00:00Z, 18:00 in Oslo.
    static let evening = Date(timeIntervalSince1970: 1_767_286_800)

    /// A linked KIA at 40 % (limit 80 %) parked, unplugged, at the user's Oslo-time home, with the hourly prices of
    /// `price(hour:)` uploaded for its area.
    struct World {
        let token: String
        let clientId: String
        let vehicleId: String
        let deviceId: String
        let homeId: String
    }

    static func world(_ server: TestServer, user: String = "eva") async throws -> World {
        let (clientId, token) = try await server.clientToken()
        _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
        let (vehicleId, deviceId) = try await server.linkSandbox(token: token, user: user, vendor: "KIA", type: "vehicle", segment: "vehicles")
        _ = try await server.send(.patch, "/sandbox/devices/\(deviceId)", token: token, json: ["batteryLevel": 40, "chargeLimit": 80])
        let position = try await server.send(.get, "/vehicles/\(vehicleId)", token: token).json?["location"] ?? .null
        let home = try await server.send(.post, "/users/\(user)/locations", token: token, json: [
            "name": "Home", "latitude": position["latitude"] ?? 0, "longitude": position["longitude"] ?? 0, "timezoneName": "Europe/Oslo",
        ]).json?["id"]?.string ?? ""
        let area = try await server.send(.get, "/sandbox/locations/\(home)/prices", token: token).json?["area"]?.string ?? ""
        let slots: [JSONValue] = (0..<24).map { hour in
            let start = evening.addingTimeInterval(Double(hour) * 3600)
            // Oslo 01:00–05:00 is 00:00–04:00 UTC: hours 7 to 10 after 17:00 UTC.
            let price = Self.price(hour: hour)
            return ["start": .string(Timestamp.format(start)), "end": .string(Timestamp.format(start.addingTimeInterval(3600))), "price": .number(price)]
        }
        let upload = try await server.send(.put, "/sandbox/prices/\(area)", token: token, json: ["prices": .array(slots)])
        #expect(upload.status == 200 || upload.status == 204, "\(upload.body)")
        return World(token: token, clientId: clientId, vehicleId: vehicleId, deviceId: deviceId, homeId: home)
    }

    /// The uploaded price of the hour starting `hour` hours after 17:00 UTC: rising through the evening, 0.3 from 01:00 to
    /// 05:00 Oslo time, 2.0 after.
    static func price(hour: Int) -> Double {
        switch hour {
        case 0..<7: 2.0 + 0.2 * Double(hour)
        case 7..<11: 0.3
        default: 2.0
        }
    }

    static func status(_ server: TestServer, _ world: World) async throws -> JSONValue {
        try await server.send(.get, "/vehicles/\(world.vehicleId)/smart-charging-status", token: world.token).json ?? .null
    }

    @Test("a car plugged in at 18:00 with a 07:00 deadline is planned into the cheap night hours, charged there and done before the deadline")
    func nightPlan() async throws {
        try await TestServer.run(clock: ManualClock(start: Self.evening)) { server in
            let world = try await Self.world(server)
            let policy = try await server.send(.put, "/vehicles/\(world.vehicleId)/smart-charging-policy", token: world.token,
                                               json: ["isEnabled": true, "deadline": "07:00"])
            #expect(policy.json == ["isEnabled": true, "deadline": "07:00", "minimumChargeLimit": 0], "\(policy.body)")
            var status = try await Self.status(server, world)
            #expect(status["state"] == "CONSIDERING" && status["consideration"]?["isPluggedIn"] == false, "\(status)")

            _ = try await server.send(.post, "/sandbox/devices/\(world.deviceId)/plug", token: world.token, json: [:])
            try await server.advance(token: world.token, seconds: 1800, step: 300)
            status = try await Self.status(server, world)
            let plan = status["plan"] ?? .null
            #expect(status["state"]?.string?.hasPrefix("PLAN:EXECUTING:STOPP") == true, "\(status)")
            let startAt = try #require(plan["startAt"]?.string.flatMap(Timestamp.parse))
            let finishAt = try #require(plan["estimatedFinishAt"]?.string.flatMap(Timestamp.parse))
            #expect(startAt >= Self.evening.addingTimeInterval(7 * 3600) && finishAt <= Self.evening.addingTimeInterval(11 * 3600), "\(plan)")
            #expect((plan["smartCost"]?.number ?? 99) < (plan["nonSmartCost"]?.number ?? 0), "\(plan)")
            let manual = try await server.send(.post, "/vehicles/\(world.vehicleId)/charging", token: world.token, json: ["action": "START"])
            #expect(manual.status == 422, "\(manual.body)")

            try await server.advance(token: world.token, seconds: 13 * 3600 - 1800, step: 300)
            status = try await Self.status(server, world)
            #expect(status["state"] == "PLAN:ENDED:FINISHED" && status["plan"]?["finalState"] == "PLAN:ENDED:FINISHED", "\(status)")
            // With the plan ended the car is the user's again: a manual command passes the ownership check (and meets
            // the ordinary precondition: a full car cannot start).
            let afterPlan = try await server.send(.post, "/vehicles/\(world.vehicleId)/charging", token: world.token, json: ["action": "START"])
            #expect(afterPlan.status == 400 && afterPlan.detail.contains("Precondition"), "\(afterPlan.body)")
            let vehicle = try await server.send(.get, "/vehicles/\(world.vehicleId)", token: world.token).json ?? .null
            #expect(vehicle["chargeState"]?["batteryLevel"] == 80, "\(vehicle)")

            // Statistics for the night add up: energy as the battery gained it, cost as price times energy, all of it cheap.
            let capacity = try #require(vehicle["chargeState"]?["batteryCapacity"]?.number)
            let night = "startDate=\(Timestamp.format(Self.evening))&endDate=\(Timestamp.format(Self.evening.addingTimeInterval(14 * 3600)))"
            let quarters = try await server.send(.get, "/users/eva/statistics/charging?type=vehicle&resolution=QUARTER_HOUR&\(night)", token: world.token)
            let buckets = try #require(quarters.json?.array, "\(quarters.body)")
            let charged = buckets.filter { ($0["kwhSum"]?.number ?? 0) > 0 }
            let energy = charged.reduce(0) { $0 + ($1["kwhSum"]?.number ?? 0) }
            #expect(abs(energy - capacity * 0.4) <= capacity * 0.4 * 0.01, "energy \(energy) of \(capacity * 0.4)")
            // Before the plan stops it, the car charges a few minutes at the evening price.
            let cost = charged.reduce(0) { $0 + ($1["costSum"]?.number ?? 0) }
            let expectedCost = charged.reduce(0) { total, bucket in
                let start = bucket["date"]?.string.flatMap(Timestamp.parse) ?? .distantPast
                let hour = Int(start.timeIntervalSince(Self.evening) / 3600)
                return total + (bucket["kwhSum"]?.number ?? 0) * Self.price(hour: hour)
            }
            #expect(abs(cost - expectedCost) < 0.01, "cost \(cost) vs \(expectedCost)")
            let cheap = charged.filter { $0["price"]?["max"] == 0.3 }.reduce(0) { $0 + ($1["kwhSum"]?.number ?? 0) }
            #expect(cheap >= energy * 0.85, "\(cheap) of \(energy) kWh in the cheap hours")
            let day = try await server.send(.get, "/users/eva/statistics/charging?type=vehicle&resolution=DAY&utcOffset=1&\(night)", token: world.token)
            let days = try #require(day.json?.array)
            #expect(abs(days.reduce(0) { $0 + ($1["kwhSum"]?.number ?? 0) } - energy) < 0.001)
            #expect(days.contains { ($0["estimatedSavings"]?.number ?? 0) > 0 }, "\(days)")
            // A plan's savings do not depend on the range asked for.
            func savings(_ from: Date, _ to: Date) async throws -> Double {
                let range = "startDate=\(Timestamp.format(from))&endDate=\(Timestamp.format(to))"
                let hours = try await server.send(.get, "/users/eva/statistics/charging?type=vehicle&resolution=HOUR&\(range)", token: world.token).json?.array ?? []
                return hours.reduce(0) { $0 + ($1["estimatedSavings"]?.number ?? 0) }
            }
            let split = Self.evening.addingTimeInterval(9 * 3600)
            let whole = try await savings(Self.evening, Self.evening.addingTimeInterval(14 * 3600))
            let parts = try await savings(Self.evening, split) + savings(split, Self.evening.addingTimeInterval(14 * 3600))
            #expect(whole > 0 && abs(whole - parts) < 0.01, "\(whole) vs \(parts)")
            let sessions = try #require(try await server.send(.get, "/users/eva/statistics/charging/sessions?type=vehicle&\(night)", token: world.token).json?.array)
            #expect(sessions.count >= 1 && abs(sessions.reduce(0) { $0 + ($1["kwhSum"]?.number ?? 0) } - energy) <= energy * 0.01, "\(sessions)")

            let states = try await server.store.read { try await $0.outboxEvents(clientId: world.clientId) }
                .filter { $0.name == "user:vehicle:smart-charging-status-updated" }
                .compactMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.payload.utf8))["smartChargingStatus"]?["state"]?.string }
            let expected = ["CONSIDERING", "PLAN:EXECUTING:STOPPING", "PLAN:EXECUTING:STOPPED", "PLAN:EXECUTING:STARTING",
                            "PLAN:EXECUTING:STARTED", "PLAN:ENDED:FINISHED"]
            var remaining = expected[...]
            for state in states where state == remaining.first { remaining = remaining.dropFirst() }
            #expect(remaining.isEmpty, "states seen: \(states)")
        }
    }
}
