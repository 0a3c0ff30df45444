import Foundation
import GridlinkCore
@testable import GridlinkServer
import HTTPTypes
import Testing

@Suite("Statistics")
struct StatisticsTests {
    @Test("bad statistics queries are 400 problems naming the parameter; an unknown user is 404")
    func validation() async throws {
        try await TestServer.run(clock: ManualClock(start: SmartChargingTests.evening)) { server in
            let (clientId, token) = try await server.clientToken()
            try await server.createUser("ada", clientId: clientId)
            let base = "/users/ada/statistics/charging"
            for (query, name) in [("startDate=2026-01-01T00:00:00Z", "type"), ("type=vehicle", "startDate"), ("type=boat&startDate=2026-01-01T00:00:00Z", "type"),
                                  ("type=vehicle&startDate=yesterday", "startDate"), ("type=vehicle&startDate=2026-01-02T00:00:00Z&endDate=2026-01-01T00:00:00Z", "endDate"),
                                  ("type=vehicle&startDate=2026-01-01T00:00:00Z&resolution=MINUTE", "resolution"),
                                  ("type=vehicle&startDate=2026-01-01T00:00:00Z&utcOffset=abc", "utcOffset"),
                                  ("type=vehicle&startDate=2020-01-01T00:00:00Z&resolution=QUARTER_HOUR", "400 days")] {
                let reply = try await server.send(.get, "\(base)?\(query)", token: token)
                #expect(reply.status == 400 && reply.detail.contains(name), "\(query): \(reply.body)")
            }
            #expect(try await server.send(.get, "/users/nobody/statistics/charging?type=vehicle&startDate=2026-01-01T00:00:00Z", token: token).status == 404)
            let empty = try await server.send(.get, "\(base)?type=hvac&startDate=2026-01-01T00:00:00Z&endDate=2026-01-03T00:00:00Z", token: token)
            #expect(empty.json?.array?.count == 2 && empty.json?.array?.first?["kwhSum"] == 0, "\(empty.body)")
            #expect(empty.json?.array?.first?["estimatedSavings"] == .null)
            // The end date is not rounded up to the next bucket, except when it equals the start.
            let same = try await server.send(.get, "\(base)?type=hvac&startDate=2026-01-01T10:00:00Z&endDate=2026-01-01T10:00:00Z", token: token)
            #expect(same.json?.array?.count == 1 && same.json?.array?.first?["date"] == "2026-01-01T00:00:00.000Z", "\(same.body)")
        }
    }

    @Test("an HVAC's consumption and an inverter's production are recorded and reported; deprecated routes keep their older fields")
    func consumptionAndProduction() async throws {
        try await TestServer.run(clock: ManualClock(start: SmartChargingTests.evening)) { server in
            let (clientId, token) = try await server.clientToken()
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
            let (hvacId, _) = try await server.linkSandbox(token: token, user: "bo", vendor: "DAIKIN", type: "hvac", segment: "hvacs")
            let (inverterId, _) = try await server.linkSandbox(token: token, user: "bo", vendor: "SMA", type: "inverter", segment: "inverters")
            try await server.advance(token: token, seconds: 86_400, step: 900)
            let range = "startDate=2026-01-01T17:00:00Z&endDate=2026-01-02T17:00:00Z"
            let hvac = try await server.send(.get, "/users/bo/statistics/charging?type=hvac&id=\(hvacId)&resolution=HOUR&\(range)", token: token)
            let hours = try #require(hvac.json?.array, "\(hvac.body)")
            #expect(hours.count == 24 && hours.reduce(0) { $0 + ($1["kwhSum"]?.number ?? 0) } > 0, "\(hvac.body)")

            let month = try await server.send(.get, "/inverters/\(inverterId)/statistics?year=2026&month=1", token: token)
            #expect(month.status == 202 && month.json?["retryAfter"]?.string != nil, "\(month.body)")
            let days = month.json?["resolutions"]?["DAY"]?["data"]?.array ?? []
            #expect(days.count == 31 && days[2]["value"] == .null && (days[1]["value"]?.number ?? 0) > 0, "\(days.prefix(3))")
            let day = try await server.send(.get, "/inverters/\(inverterId)/statistics?year=2026&month=1&day=2", token: token)
            #expect(day.json?["resolutions"]?["QUARTER_HOUR"]?["data"]?.array?.count == 96 && day.json?["resolutions"]?["QUARTER_HOUR"]?["unit"] == "kWh")
            #expect(try await server.send(.get, "/inverters/\(inverterId)/statistics?year=2026&month=13", token: token).status == 400)
            // The first sample after midnight announces the finished day.
            let announcements = try await server.store.read { try await $0.outboxEvents(clientId: clientId) }.filter { $0.name == "user:inverter:statistics-updated" }
            let announced = try JSONDecoder().decode(JSONValue.self, from: Data(try #require(announcements.first).payload.utf8))
            #expect(announcements.count == 1 && announced["inverter"]?["id"] == .string(inverterId) && announced["statistics"]?["day"] == 1, "\(announced)")
            #expect(try await server.send(.get, "/inverters/\(inverterId)/statistics?year=2026&month=2&day=30", token: token).status == 400)

            let older: HTTPFields = [HTTPField.Name("Enode-Version")!: "2023-05-01", HTTPField.Name("Enode-User-Id")!: "bo"]
            // Deprecated vendor statistics: buckets from the start's bucket (not shifted to midnight), a month at most.
            let vendor = try await server.send(.get, "/inverters/\(inverterId)/vendor-statistics?resolution=HOUR&startDate=2026-01-02T09:30:00Z&endDate=2026-01-02T15:00:00Z",
                                               token: token, headers: older, body: nil)
            let hourly = vendor.json?["production"]?["data"]?.array ?? []
            #expect(hourly.count == 6 && hourly.first?["date"] == "2026-01-02T09:00:00.000Z" && hourly.contains { ($0["value"]?.number ?? 0) > 0 }, "\(vendor.body)")
            #expect(try await server.send(.get, "/inverters/\(inverterId)/vendor-statistics?resolution=HOUR&startDate=2026-01-01T00:00:00Z&endDate=2026-03-01T00:00:00Z",
                                          token: token, headers: older, body: nil).status == 400)
            #expect(try await server.send(.get, "/inverters/\(inverterId)/vendor-statistics?startDate=2026-01-01T00:00:00Z", token: token, headers: older, body: nil).status == 400)
            let legacy = try await server.send(.get, "/statistics/charging?type=hvac&\(range)", token: token, headers: older, body: nil)
            #expect(legacy.json?.array?.first?["smartSession"] == false && legacy.json?.array?.first?["nonSmartCostSum"] == .null, "\(legacy.body)")
            let production = try await server.send(.get, "/statistics/production?\(range)", token: token, headers: older, body: nil)
            #expect((production.json?.array?.reduce(0) { $0 + ($1["kwhSum"]?.number ?? 0) } ?? 0) > 0 && production.json?.array?.first?["earningsSum"] != nil,
                    "\(production.body)")
            #expect(try await server.send(.get, "/statistics/charging?type=hvac&\(range)", token: token).status == 404)
            #expect(try await server.send(.get, "/inverters/\(inverterId)/statistics?year=2026&month=1", token: token,
                                          headers: [HTTPField.Name("Enode-Version")!: "2024-01-01"], body: nil).status == 404)
        }
    }
}
