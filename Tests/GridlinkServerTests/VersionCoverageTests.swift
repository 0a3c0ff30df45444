import Foundation
import GridlinkCore
@testable import GridlinkServer
import HTTPTypes
import Testing

/// One test per changelog change (or group of changes on one resource): the same request under the versions on
/// both sides of the change, asserting the difference. See docs/VERSIONS.md.
@Suite("Version coverage")
struct VersionCoverageTests {
    private func send(
        _ server: TestServer, _ method: HTTPRequest.Method, _ path: String, token: String, _ version: APIVersion, json: JSONValue? = nil
    ) async throws -> TestReply {
        let headers: HTTPFields = [.enodeVersion: version.rawValue]
        if let json { return try await server.send(method, path, token: token, headers: headers, json: json) }
        return try await server.send(method, path, token: token, headers: headers)
    }

    @Test("2023-03-01: charge actions name their target chargeableId/chargeableType before, targetId/targetType from")
    func actionTargetFields() async throws {
        try await TestServer.run { server in
            let token = try await server.pausedClientToken()
            let (vehicleId, deviceId) = try await server.linkSandbox(token: token, user: "ann", vendor: "KIA", type: "vehicle", segment: "vehicles")
            try await server.plugIn(token: token, deviceId: deviceId)

            let created = try await send(server, .post, "/vehicles/\(vehicleId)/charging", token: token, .v2023_02_01, json: ["action": "START"])
            #expect(created.status == 200 && created.version == "2023-02-01")
            #expect(created.json?["chargeableId"] == .string(vehicleId) && created.json?["chargeableType"] == "vehicle")
            #expect(created.json?["targetId"] == nil && created.json?["targetType"] == nil)
            let id = created.json?["id"]?.string ?? ""
            let current = try await send(server, .get, "/vehicles/actions/\(id)", token: token, .v2023_03_01).json
            #expect(current?["targetId"] == .string(vehicleId) && current?["targetType"] == "vehicle" && current?["chargeableId"] == nil)
            let cancelled = try await send(server, .post, "/vehicles/actions/\(id)/cancel", token: token, .v2023_02_01)
            #expect(cancelled.json?["chargeableId"] == .string(vehicleId) && cancelled.json?["state"] == "CANCELLED")
        }
    }

    @Test("2023-03-01: vehicles had chargeState.isChargingReasons and information.id (the vin) before")
    func vehicleRemovedFields() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let (vehicleId, _) = try await server.linkSandbox(token: token, user: "ben", vendor: "KIA", type: "vehicle", segment: "vehicles")
            let old = try await send(server, .get, "/vehicles/\(vehicleId)", token: token, .v2023_02_01).json
            #expect(old?["information"]?["id"] == old?["information"]?["vin"] && old?["information"]?["id"]?.string != nil)
            #expect(old?["chargeState"]?["isChargingReasons"] == [])
            let new = try await send(server, .get, "/vehicles/\(vehicleId)", token: token, .v2023_03_01).json
            #expect(new?["information"]?["id"] == nil && new?["chargeState"]?["isChargingReasons"] == nil)
            #expect(new?["information"]?["vin"] == old?["information"]?["vin"])
        }
    }

    @Test("HVACs: targetTemperature before 2023-03-01; deprecated top-level state and capableHoldTypes before 2024-10-01")
    func hvacFields() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let (hvacId, _) = try await server.linkSandbox(token: token, user: "cas", vendor: "DAIKIN", type: "hvac", segment: "hvacs")
            let oldest = try await send(server, .get, "/hvacs/\(hvacId)", token: token, .v2023_02_01).json
            let thermostat = oldest?["thermostatState"]
            let setpoint = thermostat?["mode"] == "COOL" ? thermostat?["coolSetpoint"] : thermostat?["heatSetpoint"]
            #expect(oldest?["targetTemperature"] != nil && oldest?["targetTemperature"] == setpoint)
            let v20230301 = try await send(server, .get, "/hvacs/\(hvacId)", token: token, .v2023_03_01).json
            #expect(v20230301?["targetTemperature"] == nil)
            let v20240101 = try await send(server, .get, "/hvacs/\(hvacId)", token: token, .v2024_01_01).json
            #expect(v20240101?["mode"] == thermostat?["mode"] && v20240101?["heatSetpoint"] == thermostat?["heatSetpoint"])
            #expect(v20240101?["isActive"] == oldest?["temperatureState"]?["isActive"])
            #expect(v20240101?["currentTemperature"] == v20240101?["temperatureState"]?["currentTemperature"])
            #expect(v20240101?["capabilities"]?["capableHoldTypes"] == ["PERMANENT", "SCHEDULED"])
            let current = try await send(server, .get, "/hvacs/\(hvacId)", token: token, .v2024_10_01).json
            for key in ["mode", "heatSetpoint", "coolSetpoint", "holdType", "isActive", "currentTemperature"] { #expect(current?[key] == nil, "\(key)") }
            #expect(current?["capabilities"]?["capableHoldTypes"] == nil)
        }
    }

    @Test("2023-03-01: POST /hvacs/{id}/temperature before, permanent-hold and follow-schedule from")
    func hvacTemperatureRoute() async throws {
        try await TestServer.run { server in
            let token = try await server.pausedClientToken()
            let (hvacId, _) = try await server.linkSandbox(token: token, user: "dag", vendor: "DAIKIN", type: "hvac", segment: "hvacs")
            let set = try await send(server, .post, "/hvacs/\(hvacId)/temperature", token: token, .v2023_02_01, json: ["targetTemperature": 23.5])
            #expect(set.status == 200 && set.json?["state"] == "PENDING", "\(set.body)")
            let target = set.json?["target"]
            #expect(target?["holdType"] == "PERMANENT" && (target?["heatSetpoint"] == 23.5 || target?["coolSetpoint"] == 23.5))
            let outOfRange = try await send(server, .post, "/hvacs/\(hvacId)/temperature", token: token, .v2023_02_01, json: ["targetTemperature": 80])
            #expect(outOfRange.status == 400 && outOfRange.detail.contains("\"targetTemperature\""))
            #expect(try await send(server, .post, "/hvacs/\(hvacId)/temperature", token: token, .v2023_03_01, json: ["targetTemperature": 23.5]).status == 404)
            #expect(try await send(server, .post, "/hvacs/\(hvacId)/follow-schedule", token: token, .v2023_02_01).status == 404)
            let hold: JSONValue = ["mode": "HEAT", "heatSetpoint": 19]
            #expect(try await send(server, .post, "/hvacs/\(hvacId)/permanent-hold", token: token, .v2023_02_01, json: hold).status == 404)
            #expect(try await send(server, .post, "/hvacs/\(hvacId)/permanent-hold", token: token, .v2023_03_01, json: hold).status == 200)
        }
    }

    @Test("2024-10-01: chargers had the deprecated information.id before; POST /assets/{assetId}/relink exists from")
    func chargerInformationId() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let (chargerId, _) = try await server.linkSandbox(token: token, user: "eva", vendor: "ZAPTEC", type: "charger", segment: "chargers")
            let old = try await send(server, .get, "/chargers/\(chargerId)", token: token, .v2024_01_01).json
            #expect(old?["information"]?["id"] != nil && old?["information"]?["id"] == old?["information"]?["serialNumber"])
            let list = try await send(server, .get, "/chargers", token: token, .v2024_01_01).json
            #expect(list?["data"]?.array?.first?["information"]?["id"] == old?["information"]?["id"])
            #expect(try await send(server, .get, "/chargers/\(chargerId)", token: token, .v2024_10_01).json?["information"]?["id"] == nil)
            let relink: JSONValue = ["language": "en-US", "redirectUri": "https://app.example.com"]
            #expect(try await send(server, .post, "/assets/\(chargerId)/relink", token: token, .v2024_01_01, json: relink).status == 404)
            let session = try await send(server, .post, "/assets/\(chargerId)/relink", token: token, .v2024_10_01, json: relink)
            #expect(session.status == 200 && session.json?["linkToken"]?.string != nil, "\(session.body)")
        }
    }

    @Test("schedules: chargeableId/chargeableType instead of targetId/targetType before 2023-03-01 (charge) and 2023-05-01 (temperature)")
    func scheduleTargetFields() async throws {
        try await TestServer.run { server in
            let token = try await server.pausedClientToken()
            let (vehicleId, _) = try await server.linkSandbox(token: token, user: "fay", vendor: "KIA", type: "vehicle", segment: "vehicles")
            let (hvacId, _) = try await server.linkSandbox(token: token, user: "fay", vendor: "DAIKIN", type: "hvac", segment: "hvacs")
            let charge = try await server.send(.post, "/users/fay/schedules", token: token, json: [
                "targetId": .string(vehicleId), "targetType": "vehicle", "defaultShouldCharge": true, "rules": []])
            let chargeId = charge.json?["id"]?.string ?? ""
            let chargeOld = try await send(server, .get, "/schedules/\(chargeId)", token: token, .v2023_02_01).json
            #expect(chargeOld?["chargeableId"] == .string(vehicleId) && chargeOld?["chargeableType"] == "vehicle" && chargeOld?["targetId"] == nil)
            let chargeNew = try await send(server, .get, "/schedules/\(chargeId)", token: token, .v2023_03_01).json
            #expect(chargeNew?["targetId"] == .string(vehicleId) && chargeNew?["targetType"] == "vehicle")

            let temperature = try await server.send(.post, "/users/fay/schedules", token: token, json: [
                "targetId": .string(hvacId), "targetType": "hvac", "defaultTargetState": ["holdType": "SCHEDULED"], "rules": []])
            #expect(temperature.status == 200, "\(temperature.body)")
            let temperatureId = temperature.json?["id"]?.string ?? ""
            let v20230415 = try await send(server, .get, "/schedules/\(temperatureId)", token: token, .v2023_04_15).json
            #expect(v20230415?["chargeableId"] == .string(hvacId) && v20230415?["targetId"] == nil)
            let v20230501 = try await send(server, .get, "/schedules/\(temperatureId)", token: token, .v2023_05_01).json
            #expect(v20230501?["targetId"] == .string(hvacId) && v20230501?["targetType"] == "hvac")
            // 2023-08-01 removed chargingLocationId from temperature schedules.
            #expect(v20230501?["chargingLocationId"] == .null)
            #expect(try await send(server, .get, "/schedules/\(temperatureId)", token: token, .v2023_08_01).json?["chargingLocationId"] == nil)
            // The deprecated list is rendered item by item too.
            let list = try await server.send(.get, "/schedules", token: token, headers: [.enodeVersion: "2023-02-01", .enodeUserId: "fay"]).json
            #expect(list?.array?.count == 2 && list?.array?.allSatisfy { $0["targetId"] == nil && $0["chargeableId"] != nil } == true)
        }
    }

    @Test("2023-05-01: temperature schedules say defaultTarget and rules[].target before, defaultTargetState and targetState from")
    func temperatureScheduleKeys() async throws {
        try await TestServer.run { server in
            let token = try await server.pausedClientToken()
            let (hvacId, _) = try await server.linkSandbox(token: token, user: "hal", vendor: "DAIKIN", type: "hvac", segment: "hvacs")
            let hold: JSONValue = ["holdType": "PERMANENT", "mode": "HEAT", "heatSetpoint": 21]
            let window: JSONValue = ["from": "06:00", "to": "09:00"]
            let legacyBody: JSONValue = [
                "entityId": .string(hvacId), "entityType": "hvac", "defaultTarget": ["holdType": "SCHEDULED"], "rules": [["hourMinute": window, "target": hold]]]
            let created = try await server.send(.post, "/schedules", token: token, headers: [.enodeVersion: "2023-04-15", .enodeUserId: "hal"], json: legacyBody)
            #expect(created.status == 200, "\(created.body)")
            #expect(created.json?["defaultTarget"] == ["holdType": "SCHEDULED"] && created.json?["defaultTargetState"] == nil)
            #expect(created.json?["rules"]?.array?.first?["target"] == hold && created.json?["rules"]?.array?.first?["targetState"] == nil)
            let id = created.json?["id"]?.string ?? ""
            let current = try await send(server, .get, "/schedules/\(id)", token: token, .v2023_05_01).json
            #expect(current?["defaultTargetState"] == ["holdType": "SCHEDULED"] && current?["defaultTarget"] == nil)
            #expect(current?["rules"]?.array?.first?["targetState"] == hold)
            let refused = try await server.send(.post, "/schedules", token: token, headers: [.enodeVersion: "2023-05-01", .enodeUserId: "hal"], json: legacyBody)
            #expect(refused.status == 400 && refused.detail.contains("\"defaultTargetState\" is required"), "\(refused.body)")
        }
    }

    @Test("2023-08-01: GET /me and DELETE /me/vendors/{vendor} act for Enode-User-Id before and are gone from; GET /users/{userId}/vendor/{vendor} from")
    func meRoutes() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            _ = try await server.linkSandbox(token: token, user: "gus", vendor: "KIA", type: "vehicle", segment: "vehicles")
            let asGus: HTTPFields = [.enodeVersion: "2023-05-01", .enodeUserId: "gus"]
            let me = try await server.send(.get, "/me", token: token, headers: asGus)
            #expect(me.json == ["id": "gus", "linkedVendors": [["vendor": "KIA", "vendorType": "vehicle", "isValid": true]]])
            #expect(try await server.send(.get, "/me", token: token, headers: [.enodeVersion: "2023-08-01"]).status == 404)
            // Its replacements, and the vendor details route 2023-08-01 added.
            #expect(try await send(server, .get, "/users/gus", token: token, .v2023_08_01).json == me.json)
            let vendor = try await send(server, .get, "/users/gus/vendor/KIA", token: token, .v2023_08_01)
            #expect(vendor.json == ["vendor": "KIA", "vendorType": "vehicle", "isValid": true])
            #expect(try await send(server, .get, "/users/gus/vendor/KIA", token: token, .v2023_05_01).status == 404)
            #expect(try await send(server, .get, "/users/gus/vendor/TESLA", token: token, .v2023_08_01).status == 404)
            let unknown = try await send(server, .get, "/users/gus/vendor/ACME", token: token, .v2023_08_01)
            #expect(unknown.status == 400 && unknown.detail.contains("\"vendor\""))
            #expect(try await server.send(.delete, "/me/vendors/KIA", token: token, headers: [.enodeVersion: "2023-08-01"]).status == 404)
            #expect(try await server.send(.delete, "/me/vendors/KIA", token: token, headers: [.enodeVersion: "2023-05-01"]).status == 400)
            #expect(try await server.send(.delete, "/me/vendors/KIA", token: token, headers: asGus).status == 204)
            #expect(try await server.send(.get, "/me", token: token, headers: asGus).json?["linkedVendors"] == [])
            #expect(try await server.send(.get, "/vehicles", token: token, headers: asGus).json == [])
        }
    }

    @Test("webhook events render their action, schedule and status as the endpoints do for the webhook's version")
    func webhookPayloads() throws {
        let createdAt = Date(timeIntervalSince1970: 0)
        let action = #"{"user":{"id":"u"},"vendorAction":{"id":"a","kind":"START","state":"CONFIRMED","targetId":"v","targetType":"vehicle"},"updatedFields":["state"]}"#
        let old = WebhookPayloads.event(id: "evt_1", name: "user:vendor-action:updated", payload: action, createdAt: createdAt, version: .v2023_02_01)
        #expect(old["event"] == "user:charge-action:updated")
        #expect(old["vendorAction"]?["chargeableId"] == "v" && old["vendorAction"]?["chargeableType"] == "vehicle" && old["vendorAction"]?["targetId"] == nil)
        let new = WebhookPayloads.event(id: "evt_1", name: "user:vendor-action:updated", payload: action, createdAt: createdAt, version: .v2023_03_01)
        #expect(new["event"] == "user:vendor-action:updated" && new["vendorAction"]?["targetId"] == "v" && new["vendorAction"]?["chargeableId"] == nil)

        let schedule = #"{"user":{"id":"u"},"schedule":{"id":"s","targetId":"v","targetType":"vehicle","isEnabled":true,"rules":[],"defaultShouldCharge":true,"locationId":"l"},"status":{"scheduleType":"CHARGE","state":"ALIGNED","smartOverride":null},"updatedFields":["state"]}"#
        let event = "user:schedule:execution-updated"
        let current = WebhookPayloads.event(id: "evt_2", name: event, payload: schedule, createdAt: createdAt, version: .current)
        #expect(current["schedule"]?["chargeableId"] == nil && current["status"]?["smartOverride"] == .null)
        let v2024 = WebhookPayloads.event(id: "evt_2", name: event, payload: schedule, createdAt: createdAt, version: .v2024_01_01)
        #expect(v2024["schedule"]?["chargeableId"] == "v" && v2024["schedule"]?["entityId"] == "v" && v2024["schedule"]?["targetId"] == "v")
        let v2023 = WebhookPayloads.event(id: "evt_2", name: event, payload: schedule, createdAt: createdAt, version: .v2023_04_15)
        #expect(v2023["schedule"]?["chargingLocationId"] == "l" && v2023["schedule"]?["locationId"] == nil)
        #expect(v2023["status"]?["externalStart"] == .null && v2023["status"]?["smartOverride"] == nil)
        let oldest = WebhookPayloads.event(id: "evt_2", name: event, payload: schedule, createdAt: createdAt, version: .v2023_02_01)
        #expect(oldest["schedule"]?["targetId"] == nil && oldest["schedule"]?["chargeableId"] == "v")
        // A reference to an asset in another event is not an asset: it is left as written.
        let finished = #"{"user":{"id":"u"},"inverter":{"id":"i"},"statistics":{"timezone":"UTC","year":2026,"month":1,"day":1}}"#
        let reference = WebhookPayloads.event(id: "evt_3", name: "user:inverter:statistics-updated", payload: finished, createdAt: createdAt, version: .v2023_02_01)
        #expect(reference["inverter"] == ["id": "i"], "\(reference)")
        // The text path is only taken where nothing changes.
        #expect(!WebhookPayloads.needsTransform(for: .current) && WebhookPayloads.needsTransform(for: .v2024_01_01))
    }

    @Test("a webhook subscribed to user:charge-action:updated (the pre-2023-03-01 name) receives user:vendor-action:updated")
    func renamedEventSubscription() {
        #expect(WebhookEventNames.current("user:charge-action:updated") == "user:vendor-action:updated")
        #expect(WebhookEventNames.name("user:vendor-action:updated", in: .v2023_02_01) == "user:charge-action:updated")
        #expect(WebhookEventNames.name("user:vendor-action:updated", in: .v2023_03_01) == "user:vendor-action:updated")
        let webhook = Webhook(
            id: "w", clientId: "c", url: "http://127.0.0.1/h", secret: "s", events: ["user:charge-action:updated"], apiVersion: .v2023_02_01,
            authentication: nil, isActive: true, failingSince: nil, lastSuccess: Date(timeIntervalSince1970: 0), createdAt: Date(timeIntervalSince1970: 0))
        #expect(webhook.subscribes(to: "user:vendor-action:updated") && !webhook.subscribes(to: "user:vehicle:updated"))
    }
}
