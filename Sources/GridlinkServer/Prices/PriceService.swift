import Foundation
import GridlinkCore
import GridlinkStore

/// A priced slot with where its price came from.
struct LocationPrice: Sendable, Equatable {
    /// The slot and its price per kWh.
    let slot: PriceSlot
    /// `TARIFF` (the location's linked tariff) or `MARKET` (the area's spot price).
    let source: String
    /// The tariff rate's name for `TARIFF` slots.
    let rateName: String?
}

/// The one place prices come from: a location's linked tariff where its intervals cover a slot, else the area's
/// market price (a price the location's client uploaded, else the sandbox market model). Uploaded prices belong to
/// the client that uploaded them: every read names the client.
struct PriceService: Sendable {
    let store: Store
    /// The sandbox market; fixed seed, so every deployment sees the same curve.
    static let market = MarketPriceModel(seed: 20_241_001)

    /// Whether prices exist for a location: a linked tariff, or a market area within reach.
    static func hasPrices(at location: Location, in session: StoreSession) async throws -> Bool {
        try await session.tariffLink(locationId: location.id) != nil || PriceArea.covering(latitude: location.latitude, longitude: location.longitude) != nil
    }

    /// The area's market prices for `[from, to)` in slots of `slotMinutes`, as `clientId` sees them: its uploads
    /// over the sandbox market.
    func marketPrices(clientId: String, area: PriceArea, from: Date, to: Date, slotMinutes: Int) async throws -> [PriceSlot] {
        let uploaded = try await store.read { try await $0.prices(clientId: clientId, area: area.code, from: from, to: to) }
        return Self.market.prices(area: area, from: from, to: to, slotMinutes: slotMinutes).map { slot in
            guard let upload = uploaded.first(where: { $0.start <= slot.start && slot.start < $0.end }) else { return slot }
            return PriceSlot(start: slot.start, end: slot.end, price: upload.price)
        }
    }

    /// A location's prices for `[from, to)`: tariff rates where linked intervals apply, market prices in the gaps.
    func prices(for location: Location, from: Date, to: Date, slotMinutes: Int) async throws -> (area: PriceArea, prices: [LocationPrice]) {
        let area = PriceArea.nearest(latitude: location.latitude, longitude: location.longitude)
        let market = try await marketPrices(clientId: location.clientId, area: area, from: from, to: to, slotMinutes: slotMinutes)
        let tariff = try await store.read { session -> (link: LocationTariffLink, rates: [TariffRate])? in
            guard let link = try await session.tariffLink(locationId: location.id),
                  let rates = try await session.tariffRates(clientId: location.clientId, id: link.tariffId) else { return nil }
            return (link, try TariffRates.parse(rates))
        }
        guard let tariff, let intervals = try? TariffSchedule.intervals(from: tariff.link.intervals, rates: nil) else {
            return (area, market.map { LocationPrice(slot: $0, source: "MARKET", rateName: nil) })
        }
        return (area, market.map { slot in
            guard let name = TariffSchedule.rateName(at: slot.start, intervals: intervals, timeZone: location.timeZone),
                  let rate = tariff.rates.first(where: { $0.name == name }) else {
                return LocationPrice(slot: slot, source: "MARKET", rateName: nil)
            }
            return LocationPrice(slot: PriceSlot(start: slot.start, end: slot.end, price: rate.value), source: "TARIFF", rateName: name)
        })
    }
}

/// Parsing of a tariff's rates (`PUT /tariffs/{id}` body, and the stored copy).
enum TariffRates {
    /// The rates of a `[{name, cost}]` array; a 400 problem names the offending field.
    static func parse(_ value: JSONValue) throws(Problem) -> [TariffRate] {
        guard let items = value.array else { throw .badRequest("The request body must be a JSON array of {name, cost}") }
        guard !items.isEmpty, items.count <= 100 else { throw .badRequest("A tariff needs 1 to 100 rates") }
        var rates: [TariffRate] = []
        for (index, item) in items.enumerated() {
            guard let name = item["name"]?.string else { throw .badRequest("\"[\(index)].name\" is required (a string)") }
            guard !name.isEmpty, name.count <= 100 else { throw .badRequest("\"[\(index)].name\" must be 1 to 100 characters") }
            guard let cost = item["cost"]?.string else { throw .badRequest("\"[\(index)].cost\" is required (a decimal string such as \"13.37\")") }
            guard TariffRate.isDecimal(cost) else { throw .badRequest("\"[\(index)].cost\" must be a decimal string such as \"13.37\"") }
            guard !rates.contains(where: { $0.name == name }) else { throw .badRequest("\"[\(index)].name\" repeats the rate \"\(name)\"") }
            rates.append(TariffRate(name: name, cost: cost))
        }
        return rates
    }
}
