import Foundation
import GridlinkCore
@testable import GridlinkServer
import Testing

@Suite("Uploaded prices belong to their client")
struct PriceIsolationTests {
    private static let day = "from=2026-02-03T00:00:00Z&to=2026-02-04T00:00:00Z"
    private static let start = Date(timeIntervalSince1970: 1_770_076_800)  // 2026-02-03T00:00:00Z

    /// One uploaded hour at the start of the test day.
    private static func upload(_ price: Double) -> JSONValue {
        ["prices": [["start": "2026-02-03T00:00:00Z", "end": "2026-02-03T01:00:00Z", "price": .number(price)]]]
    }

    private static func firstPrice(_ server: TestServer, token: String) async throws -> JSONValue? {
        try await server.send(.get, "/sandbox/prices?area=DE-LU&\(day)", token: token).json?["prices"]?.array?.first?["price"]
    }

    @Test("client A's upload is A's alone: B and a third client see their own upload or the market, A's DELETE leaves B's upload")
    func routes() async throws {
        try await TestServer.run { server in
            let (_, a) = try await server.clientToken()
            let (_, b) = try await server.clientToken()
            let (_, c) = try await server.clientToken()
            let market = try await Self.firstPrice(server, token: c)
            #expect(market != nil && market != 0.01 && market != 0.02)

            #expect(try await server.send(.put, "/sandbox/prices/DE-LU", token: a, json: Self.upload(0.01)).status == 204)
            #expect(try await Self.firstPrice(server, token: a) == 0.01)
            #expect(try await Self.firstPrice(server, token: b) == market)
            #expect(try await Self.firstPrice(server, token: c) == market)

            #expect(try await server.send(.put, "/sandbox/prices/DE-LU", token: b, json: Self.upload(0.02)).status == 204)
            #expect(try await Self.firstPrice(server, token: a) == 0.01)
            #expect(try await Self.firstPrice(server, token: b) == 0.02)

            #expect(try await server.send(.delete, "/sandbox/prices/DE-LU?\(Self.day)", token: a).status == 204)
            #expect(try await Self.firstPrice(server, token: a) == market)
            #expect(try await Self.firstPrice(server, token: b) == 0.02)
            #expect(try await Self.firstPrice(server, token: c) == market)
        }
    }

    @Test("the price service behind smart charging and statistics reads each location's own client: uploads for the uploader, the market for others and production")
    func priceService() async throws {
        try await TestServer.run { server in
            let (aId, a) = try await server.clientToken()
            let (bId, _) = try await server.clientToken()
            let (productionId, _) = try await server.clientToken(environment: .production)
            #expect(try await server.send(.put, "/sandbox/prices/DE-LU", token: a, json: Self.upload(0.01)).status == 204)

            let service = PriceService(store: server.store)
            // Berlin lies in DE-LU.
            func firstSlot(of clientId: String) async throws -> LocationPrice? {
                let location = Location(id: "home-\(clientId)", clientId: clientId, userId: "u", name: "Home", latitude: 52.52, longitude: 13.4,
                                        timezoneName: "Europe/Berlin", createdAt: Self.start)
                let priced = try await service.prices(for: location, from: Self.start, to: Self.start.addingTimeInterval(3600), slotMinutes: 15)
                #expect(priced.area.code == "DE-LU")
                return priced.prices.first
            }
            let market = PriceService.market.prices(area: try #require(PriceArea.named("DE-LU")), from: Self.start, to: Self.start.addingTimeInterval(900), slotMinutes: 15)
            #expect(try await firstSlot(of: aId)?.slot.price == 0.01)
            #expect(try await firstSlot(of: bId)?.slot.price == market.first?.price)
            #expect(try await firstSlot(of: productionId)?.slot.price == market.first?.price)
            #expect(try await firstSlot(of: productionId)?.source == "MARKET")
        }
    }
}
