import Foundation
import GridlinkCore
@testable import GridlinkServer
import HTTPTypes
import Testing

@Suite("Input bounds: repeated list values and dates")
struct InputBoundsTests {
    @Test("repeated webhook events are kept once, in first-occurrence order, on create and update")
    func webhookEvents() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let secret = String(repeating: "ab", count: 16)
            let repeated: JSONValue = .array(Array(repeating: "user:vehicle:updated", count: 1_000) + ["user:charger:updated", "user:vehicle:updated"])
            let created = try await server.send(.post, "/webhooks", token: token, json: ["url": "http://127.0.0.1:9/hook", "secret": .string(secret), "events": repeated])
            #expect(created.status == 200, "\(created.body)")
            #expect(created.json?["events"] == ["user:vehicle:updated", "user:charger:updated"], "\(created.body)")
            let id = created.json?["id"]?.string ?? ""
            let updated = try await server.send(.patch, "/webhooks/\(id)", token: token, json: ["events": ["user:charger:updated", "user:charger:updated", "*"]])
            #expect(updated.json?["events"] == ["user:charger:updated", "*"], "\(updated.body)")
        }
    }

    @Test("repeated link scopes are kept once: the consent page lists each scope once")
    func linkScopes() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let scopes: JSONValue = .array(Array(repeating: "vehicle:read:data", count: 500) + ["vehicle:control:charging", "vehicle:read:data"])
            let session = try await server.send(.post, "/users/ulla/link", token: token, json: [
                "vendorType": "vehicle", "vendor": "KIA", "scopes": scopes, "language": "en-US", "redirectUri": "https://app.example.com"])
            #expect(session.status == 200, "\(session.body)")
            let url = session.json?["linkUrl"]?.string ?? ""
            let path = String(url[try #require(url.range(of: "/link/")).lowerBound...])
            let page = try await server.send(.get, path)
            #expect(page.body.components(separatedBy: "class=\"check\"").count - 1 == 2, "\(page.body)")
        }
    }

    @Test("repeated sandbox interventionIds are kept once, after ids are read case-insensitively")
    func interventionIds() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let account = try await server.send(.post, "/sandbox/accounts", token: token, json: ["vendor": "KIA", "devices": [["type": "vehicle"]]])
            let deviceId = try #require(account.json?["deviceIds"]?.array?.first?.string, "\(account.body)")
            let relink = InterventionCatalogue.relink.id
            let ids: JSONValue = .array(Array(repeating: .string(relink), count: 300) + [.string(relink.uppercased())])
            let reply = try await server.send(.put, "/sandbox/devices/\(deviceId)/capabilities/location", token: token, json: ["isCapable": false, "interventionIds": ids])
            #expect(reply.status == 200, "\(reply.body)")
            #expect(reply.json?["capabilities"]?["location"]?["interventionIds"] == [.string(relink)], "\(reply.body)")
        }
    }

    @Test("dates outside 2000-01-01 … 2100-01-01 are 400 naming the field: price uploads and ranges, statistics, schedule rules")
    func dates() async throws {
        try await TestServer.run { server in
            let (clientId, token) = try await server.clientToken()
            for (start, end, field) in [
                ("99999-01-01T00:00:00Z", "99999-01-01T01:00:00Z", "prices[0].start"),
                ("1999-12-31T23:00:00Z", "2000-01-01T00:00:00Z", "prices[0].start"),
                ("2099-12-31T23:00:00Z", "2100-01-01T01:00:00Z", "prices[0].end"),
            ] {
                let reply = try await server.send(.put, "/sandbox/prices/NO1", token: token, json: ["prices": [["start": .string(start), "end": .string(end), "price": 1]]])
                #expect(reply.status == 400 && reply.isProblem && reply.detail.contains("\"\(field)\"") && reply.detail.contains("2100-01-01"), "\(start): \(reply.body)")
            }
            let edge = try await server.send(.put, "/sandbox/prices/NO1", token: token, json: [
                "prices": [["start": "2000-01-01T00:00:00Z", "end": "2000-01-01T01:00:00Z", "price": 1]]])
            #expect(edge.status == 204, "\(edge.body)")
            for (query, field) in [("from=1970-01-01T00:00:00Z", "from"), ("from=2150-01-01T00:00:00Z&to=2150-01-02T00:00:00Z", "from"),
                                   ("from=2099-12-31T12:00:00Z&to=2100-01-01T12:00:00Z", "to")] {
                let reply = try await server.send(.get, "/sandbox/prices?area=NO1&\(query)", token: token)
                #expect(reply.status == 400 && reply.detail.contains("\"\(field)\""), "\(query): \(reply.body)")
                let delete = try await server.send(.delete, "/sandbox/prices/NO1?\(query)", token: token)
                #expect(delete.status == 400 && delete.detail.contains("\"\(field)\""), "\(query): \(delete.body)")
            }

            try await server.createUser("ada", clientId: clientId)
            for (query, field) in [("startDate=1999-12-31T00:00:00Z&endDate=2000-01-02T00:00:00Z", "startDate"),
                                   ("startDate=2099-12-31&endDate=2100-01-02", "endDate")] {
                let reply = try await server.send(.get, "/users/ada/statistics/charging?type=vehicle&\(query)", token: token)
                #expect(reply.status == 400 && reply.detail.contains("\"\(field)\""), "\(query): \(reply.body)")
            }

            let (vehicleId, _) = try await server.linkSandbox(token: token, user: "ada", vendor: "KIA", type: "vehicle", segment: "vehicles")
            let schedule = try await server.send(.post, "/users/ada/schedules", token: token, json: [
                "targetId": .string(vehicleId), "targetType": "vehicle", "defaultShouldCharge": true,
                "rules": [["fromTimestamp": "2026-01-01T00:00:00Z", "toTimestamp": "9999-01-01T00:00:00Z", "shouldCharge": false]]])
            #expect(schedule.status == 400 && schedule.detail.contains("\"rules[0].toTimestamp\""), "\(schedule.body)")
        }
    }
}
