import Foundation
import GridlinkCore
@testable import GridlinkServer
import GridlinkStore
import HTTPTypes
import Testing

@Suite("Actions")
struct ActionTests {
    private static let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    private func string(_ value: JSONValue?) -> String {
        if case .string(let text) = value { return text }
        return ""
    }

    private func action(_ server: TestServer, token: String, _ segment: String, _ id: String) async throws -> JSONValue? {
        try await server.send(.get, "/\(segment)/actions/\(id)", token: token).json
    }

    @Test("vehicle charging: preconditions, PENDING to CONFIRMED from synced data after the vendor's delay, reuse, cancel, 409")
    func vehicleCharging() async throws {
        try await TestServer.run { server in
            let (clientId, token) = try await server.clientToken()
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
            let (vehicleId, deviceId) = try await server.linkSandbox(token: token, user: "kim", vendor: "KIA", type: "vehicle", segment: "vehicles")

            let unplugged = try await server.send(.post, "/vehicles/\(vehicleId)/charging", token: token, json: ["action": "START"])
            #expect(unplugged.status == 400 && unplugged.detail.contains("not plugged in"))
            let badBody = try await server.send(.post, "/vehicles/\(vehicleId)/charging", token: token, json: ["action": "GO"])
            #expect(badBody.status == 400 && badBody.detail.contains("\"action\" must be one of [START, STOP]"))
            #expect(try await server.send(.post, "/vehicles/nope/charging", token: token, json: ["action": "START"]).status == 404)
            #expect(try await server.send(.post, "/vehicles/\(vehicleId)/max-current", token: token, json: ["maxCurrent": 16]).detail.contains("not capable"))

            try await server.plugIn(token: token, deviceId: deviceId)

            let created = try await server.send(.post, "/vehicles/\(vehicleId)/charging", token: token, json: ["action": "START"])
            #expect(created.status == 200)
            #expect(created.json?["state"] == "PENDING" && created.json?["kind"] == "START" && created.json?["completedAt"] == .null)
            let actionId = string(created.json?["id"])
            let again = try await server.send(.post, "/vehicles/\(vehicleId)/charging", token: token, json: ["action": "START"])
            #expect(string(again.json?["id"]) == actionId)

            try await server.advance(token: token, seconds: 5)
            #expect(try await action(server, token: token, "vehicles", actionId)?["state"] == "PENDING")
            try await server.advance(token: token, seconds: 120)
            let confirmed = try await action(server, token: token, "vehicles", actionId)
            #expect(confirmed?["state"] == "CONFIRMED")
            #expect(confirmed?["completedAt"] != .null && confirmed?["failureReason"] == .null)
            #expect(try await server.send(.get, "/vehicles/\(vehicleId)", token: token).json?["chargeState"]?["powerDeliveryState"] == "PLUGGED_IN:CHARGING")

            let finished = try await server.send(.post, "/vehicles/actions/\(actionId)/cancel", token: token)
            #expect(finished.status == 409 && finished.json?["state"] == "CONFIRMED")
            let stop = try await server.send(.post, "/vehicles/\(vehicleId)/charging", token: token, json: ["action": "STOP"])
            let cancelled = try await server.send(.post, "/vehicles/actions/\(string(stop.json?["id"]))/cancel", token: token)
            #expect(cancelled.status == 200 && cancelled.json?["state"] == "CANCELLED")
            #expect(cancelled.json?["failureReason"]?["type"] == "REQUESTED_CANCELLATION")
            #expect(try await server.send(.post, "/vehicles/actions/unknown/cancel", token: token).status == 404)

            let events = try await server.store.read { try await $0.outboxEvents(clientId: clientId) }
            let actionEvents = events.filter { $0.name == "user:vendor-action:updated" }
            #expect(actionEvents.count == 2)
            #expect(actionEvents.first?.payload.contains("\"CONFIRMED\"") == true)
        }
    }

    @Test("a new action of another kind cancels the pending one with CONFLICT; ignored commands FAIL with NO_RESPONSE")
    func conflictAndTimeout() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
            let (chargerId, deviceId) = try await server.linkSandbox(token: token, user: "cho", vendor: "ZAPTEC", type: "charger", segment: "chargers")
            _ = try await server.send(.post, "/sandbox/devices/\(deviceId)/plug", token: token, json: [:])
            try await server.advance(token: token, seconds: 600)
            let limit = try await server.send(.post, "/chargers/\(chargerId)/max-current", token: token, json: ["maxCurrent": 10])
            #expect(limit.json?["targetState"] == ["maxCurrent": 10])
            let stop = try await server.send(.post, "/chargers/\(chargerId)/charging", token: token, json: ["action": "STOP"])
            #expect(stop.status == 200)
            let superseded = try await action(server, token: token, "chargers", string(limit.json?["id"]))
            #expect(superseded?["state"] == "CANCELLED" && superseded?["failureReason"]?["type"] == "CONFLICT")

            _ = try await server.send(.post, "/chargers/actions/\(string(stop.json?["id"]))/cancel", token: token)
            _ = try await server.send(.post, "/sandbox/faults", token: token, json: ["kind": "ignoreCommands", "scope": ["deviceId": .string(deviceId)], "probability": 1])
            let ignored = try await server.send(.post, "/chargers/\(chargerId)/max-current", token: token, json: ["maxCurrent": 8])
            try await server.advance(token: token, seconds: 610)
            let failed = try await action(server, token: token, "chargers", string(ignored.json?["id"]))
            #expect(failed?["state"] == "FAILED" && failed?["failureReason"]?["type"] == "NO_RESPONSE")
        }
    }

    @Test("HVAC holds and battery modes confirm from synced data; a deleted target cancels with NOT_FOUND; missing scope is 403")
    func hvacBatteryAndDeletion() async throws {
        try await TestServer.run { server in
            let (clientId, token) = try await server.clientToken()
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true, "timing": "ideal"])
            let (hvacId, _) = try await server.linkSandbox(token: token, user: "hal", vendor: "DAIKIN", type: "hvac", segment: "hvacs")
            let missing = try await server.send(.post, "/hvacs/\(hvacId)/permanent-hold", token: token, json: ["mode": "AUTO", "heatSetpoint": 20])
            #expect(missing.status == 400 && missing.detail.contains("\"coolSetpoint\" is required"))
            let hold = try await server.send(.post, "/hvacs/\(hvacId)/permanent-hold", token: token, json: ["mode": "COOL", "coolSetpoint": 23])
            #expect(hold.json?["target"] == ["mode": "COOL", "holdType": "PERMANENT", "coolSetpoint": 23])
            try await server.advance(token: token, seconds: 10)
            #expect(try await action(server, token: token, "hvacs", string(hold.json?["id"]))?["state"] == "CONFIRMED")

            let (batteryId, batteryDevice) = try await server.linkSandbox(token: token, user: "bea", vendor: "TESLA", type: "battery", segment: "batteries")
            let mode = try await server.send(.post, "/batteries/\(batteryId)/operation-mode", token: token, json: ["operationMode": "IMPORT_FOCUS"])
            #expect(mode.json?["targetState"] == ["operationMode": "IMPORT_FOCUS"])
            _ = try await server.send(.delete, "/sandbox/devices/\(batteryDevice)", token: token)
            try await server.advance(token: token, seconds: 10)
            let gone = try await action(server, token: token, "batteries", string(mode.json?["id"]))
            // Battery actions have no failureReason field; the state tells.
            #expect(gone?["state"] == "CANCELLED" && gone?["failureReason"] == nil)
            let events = try await server.store.read { try await $0.outboxEvents(clientId: clientId) }
            #expect(events.contains { $0.name == "user:vendor-action:updated" && $0.payload.contains("\"CANCELLED\"") && $0.payload.contains("\"battery\"") })

            let session = try await server.send(.post, "/users/ro/link", token: token, json: [
                "vendorType": "charger", "vendor": "EASEE", "scopes": ["charger:read:data"], "language": "en-US", "redirectUri": "https://a.b"])
            let url = string(session.json?["linkUrl"])
            let path = String(url[url.range(of: "/link/")!.lowerBound...])
            _ = try await server.send(.post, path + "/consent", headers: Self.formType, body: "decision=accept")
            _ = try await server.send(.post, path + "/login", headers: Self.formType, body: "username=ro&password=gridlink")
            guard case .array(let list) = try await server.send(.get, "/users/ro/chargers", token: token).json?["data"], let charger = list.first else {
                throw TestFailure("no charger")
            }
            let forbidden = try await server.send(.post, "/chargers/\(string(charger["id"]))/max-current", token: token, json: ["maxCurrent": 6])
            #expect(forbidden.status == 403 && forbidden.isProblem)
        }
    }
}
