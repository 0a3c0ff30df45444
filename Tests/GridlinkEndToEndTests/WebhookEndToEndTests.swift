import Foundation
import Testing

extension GridlinkBinaryTests {
    @Test("webhooks through the binary: a device change arrives as user:vehicle:updated listing the changed fields")
    func deviceChangeWebhook() async throws {
        let receiver = LocalReceiver()
        try await E2EWorld.withWebhook(to: receiver, events: ["user:vehicle:updated"], arguments: ["--seed", "21", "--sim-start", "2026-07-01T09:00:00Z"]) { world, _ in
            let vehicleId = try await world.linkMagic(user: "upd", vendor: "POLESTAR", type: "vehicle", segment: "vehicles", scopes: ["vehicle:read:data"])
            let deviceId = try #require(try await world.sandboxDeviceIds().first)
            try await world.call(.PATCH, "/sandbox/devices/\(deviceId)", #"{"batteryLevel":41,"chargeLimit":75}"#)

            func update() -> [String: Any]? {
                receiver.events.first { ($0["updatedFields"] as? [String])?.contains("chargeState.chargeLimit") == true }
            }
            try await world.call(.POST, "/sandbox/clock/advance", #"{"seconds":900}"#)
            for _ in 0..<60 where update() == nil { try await Task.sleep(for: .milliseconds(100)) }
            let event = try #require(update())
            #expect(event["event"] as? String == "user:vehicle:updated")
            let fields = try #require(event["updatedFields"] as? [String])
            #expect(fields.contains("chargeState.batteryLevel") && fields.contains("chargeState.chargeLimit"))
            let vehicle = try #require(event["vehicle"] as? [String: Any])
            #expect(vehicle["id"] as? String == vehicleId)
            #expect((vehicle["chargeState"] as? [String: Any])?["batteryLevel"] as? Double == 41)
            #expect((event["user"] as? [String: Any])?["id"] as? String == "upd")
            #expect((event["id"] as? String)?.hasPrefix("evt_") == true)
            // The webhook subscribes to updates only: the discovery was not sent to it.
            #expect(!receiver.events.contains { $0["event"] as? String == "user:vehicle:discovered" })
        }
    }

    @Test("webhooks through the binary: a START action is PENDING, then arrives as user:vendor-action:updated CONFIRMED")
    func actionWebhook() async throws {
        let receiver = LocalReceiver()
        try await E2EWorld.withWebhook(to: receiver, events: ["user:vendor-action:updated"], arguments: ["--seed", "22", "--sim-start", "2026-07-02T19:00:00Z"]) { world, _ in
            let vehicle = try await world.pluggedInVehicle(user: "act")

            let created = try await world.object(.POST, "/vehicles/\(vehicle)/charging", #"{"action":"START"}"#)
            #expect(created["state"] as? String == "PENDING")
            let actionId = try #require(created["id"] as? String)
            func actionEvents() -> [[String: Any]] {
                receiver.events.filter { ($0["vendorAction"] as? [String: Any])?["id"] as? String == actionId }
            }
            #expect(try await world.advance(seconds: 5, steps: 120) { !actionEvents().isEmpty })
            // Let a duplicate (there must be none) arrive before counting.
            try await Task.sleep(for: .milliseconds(500))
            let events = actionEvents()
            #expect(events.count == 1)
            let event = try #require(events.first)
            #expect(event["event"] as? String == "user:vendor-action:updated")
            let action = try #require(event["vendorAction"] as? [String: Any])
            #expect(action["state"] as? String == "CONFIRMED" && action["kind"] as? String == "START" && action["targetId"] as? String == vehicle)
            #expect(action["completedAt"] is String)
            #expect((event["updatedFields"] as? [String])?.contains("state") == true)
            #expect(try await world.object(.GET, "/vehicles/actions/\(actionId)")["state"] as? String == "CONFIRMED")
        }
    }

    @Test("webhooks through the binary: a failing receiver is retried, deactivated after 5 simulated minutes, re-activated by a test")
    func failingReceiverDeactivation() async throws {
        let receiver = LocalReceiver()
        receiver.answer(500)
        try await E2EWorld.withWebhook(to: receiver, events: ["user:vehicle:discovered"], arguments: ["--seed", "23", "--sim-start", "2026-07-03T10:00:00Z"]) { world, webhookId in
            _ = try await world.linkMagic(user: "down", vendor: "BMW", type: "vehicle", segment: "vehicles", scopes: ["vehicle:read:data"])

            func failedAttempts() async throws -> [[String: Any]] {
                let log = try await world.object(.GET, "/webhooks/\(webhookId)/deliveries?pageSize=100")
                return (log["data"] as? [[String: Any]] ?? []).filter {
                    $0["events"] as? [String] == ["user:vehicle:discovered"] && $0["statusCode"] as? Int == 500
                }
            }
            for _ in 0..<40 where try await failedAttempts().isEmpty { try await Task.sleep(for: .milliseconds(100)) }
            #expect(try await !failedAttempts().isEmpty)
            func isActive() async throws -> Bool { try await world.object(.GET, "/webhooks/\(webhookId)")["isActive"] as? Bool ?? true }
            #expect(try await world.advance(seconds: 20, steps: 40) { try await !isActive() })

            // Retried after about 30 s, 1 min and 2 min, and a last time when the 5 min budget was spent, on the simulated clock.
            let attempts = try await failedAttempts()
            #expect(attempts.count == 5, "\(attempts)")
            let times = attempts.compactMap { ($0["attemptedAt"] as? String).flatMap { try? Date($0, strategy: .iso8601) } }.sorted()
            let span = try #require(times.last).timeIntervalSince(try #require(times.first))
            #expect(span >= 300 && span < 320, "deactivated \(span) s after the first failure")
            #expect(Set(receiver.deliveryIds).count == receiver.deliveryIds.count)
            let discovered = receiver.events.filter { $0["event"] as? String == "user:vehicle:discovered" }
            #expect(discovered.count == 5 && Set(discovered.compactMap { $0["id"] as? String }).count == 1)

            receiver.answer(200)
            let test = try await world.object(.POST, "/webhooks/\(webhookId)/test")
            #expect(test["status"] as? String == "SUCCESS")
            #expect((test["response"] as? [String: Any])?["code"] as? Int == 200)
            #expect(receiver.events.last?["event"] as? String == "enode:webhook:test")
            #expect(try await isActive())
        }
    }
}
