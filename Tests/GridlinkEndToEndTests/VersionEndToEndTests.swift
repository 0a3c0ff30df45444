import Foundation
import Testing

extension GridlinkBinaryTests {
    /// One user's run of the scenario: link a sandbox vehicle, read it, plug it in, start charging.
    private struct VersionRun {
        let version: String
        let user: String
        /// `Enode-Version`, and before 2023-08-01 the `Enode-User-Id` the deprecated routes act for.
        var headers: [(String, String)] { version < "2023-08-01" ? [("Enode-Version", version), ("Enode-User-Id", user)] : [("Enode-Version", version)] }

        /// Links through the Link UI with the link body of the version; returns the link response.
        func link(_ world: E2EWorld, body: String) async throws -> [String: Any] {
            let session = try await world.object(.POST, "/users/\(user)/link", body, headers: headers)
            let url = try #require(session["linkUrl"] as? String, "\(session)")
            _ = try await world.form(url + "/consent", "decision=accept")
            _ = try await world.form(url + "/login", "username=\(user)&password=gridlink")
            return session
        }

        /// Plugs the user's sandbox device in and waits until the API shows it; then starts charging and returns the action.
        func startCharging(_ world: E2EWorld, vehicleId: String, deviceId: String) async throws -> [String: Any] {
            try await world.call(.PATCH, "/sandbox/devices/\(deviceId)", #"{"chargingEnabled":false,"batteryLevel":20}"#)
            try await world.call(.POST, "/sandbox/devices/\(deviceId)/plug", "{}")
            let plugged = try await world.advance(seconds: 600, steps: 8) {
                let vehicle = try await world.object(.GET, "/vehicles/\(vehicleId)", headers: headers)
                return (vehicle["chargeState"] as? [String: Any])?["isPluggedIn"] as? Bool == true
            }
            #expect(plugged, "\(version)")
            let reply = try await world.call(.POST, "/vehicles/\(vehicleId)/charging", #"{"action":"START"}"#, headers: headers)
            #expect(reply.status == 200 && reply.version == version, "\(reply.body)")
            return try E2EHTTP.object(reply.body)
        }
    }

    @Test("versions through the binary: link, read, start charging and the webhook, under 2023-02-01 and 2024-10-01")
    func versionedScenario() async throws {
        let receiver = LocalReceiver()
        try await receiver.run { url in
            let world = try await E2EWorld.start(["--seed", "24", "--sim-start", "2026-07-04T19:00:00Z"])
            defer { world.finish() }
            try await world.call(.PATCH, "/sandbox/clock", #"{"isPaused":true,"timing":"ideal"}"#)
            let oldest = VersionRun(version: "2023-02-01", user: "old"), newest = VersionRun(version: "2024-10-01", user: "new")
            let secret = String(repeating: "5eed", count: 10)
            for (run, event) in [(oldest, "user:charge-action:updated"), (newest, "user:vendor-action:updated")] {
                let body = #"{"url":"\#(url)?v=\#(run.version)","secret":"\#(secret)","events":["\#(event)"],"apiVersion":"\#(run.version)"}"#
                let created = try await world.call(.POST, "/webhooks", body)
                #expect(created.status == 200, "\(created.body)")
            }

            // Link: the old body has no required fields and answers linkState; the new one answers linkToken.
            let legacyBody = #"{"vendorType":"vehicle","vendor":"KIA"}"#
            #expect(try await world.call(.POST, "/users/new/link", legacyBody, headers: newest.headers).status == 400)
            let oldSession = try await oldest.link(world, body: legacyBody)
            #expect(oldSession["linkState"] is String && oldSession["linkToken"] == nil)
            let oldDevice = try #require(try await world.sandboxDeviceIds().first)
            let newSession = try await newest.link(world, body: #"{"vendorType":"vehicle","vendor":"KIA","scopes":["vehicle:read:data","vehicle:control:charging"],"language":"en-US","redirectUri":"https://app.example.com/linked"}"#)
            #expect(newSession["linkToken"] is String && newSession["linkState"] == nil)
            let newDevice = try #require(try await world.sandboxDeviceIds().first { $0 != oldDevice })

            // Read: the old list is the Enode-User-Id user's bare array, the new one a page; the asset shapes differ.
            let oldList = try await world.call(.GET, "/vehicles", headers: oldest.headers)
            let oldVehicles = try #require(try JSONSerialization.jsonObject(with: Data(oldList.body.utf8)) as? [[String: Any]], "\(oldList.body)")
            #expect(oldVehicles.count == 1)
            let oldVehicle = try #require(oldVehicles.first)
            #expect(oldVehicle["scopes"] == nil && oldVehicle.keys.contains("chargingLocationId") && oldVehicle["locationId"] == nil)
            #expect((oldVehicle["information"] as? [String: Any])?["id"] as? String != nil)
            #expect((oldVehicle["chargeState"] as? [String: Any])?["isChargingReasons"] as? [Any] != nil)
            let newPage = try await world.object(.GET, "/users/new/vehicles", headers: newest.headers)
            let newVehicles = try #require(newPage["data"] as? [[String: Any]])
            #expect(newVehicles.count == 1 && newPage["pagination"] is [String: Any])
            let newVehicle = try #require(newVehicles.first)
            #expect(newVehicle["scopes"] is [String] && newVehicle["chargingLocationId"] == nil && (newVehicle["location"] as? [String: Any])?.keys.contains("id") == true)
            #expect((newVehicle["information"] as? [String: Any])?["id"] == nil)
            let oldVehicleId = try #require(oldVehicle["id"] as? String), newVehicleId = try #require(newVehicle["id"] as? String)

            // Start charging: the old action names its target chargeableId, the new one targetId.
            let oldAction = try await oldest.startCharging(world, vehicleId: oldVehicleId, deviceId: oldDevice)
            #expect(oldAction["chargeableId"] as? String == oldVehicleId && oldAction["chargeableType"] as? String == "vehicle" && oldAction["targetId"] == nil)
            let newAction = try await newest.startCharging(world, vehicleId: newVehicleId, deviceId: newDevice)
            #expect(newAction["targetId"] as? String == newVehicleId && newAction["chargeableId"] == nil)

            // The webhooks: each gets the confirmed actions in its own version, under the event name of that version.
            func received(_ run: VersionRun, _ actionId: Any?) -> [String: Any]? {
                receiver.events.first { event in
                    event["version"] as? String == run.version && (event["vendorAction"] as? [String: Any])?["id"] as? String == actionId as? String
                }
            }
            let arrived = try await world.advance(seconds: 5, steps: 160) {
                [oldAction["id"], newAction["id"]].allSatisfy { id in received(oldest, id) != nil && received(newest, id) != nil }
            }
            #expect(arrived)
            let oldEvent = try #require(received(oldest, oldAction["id"]))
            #expect(oldEvent["event"] as? String == "user:charge-action:updated")
            let oldEventAction = try #require(oldEvent["vendorAction"] as? [String: Any])
            #expect(oldEventAction["state"] as? String == "CONFIRMED" && oldEventAction["chargeableId"] as? String == oldVehicleId && oldEventAction["targetId"] == nil)
            let newEvent = try #require(received(newest, newAction["id"]))
            #expect(newEvent["event"] as? String == "user:vendor-action:updated")
            let newEventAction = try #require(newEvent["vendorAction"] as? [String: Any])
            #expect(newEventAction["state"] as? String == "CONFIRMED" && newEventAction["targetId"] as? String == newVehicleId && newEventAction["chargeableId"] == nil)
            // The same event reaches the other webhook rendered for that webhook's version.
            #expect((received(newest, oldAction["id"])?["vendorAction"] as? [String: Any])?["targetId"] as? String == oldVehicleId)
            #expect(received(oldest, newAction["id"])?["event"] as? String == "user:charge-action:updated")
        }
    }
}
