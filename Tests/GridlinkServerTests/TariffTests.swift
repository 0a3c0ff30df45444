import Foundation
import GridlinkCore
@testable import GridlinkServer
import Testing

@Suite("Tariffs and prices")
struct TariffTests {
    /// The reference's example intervals (PUT /charging-locations/{id}/tariff).
    private static let referenceIntervals: JSONValue = [
        ["name": "OFF-PEAK-WEEKDAY", "from": "00:00", "to": "12:00", "weekdays": [0, 1, 2, 3, 4]],
        ["name": "PEAK-WEEKDAY", "from": "12:00", "to": "24:00", "weekdays": [0, 1, 2, 3, 4]],
        ["name": "OFF-PEAK-WEEKEND", "weekdays": [5, 6], "from": "00:00", "to": "06:00"],
        ["name": "PEAK-WEEKEND", "weekdays": [5, 6], "from": "06:00", "to": "24:00"],
    ]
    private static let rates: JSONValue = [
        ["name": "OFF-PEAK-WEEKDAY", "cost": "0.50"], ["name": "PEAK-WEEKDAY", "cost": "2.25"],
        ["name": "OFF-PEAK-WEEKEND", "cost": "0.40"], ["name": "PEAK-WEEKEND", "cost": "1.10"],
    ]

    @Test("tariff rates: create, read, validation, 404")
    func rates() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            #expect(try await server.send(.put, "/tariffs/FLEX-TARIFF-A", token: token, json: Self.rates).status == 204)
            #expect(try await server.send(.get, "/tariffs/FLEX-TARIFF-A", token: token).json == Self.rates)
            for (body, message) in [
                ([["name": "PEAK", "cost": 13.37]] as JSONValue, "\"[0].cost\" is required"),
                ([["name": "PEAK", "cost": "13,37"]], "\"[0].cost\" must be a decimal string"),
                ([["name": "PEAK", "cost": "1"], ["name": "PEAK", "cost": "2"]], "repeats the rate"),
                (["name": "PEAK"], "JSON array"),
            ] {
                let reply = try await server.send(.put, "/tariffs/T2", token: token, json: body)
                #expect(reply.status == 400 && reply.detail.contains(message), "\(reply.body)")
            }
            #expect(try await server.send(.get, "/tariffs/T2", token: token).status == 404)
            let (_, other) = try await server.clientToken()
            #expect(try await server.send(.get, "/tariffs/FLEX-TARIFF-A", token: other).status == 404)
        }
    }

    @Test("linking the reference's intervals: overlaps are 400, GET answers UTC intervals split at UTC midnight, prices follow the tariff")
    func linkAndPrices() async throws {
        // 2026-01-05 is a Monday; Oslo is UTC+1 in January.
        try await TestServer.run(clock: ManualClock(start: Date(timeIntervalSince1970: 1_767_571_200))) { server in
            let (_, token) = try await server.clientToken()
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
            _ = try await server.send(.put, "/tariffs/FLEX-TARIFF-A", token: token, json: Self.rates)
            let oslo = try await server.send(.post, "/users/tia/locations", token: token, json: [
                "name": "Home", "latitude": 59.91, "longitude": 10.75, "timezoneName": "Europe/Oslo"]).json?["id"]?.string ?? ""

            var overlapping = Self.referenceIntervals.array ?? []
            overlapping.append(["name": "PEAK-WEEKDAY", "from": "11:00", "to": "13:00", "weekdays": [2]])
            let overlap = try await server.send(.put, "/locations/\(oslo)/tariff", token: token, json: ["tariffId": "FLEX-TARIFF-A", "tariffIntervals": .array(overlapping)])
            #expect(overlap.status == 400 && overlap.detail.contains("Overlapping tariff schedule"), "\(overlap.body)")
            let unknownRate = try await server.send(.put, "/locations/\(oslo)/tariff", token: token, json: [
                "tariffId": "FLEX-TARIFF-A", "tariffIntervals": [["name": "NIGHT", "from": "00:00", "to": "06:00"]]])
            #expect(unknownRate.status == 400 && unknownRate.detail.contains("tariffIntervals[0].name"))
            #expect(try await server.send(.put, "/locations/\(oslo)/tariff", token: token, json: ["tariffId": "NOPE", "tariffIntervals": []]).status == 404)
            #expect(try await server.send(.put, "/locations/nowhere/tariff", token: token, json: ["tariffId": "FLEX-TARIFF-A", "tariffIntervals": []]).status == 404)

            let linked = try await server.send(.put, "/locations/\(oslo)/tariff", token: token, json: ["tariffId": "FLEX-TARIFF-A", "tariffIntervals": Self.referenceIntervals])
            #expect(linked.status == 204, "\(linked.body)")
            let schedule = try await server.send(.get, "/locations/\(oslo)/tariff", token: token).json?.array ?? []
            // Monday 00:00–12:00 Oslo = Sunday 23:00–24:00 + Monday 00:00–11:00 UTC; a week covers 7 × 24 h.
            #expect(schedule.contains(["weekday": 6, "fromHourMinute": "23:00", "toHourMinute": "24:00", "tariffId": "FLEX-TARIFF-A", "tariffName": "OFF-PEAK-WEEKDAY"]))
            #expect(schedule.contains(["weekday": 0, "fromHourMinute": "00:00", "toHourMinute": "11:00", "tariffId": "FLEX-TARIFF-A", "tariffName": "OFF-PEAK-WEEKDAY"]))
            #expect(schedule.contains(["weekday": 0, "fromHourMinute": "11:00", "toHourMinute": "23:00", "tariffId": "FLEX-TARIFF-A", "tariffName": "PEAK-WEEKDAY"]))
            let minutes = schedule.reduce(0) { total, entry in
                let from = ClockTime(entry["fromHourMinute"]?.string ?? "")?.minutes ?? 0
                return total + (ClockTime(entry["toHourMinute"]?.string ?? "")?.minutes ?? 0) - from
            }
            #expect(minutes == 7 * 24 * 60)

            // Monday 10:00 UTC is 11:00 Oslo (off-peak), 12:00 UTC is 13:00 Oslo (peak).
            let prices = try await server.send(.get, "/sandbox/locations/\(oslo)/prices?from=2026-01-05T10:00:00Z&to=2026-01-05T14:00:00Z", token: token)
            let slots = prices.json?["prices"]?.array ?? []
            #expect(prices.json?["area"] == "NO1" && slots.count == 4)
            #expect(slots.first?["price"] == 0.5 && slots.first?["source"] == "TARIFF" && slots.first?["rateName"] == "OFF-PEAK-WEEKDAY")
            #expect(slots.last?["price"] == 2.25 && slots.last?["rateName"] == "PEAK-WEEKDAY")

            // A gap falls back to the market.
            _ = try await server.send(.put, "/locations/\(oslo)/tariff", token: token, json: [
                "tariffId": "FLEX-TARIFF-A", "tariffIntervals": [["name": "PEAK-WEEKDAY", "from": "12:00", "to": "24:00"]]])
            let gap = try await server.send(.get, "/sandbox/locations/\(oslo)/prices?from=2026-01-05T10:00:00Z&to=2026-01-05T12:00:00Z", token: token)
            #expect(gap.json?["prices"]?.array?.first?["source"] == "MARKET")
        }
    }

    @Test("the sandbox market: hourly and quarter-hour slots, a daily shape, deterministic, replaceable by uploads")
    func market() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let day = "from=2026-02-03T00:00:00Z&to=2026-02-04T00:00:00Z"
            let hourly = try await server.send(.get, "/sandbox/prices?area=DE-LU&\(day)", token: token).json
            let slots = hourly?["prices"]?.array ?? []
            #expect(slots.count == 24 && hourly?["currency"] == "EUR")
            #expect(try await server.send(.get, "/sandbox/prices?area=DE-LU&\(day)", token: token).json == hourly)
            let quarters = try await server.send(.get, "/sandbox/prices?area=DE-LU&\(day)&resolution=QUARTER_HOUR", token: token).json?["prices"]?.array ?? []
            #expect(quarters.count == 96)
            let price = { (index: Int) in slots[index]["price"]?.number ?? 0 }
            let night = (1...4).map(price).reduce(0, +) / 4  // 02:00–05:00 Berlin
            let evening = (16...19).map(price).reduce(0, +) / 4  // 17:00–20:00 Berlin
            #expect(night < evening * 0.75, "night \(night) evening \(evening)")

            let upload = try await server.send(.put, "/sandbox/prices/DE-LU", token: token, json: [
                "prices": [["start": "2026-02-03T00:00:00Z", "end": "2026-02-03T01:00:00Z", "price": 0.01]]])
            #expect(upload.status == 204, "\(upload.body)")
            let replaced = try await server.send(.get, "/sandbox/prices?area=DE-LU&\(day)&resolution=QUARTER_HOUR", token: token).json?["prices"]?.array ?? []
            #expect(replaced.prefix(4).allSatisfy { $0["price"] == 0.01 } && replaced[4] == quarters[4])
            #expect(try await server.send(.get, "/sandbox/prices?area=MOON", token: token).status == 400)
            #expect(try await server.send(.get, "/sandbox/prices?area=NO1&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", token: token).status == 400)
            _ = try await server.send(.delete, "/sandbox/prices/DE-LU?\(day)", token: token)
            #expect(try await server.send(.get, "/sandbox/prices?area=DE-LU&\(day)", token: token).json == hourly)
        }
    }

    @Test("before 2023-08-01 the tariff link lives under /charging-locations")
    func legacyRoutes() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken(version: .v2023_04_15)
            _ = try await server.send(.put, "/tariffs/FLEX-TARIFF-A", token: token, json: Self.rates)
            let location = try await server.send(.post, "/charging-locations", token: token, headers: [.enodeUserId: "old"],
                                                 json: ["name": "Home", "latitude": 1, "longitude": 1]).json?["id"]?.string ?? ""
            let linked = try await server.send(.put, "/charging-locations/\(location)/tariff", token: token,
                                               json: ["tariffId": "FLEX-TARIFF-A", "tariffIntervals": Self.referenceIntervals])
            #expect(linked.status == 204, "\(linked.body)")
            let schedule = try await server.send(.get, "/charging-locations/\(location)/tariff", token: token).json?.array ?? []
            #expect(schedule.first == ["weekday": 0, "fromHourMinute": "00:00", "toHourMinute": "12:00", "tariffId": "FLEX-TARIFF-A", "tariffName": "OFF-PEAK-WEEKDAY"])
            #expect(try await server.send(.get, "/locations/\(location)/tariff", token: token).status == 404)
        }
    }
}
