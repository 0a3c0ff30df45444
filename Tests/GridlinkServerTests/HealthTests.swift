import Foundation
import GridlinkCore
@testable import GridlinkServer
import Testing

@Suite("Service health")
struct HealthTests {
    private func entry(_ list: JSONValue?, _ vendor: String) -> JSONValue? {
        list?.array?.first { $0["vendor"] == .string(vendor) }
    }

    @Test("GET /health/{type} lists every vendor of the type with the documented fields, READY by default, in every version, also without a token")
    func vendorLists() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            for type in VendorType.allCases {
                let reply = try await server.send(.get, "/health/\(type.pathSegment)", token: token)
                #expect(reply.status == 200, "\(type)")
                let list = reply.json?.array ?? []
                #expect(list.compactMap { $0["vendor"]?.string } == VendorCatalogue.vendors(of: type))
                #expect(list.allSatisfy { $0["status"] == "READY" && $0["linkingStatus"] == "READY" })
                let keys: Set<String> = ["vendor", "displayName", "status", "portalName", "linkingStatus"]
                #expect(list.allSatisfy { if case .object(let fields) = $0 { Set(fields.keys) == keys } else { false } })
            }
            let chargers = try await server.send(.get, "/health/chargers", token: token).json
            #expect(entry(chargers, "EASEE") == ["vendor": "EASEE", "displayName": "Easee", "status": "READY", "portalName": "Easee", "linkingStatus": "READY"])
            #expect(entry(try await server.send(.get, "/health/vehicles", token: token).json, "BMW")?["portalName"] == "My BMW")
            let old = try await server.send(.get, "/health/batteries", token: token, headers: [.init("Enode-Version")!: "2023-02-01"])
            #expect(old.status == 200 && old.json?.array?.count == VendorCatalogue.battery.count)
            let anonymous = try await server.send(.get, "/health/meters")
            #expect(anonymous.status == 200 && anonymous.json?.array?.count == VendorCatalogue.meter.count)
            #expect(try await server.send(.get, "/health/meters", headers: [.authorization: "Bearer not-a-token"]).status == 401)
        }
    }

    @Test("GET /integrations (2024-10-01): vendors with asset types and scopes, the assetTypes filter, 400 for unknown types")
    func integrations() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let all = try await server.send(.get, "/integrations", token: token)
            #expect(all.status == 200 && all.json?.array?.count == VendorCatalogue.all.count)
            let tesla = entry(all.json, "TESLA")
            #expect(tesla?["assetTypes"] == ["vehicle", "charger", "inverter", "battery", "meter"])
            #expect(tesla?["scopes"]?.array?.contains("battery:control:operation_mode") == true)
            #expect(tesla?["scopes"]?.array?.contains("hvac:read:data") == false)
            #expect(tesla?["displayName"] == "Tesla" && tesla?["status"] == "READY" && tesla?["linkingStatus"] == "READY")

            let storage = try await server.send(.get, "/integrations?assetTypes=meter,%20battery", token: token)
            #expect(storage.json?.array?.count == Set(VendorCatalogue.battery + VendorCatalogue.meter).count)
            #expect(entry(storage.json, "TESLA")?["assetTypes"] == ["battery", "meter"])
            #expect(entry(storage.json, "TESLA")?["scopes"] == ["battery:control:operation_mode", "battery:read:data", "battery:read:location", "meter:read:data", "meter:read:location"])
            let bad = try await server.send(.get, "/integrations?assetTypes=vehicle,boat", token: token)
            #expect(bad.status == 400 && bad.isProblem && bad.detail.contains("boat"))
            let older = try await server.send(.get, "/integrations", token: token, headers: [.init("Enode-Version")!: "2024-01-01"])
            #expect(older.status == 404 && older.isProblem)
        }
    }

    @Test("a sandbox outage shows as OUTAGE, refuses new commands with 424, fails pending actions with a failureReason; error faults show ELEVATED_ERROR_RATE")
    func outage() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
            let (chargerId, deviceId) = try await server.linkSandbox(token: token, user: "ola", vendor: "ZAPTEC", type: "charger", segment: "chargers")
            _ = try await server.send(.post, "/sandbox/devices/\(deviceId)/plug", token: token, json: [:])
            _ = try await server.send(.post, "/sandbox/faults", token: token, json: ["kind": "ignoreCommands", "scope": ["deviceId": .string(deviceId)], "count": 1])
            try await server.advance(token: token, seconds: 600)
            let pending = try await server.send(.post, "/chargers/\(chargerId)/max-current", token: token, json: ["maxCurrent": 10])
            #expect(pending.status == 200 && pending.json?["state"] == "PENDING")
            try await server.advance(token: token, seconds: 5)

            let fault = try await server.send(.post, "/sandbox/faults", token: token, json: ["kind": "outage", "scope": ["vendor": "ZAPTEC"]])
            #expect(fault.status == 201 || fault.status == 200)
            let health = try await server.send(.get, "/health/chargers", token: token).json
            #expect(entry(health, "ZAPTEC")?["status"] == "OUTAGE" && entry(health, "ZAPTEC")?["linkingStatus"] == "OUTAGE")
            #expect(entry(health, "EASEE")?["status"] == "READY")
            #expect(entry(try await server.send(.get, "/integrations", token: token).json, "ZAPTEC")?["status"] == "OUTAGE")
            #expect(entry(try await server.send(.get, "/health/chargers").json, "ZAPTEC")?["status"] == "READY")
            #expect(entry(try await server.send(.get, "/integrations").json, "ZAPTEC")?["status"] == "READY")

            let refused = try await server.send(.post, "/chargers/\(chargerId)/charging", token: token, json: ["action": "STOP"])
            #expect(refused.status == 424 && refused.isProblem && refused.json?["title"] == "Vendor Unavailable" && refused.detail.contains("ZAPTEC"))
            try await server.advance(token: token, seconds: 120)
            let failed = try await server.send(.get, "/chargers/actions/\(pending.json?["id"]?.string ?? "")", token: token).json
            #expect(failed?["state"] == "FAILED" && failed?["failureReason"]?["type"] == "NO_RESPONSE")
            #expect(failed?["failureReason"]?["detail"]?.string?.contains("outage") == true)
            #expect(try await server.send(.get, "/chargers/\(chargerId)", token: token).json?["isReachable"] == false)

            _ = try await server.send(.delete, "/sandbox/faults/\(fault.json?["id"]?.string ?? "")", token: token)
            _ = try await server.send(.post, "/sandbox/faults", token: token, json: ["kind": "rateLimit", "scope": ["vendor": "ZAPTEC"], "probability": 0.3])
            let degraded = try await server.send(.get, "/health/chargers", token: token).json
            #expect(entry(degraded, "ZAPTEC")?["status"] == "ELEVATED_ERROR_RATE")
            let other = try await server.clientToken()
            #expect(entry(try await server.send(.get, "/health/chargers", token: other.token).json, "ZAPTEC")?["status"] == "READY")
            try await server.advance(token: token, seconds: 600, step: 300)
            let accepted = try await server.send(.post, "/chargers/\(chargerId)/max-current", token: token, json: ["maxCurrent": 12])
            #expect(accepted.status == 200, "\(accepted.body)")
        }
    }
}
