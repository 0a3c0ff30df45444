import Foundation
import Testing

extension GridlinkBinaryTests {
    @Test("a charge schedule at an Oslo location starts and stops a plugged-in car at the rule's times on two days; manual START is 422")
    func chargeScheduleThroughTheBinary() async throws {
        let world = try await E2EWorld.start(["--seed", "11", "--sim-start", "2026-01-01T00:00:00Z"])
        defer { world.finish() }
        try await world.call(.PATCH, "/sandbox/clock", #"{"isPaused":true,"timing":"ideal"}"#)
        let vehicleId = try await world.linkMagic(user: "sky", vendor: "KIA", type: "vehicle", segment: "vehicles",
                                                  scopes: ["vehicle:read:data", "vehicle:read:location", "vehicle:control:charging"])
        let device = try #require((try await world.object(.GET, "/sandbox/devices")["data"] as? [[String: Any]])?.first?["id"] as? String)
        try await world.call(.PATCH, "/sandbox/devices/\(device)", #"{"chargingEnabled":false,"batteryLevel":10,"chargeLimit":100}"#)
        try await world.call(.POST, "/sandbox/devices/\(device)/plug", "{}")
        let position = try #require(try await world.object(.GET, "/vehicles/\(vehicleId)")["location"] as? [String: Any])
        let location = try await world.object(.POST, "/users/sky/locations",
            #"{"name":"Home","latitude":\#(position["latitude"] ?? 0),"longitude":\#(position["longitude"] ?? 0),"timezoneName":"Europe/Oslo"}"#)
        let locationId = try #require(location["id"] as? String)
        let schedule = try await world.object(.POST, "/users/sky/schedules", #"""
            {"targetId":"\#(vehicleId)","targetType":"vehicle","locationId":"\#(locationId)","defaultShouldCharge":false,
             "rules":[{"hourMinute":{"from":"02:00","to":"04:00"},"shouldCharge":true}]}
            """#)
        let scheduleId = try #require(schedule["id"] as? String)

        /// Advances simulated time in steps, giving the server's background services a moment after each.
        func advance(minutes: Int, step: Int = 10) async throws {
            for _ in 0..<(minutes / step) {
                try await world.call(.POST, "/sandbox/clock/advance", #"{"seconds":\#(step * 60)}"#)
                try await Task.sleep(for: .milliseconds(300))
            }
        }
        /// Expects the schedule's target to be charging (or not) and the schedule aligned with it, allowing the
        /// controller a few rounds to record the latest synced state.
        func expectAligned(charging: Bool, _ comment: Comment) async throws {
            var status: [String: Any] = [:]
            for _ in 0..<10 {
                status = try await world.object(.GET, "/schedules/\(scheduleId)/status")
                if status["isCharging"] as? Bool == charging && status["state"] as? String == "ALIGNED" { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(status["isCharging"] as? Bool == charging && status["state"] as? String == "ALIGNED", "\(comment): \(status)")
        }

        // 02:00–04:00 in Oslo is 01:00–03:00 UTC in January.
        try await advance(minutes: 80)
        try await expectAligned(charging: true, "day 1, 02:20")
        #expect(try await world.call(.POST, "/vehicles/\(vehicleId)/charging", #"{"action":"STOP"}"#).status == 422)
        try await advance(minutes: 120)
        try await expectAligned(charging: false, "day 1, 04:20")
        try await world.call(.POST, "/sandbox/clock/advance", #"{"seconds":\#(21 * 3600)}"#)
        try await advance(minutes: 60)
        try await expectAligned(charging: true, "day 2, 02:20")
        try await advance(minutes: 120)
        try await expectAligned(charging: false, "day 2, 04:20")

        let events = try await world.outbox().filter { $0.name == "user:schedule:execution-updated" }
        #expect(events.count >= 4)
    }
}
