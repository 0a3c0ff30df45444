import Foundation
import GridlinkCore
@testable import GridlinkServer
import HTTPTypes
import Testing

@Suite("HEM systems")
struct HemSystemTests {
    /// A paused client with user `hema` linked to a GivEnergy site with an inverter, a battery and a meter; returns the token and the battery id.
    private static func linkedSite(_ server: TestServer) async throws -> (token: String, batteryId: String) {
        let token = try await server.pausedClientToken()
        let account = try await server.send(.post, "/sandbox/accounts", token: token, json: [
            "vendor": "GIVENERGY", "username": "hema", "devices": [["type": "inverter"], ["type": "battery"], ["type": "meter"]],
        ])
        #expect(account.status == 201 || account.status == 200, "\(account.body)")
        let (batteryId, _) = try await server.linkSandbox(token: token, user: "hema", vendor: "GIVENERGY", type: "battery", segment: "batteries")
        return (token, batteryId)
    }

    @Test("a user's inverter, battery and meter of one vendor site form one HEM system, listed with its members and status")
    func listAndStatus() async throws {
        try await TestServer.run(clock: ManualClock(start: SmartChargingTests.evening)) { server in
            let (token, batteryId) = try await Self.linkedSite(server)
            try await server.advance(token: token, seconds: 3600, step: 900)
            let list = try await server.send(.get, "/hem-systems", token: token)
            let systems = try #require(list.json?["data"]?.array, "\(list.body)")
            #expect(systems.count == 1 && list.json?["pagination"]?["after"] == .null, "\(list.body)")
            let system = systems[0]
            let id = try #require(system["id"]?.string)
            #expect(system["userId"] == "hema" && system["vendor"] == "GIVENERGY")
            #expect(system["assets"]?["batteryIds"] == [.string(batteryId)])
            #expect(system["assets"]?["inverterIds"]?.array?.count == 1 && system["assets"]?["meterIds"]?.array?.count == 1)
            #expect(try await server.send(.get, "/hem-systems/", token: token).json?["data"]?.array?.count == 1)

            let battery = try await server.send(.get, "/batteries/\(batteryId)", token: token)
            #expect(battery.json?["hemSystemId"] == .string(id), "\(battery.body)")

            let status = try await server.send(.get, "/hem-systems/\(id)", token: token)
            let power = try #require(status.json?["power"], "\(status.body)")
            for flow in ["generation", "consumption", "charge", "discharge", "import", "export"] {
                #expect((power[flow]?.number ?? -1) >= 0, "\(flow): \(status.body)")
            }
            let balance = (power["import"]?.number ?? 0) - (power["export"]?.number ?? 0) + (power["generation"]?.number ?? 0)
                + (power["discharge"]?.number ?? 0) - (power["charge"]?.number ?? 0)
            #expect(abs(balance - (power["consumption"]?.number ?? 0)) < 0.01 && (power["consumption"]?.number ?? 0) > 0, "\(status.body)")
            #expect(status.json?["batteryLevel"]?.number != nil && status.json?["lastUpdated"]?.string != nil && status.json?["timezone"] == "GMT")

            let missing = try await server.send(.get, "/hem-systems/00000000-0000-5000-8000-000000000000", token: token)
            #expect(missing.status == 404 && missing.isProblem)
            #expect(try await server.send(.get, "/hem-systems/nope/statistics?interval=2026-01-02", token: token).status == 404)
        }
    }

    @Test("HEM statistics report a day by quarter-hour and a month by day from member telemetry, and the flows balance")
    func statistics() async throws {
        try await TestServer.run(clock: ManualClock(start: SmartChargingTests.evening)) { server in
            let (token, _) = try await Self.linkedSite(server)
            try await server.advance(token: token, seconds: 86_400, step: 900)
            let id = try #require(try await server.send(.get, "/hem-systems", token: token).json?["data"]?.array?.first?["id"]?.string)

            let day = try await server.send(.get, "/hem-systems/\(id)/statistics?interval=2026-01-02", token: token)
            let series = try #require(day.json?["timeseries"], "\(day.body)")
            func values(_ name: String) -> [Double] { series[name]?["data"]?.array?.compactMap { $0["v"]?.number } ?? [] }
            // Without a location the system follows GMT; the day has begun at 00:00 and it is 17:00: 68 quarter-hours so far.
            for name in ["generation", "import", "export", "charge", "discharge", "consumption"] {
                #expect(values(name).count == 68 && values(name).allSatisfy { $0 >= 0 }, "\(name): \(values(name))")
                #expect(series[name]?["isAvailable"] == true && series[name]?["unit"] == "kWh" && series[name]?["timezone"] == "GMT")
                #expect(series[name]?["sampling"]?["resolution"] == "QUARTER_HOUR")
            }
            #expect(series["import"]?["data"]?.array?.first?["t"] == "2026-01-02T00:00:00.000Z")
            let (imported, exported, generated) = (values("import"), values("export"), values("generation"))
            let (charged, discharged, consumed) = (values("charge"), values("discharge"), values("consumption"))
            for index in consumed.indices {
                let formula = imported[index] - exported[index] + generated[index] + discharged[index] - charged[index]
                #expect(abs(formula - consumed[index]) < 0.005, "quarter \(index): \(formula) vs \(consumed[index])")
            }
            #expect(consumed.reduce(0, +) > 1 && imported.reduce(0, +) > 0 && generated.reduce(0, +) > 0)
            #expect(charged.reduce(0, +) + discharged.reduce(0, +) > 0)
            let levels = values("batteryLevel")
            #expect(!levels.isEmpty && levels.allSatisfy { (0...100).contains($0) } && series["batteryLevel"]?["isAvailable"] == true)

            let month = try await server.send(.get, "/hem-systems/\(id)/statistics?interval=2026-01", token: token)
            let monthly = try #require(month.json?["timeseries"], "\(month.body)")
            let days = monthly["consumption"]?["data"]?.array ?? []
            #expect(days.count == 2 && monthly["consumption"]?["sampling"]?["resolution"] == "DAY", "\(days)")
            let dayTotal = consumed.reduce(0, +)
            #expect((days[1]["v"]?.number ?? 0) >= dayTotal - 0.05, "the 2nd of January holds at least its first 17 hours")
            #expect(monthly["batteryLevel"]?["isAvailable"] == false && monthly["batteryLevel"]?["data"] == [])

            for bad in ["2026-1-02", "2026-13", "2026-02-30", "yesterday", "1999-12", "2026-01-02T00:00"] {
                let reply = try await server.send(.get, "/hem-systems/\(id)/statistics?interval=\(bad)", token: token)
                #expect(reply.status == 400 && reply.isProblem && reply.detail.contains("interval"), "\(bad): \(reply.body)")
            }
        }
    }

    @Test("a system without a battery or an inverter reports those series as unavailable")
    func partialSystem() async throws {
        try await TestServer.run(clock: ManualClock(start: SmartChargingTests.evening)) { server in
            let token = try await server.pausedClientToken()
            _ = try await server.send(.post, "/sandbox/accounts", token: token, json: [
                "vendor": "GIVENERGY", "username": "mo", "devices": [["type": "meter"]],
            ])
            _ = try await server.linkSandbox(token: token, user: "mo", vendor: "GIVENERGY", type: "meter", segment: "meters")
            try await server.advance(token: token, seconds: 3600, step: 900)
            let id = try #require(try await server.send(.get, "/hem-systems", token: token).json?["data"]?.array?.first?["id"]?.string)
            let series = try #require(try await server.send(.get, "/hem-systems/\(id)/statistics?interval=2026-01-01", token: token).json?["timeseries"])
            for name in ["charge", "discharge", "batteryLevel", "generation"] {
                #expect(series[name]?["isAvailable"] == false && series[name]?["data"] == [], "\(name)")
            }
            #expect(series["import"]?["isAvailable"] == true && series["consumption"]?["data"]?.array?.isEmpty == false)
            let status = try await server.send(.get, "/hem-systems/\(id)", token: token)
            #expect(status.json?["power"]?["charge"] == .null && status.json?["batteryLevel"] == .null && status.json?["power"]?["import"] != .null)
        }
    }

    @Test("HEM systems exist from 2024-10-01; older versions answer 404 and batteries lose hemSystemId")
    func versionGate() async throws {
        try await TestServer.run(clock: ManualClock(start: SmartChargingTests.evening)) { server in
            let (token, batteryId) = try await Self.linkedSite(server)
            let older: HTTPFields = [HTTPField.Name("Enode-Version")!: "2024-01-01"]
            let list = try await server.send(.get, "/hem-systems", token: token, headers: older, body: nil)
            #expect(list.status == 404 && list.isProblem, "\(list.body)")
            let current = try await server.send(.get, "/batteries/\(batteryId)", token: token)
            #expect(current.json?["hemSystemId"]?.string != nil, "\(current.body)")
            let battery = try await server.send(.get, "/batteries/\(batteryId)", token: token, headers: older, body: nil)
            #expect(battery.status == 200 && battery.json?["hemSystemId"] == nil && battery.json?["id"] == .string(batteryId), "\(battery.body)")
        }
    }
}
