import Foundation

/// A day-ahead bidding area: where a location buys its power, in which timezone and currency prices are set.
public struct PriceArea: Sendable, Equatable {
    /// Area code, e.g. `NO1` or `DE-LU`.
    public let code: String
    /// The area's market timezone.
    public let timeZone: String
    /// Price currency.
    public let currency: String
    /// A representative coordinate, to place locations in areas.
    public let latitude: Double
    /// A representative coordinate, to place locations in areas.
    public let longitude: Double
    /// Typical price per kWh in the area's currency.
    public let basePrice: Double

    /// The areas the sandbox prices.
    public static let all: [PriceArea] = [
        PriceArea(code: "NO1", timeZone: "Europe/Oslo", currency: "NOK", latitude: 59.9, longitude: 10.8, basePrice: 0.9),
        PriceArea(code: "NO2", timeZone: "Europe/Oslo", currency: "NOK", latitude: 58.9, longitude: 6.0, basePrice: 0.9),
        PriceArea(code: "NO3", timeZone: "Europe/Oslo", currency: "NOK", latitude: 63.4, longitude: 10.4, basePrice: 0.4),
        PriceArea(code: "NO4", timeZone: "Europe/Oslo", currency: "NOK", latitude: 69.6, longitude: 19.0, basePrice: 0.2),
        PriceArea(code: "NO5", timeZone: "Europe/Oslo", currency: "NOK", latitude: 60.4, longitude: 5.3, basePrice: 0.8),
        PriceArea(code: "SE1", timeZone: "Europe/Stockholm", currency: "SEK", latitude: 65.6, longitude: 22.1, basePrice: 0.3),
        PriceArea(code: "SE2", timeZone: "Europe/Stockholm", currency: "SEK", latitude: 62.4, longitude: 17.3, basePrice: 0.3),
        PriceArea(code: "SE3", timeZone: "Europe/Stockholm", currency: "SEK", latitude: 59.3, longitude: 18.1, basePrice: 0.8),
        PriceArea(code: "SE4", timeZone: "Europe/Stockholm", currency: "SEK", latitude: 55.6, longitude: 13.0, basePrice: 1.0),
        PriceArea(code: "DK1", timeZone: "Europe/Copenhagen", currency: "DKK", latitude: 56.2, longitude: 9.5, basePrice: 0.7),
        PriceArea(code: "DK2", timeZone: "Europe/Copenhagen", currency: "DKK", latitude: 55.7, longitude: 12.6, basePrice: 0.7),
        PriceArea(code: "FI", timeZone: "Europe/Helsinki", currency: "EUR", latitude: 60.2, longitude: 24.9, basePrice: 0.07),
        PriceArea(code: "DE-LU", timeZone: "Europe/Berlin", currency: "EUR", latitude: 51.2, longitude: 10.4, basePrice: 0.09),
        PriceArea(code: "NL", timeZone: "Europe/Amsterdam", currency: "EUR", latitude: 52.4, longitude: 4.9, basePrice: 0.09),
        PriceArea(code: "FR", timeZone: "Europe/Paris", currency: "EUR", latitude: 46.6, longitude: 2.4, basePrice: 0.08),
        PriceArea(code: "GB", timeZone: "Europe/London", currency: "GBP", latitude: 52.5, longitude: -1.5, basePrice: 0.08),
    ]

    /// The area named `code`, or nil.
    public static func named(_ code: String) -> PriceArea? { all.first { $0.code == code } }

    /// Farthest a location may be from an area's representative coordinate and still buy there, metres.
    public static let coverageMeters = 1_000_000.0

    /// The area serving a coordinate, or nil outside every area's reach (no market prices there).
    public static func covering(latitude: Double, longitude: Double) -> PriceArea? {
        let area = nearest(latitude: latitude, longitude: longitude)
        let distance = GeoFence.distanceMeters(latitude: latitude, longitude: longitude, to: (area.latitude, area.longitude))
        return distance <= coverageMeters ? area : nil
    }

    /// The area whose representative coordinate is nearest (a sandbox approximation of real area borders).
    public static func nearest(latitude: Double, longitude: Double) -> PriceArea {
        all.min {
            GeoFence.distanceMeters(latitude: latitude, longitude: longitude, to: ($0.latitude, $0.longitude))
                < GeoFence.distanceMeters(latitude: latitude, longitude: longitude, to: ($1.latitude, $1.longitude))
        }!
    }
}

/// One priced slot: `[start, end)` at `price` per kWh.
public struct PriceSlot: Sendable, Equatable {
    /// Slot start, inclusive.
    public let start: Date
    /// Slot end, exclusive.
    public let end: Date
    /// Price per kWh.
    public let price: Double

    /// Creates a slot.
    public init(start: Date, end: Date, price: Double) {
        self.start = start
        self.end = end
        self.price = price
    }
}

/// The sandbox's deterministic spot market: hourly or quarter-hourly prices with a daily shape in the area's local
/// time (cheap nights, a morning and an evening peak, a midday solar dip, cheaper weekends) and seeded noise that
/// depends only on (seed, area, slot start), so overlapping queries agree.
public struct MarketPriceModel: Sendable {
    /// The world's seed.
    public let seed: UInt64

    /// Creates the model for a seed.
    public init(seed: UInt64) { self.seed = seed }

    /// Prices for `[from, to)` in slots of `slotMinutes` (60 or 15), aligned to UTC slot boundaries.
    public func prices(area: PriceArea, from: Date, to: Date, slotMinutes: Int) -> [PriceSlot] {
        let slot = TimeInterval(slotMinutes * 60)
        var start = Date(timeIntervalSince1970: (from.timeIntervalSince1970 / slot).rounded(.down) * slot)
        var slots: [PriceSlot] = []
        while start < to {
            slots.append(PriceSlot(start: start, end: start.addingTimeInterval(slot), price: price(area: area, at: start)))
            start = start.addingTimeInterval(slot)
        }
        return slots
    }

    /// The price of the slot starting at `instant`, rounded to 1/10000 of the currency.
    public func price(area: PriceArea, at instant: Date) -> Double {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: area.timeZone) ?? .gmt
        let parts = calendar.dateComponents([.hour, .minute, .weekday], from: instant)
        let hour = Double(parts.hour ?? 0) + Double(parts.minute ?? 0) / 60
        let weekend = parts.weekday == 1 || parts.weekday == 7
        func bump(_ center: Double, _ width: Double) -> Double { exp(-pow((hour - center) / width, 2)) }
        let shape = 0.55 + 0.6 * bump(8, 1.5) + 0.85 * bump(18.5, 2) - 0.25 * bump(13, 2) + 0.35 * (1 - bump(3, 3))
        let noise = 0.85 + 0.3 * unit(area: area, instant: instant)
        let value = area.basePrice * shape * noise * (weekend ? 0.85 : 1)
        return (value * 10_000).rounded() / 10_000
    }

    /// A deterministic number in [0, 1) for (seed, area, slot start): SplitMix64 over their hash.
    private func unit(area: PriceArea, instant: Date) -> Double {
        var state = seed &+ UInt64(bitPattern: Int64(instant.timeIntervalSince1970)) &* 0x9E37_79B9_7F4A_7C15
        for byte in area.code.utf8 { state = (state ^ UInt64(byte)) &* 0x1000_0000_01B3 }
        state = (state ^ (state >> 30)) &* 0xBF58_476D_1CE4_E5B9
        state = (state ^ (state >> 27)) &* 0x94D0_49BB_1331_11EB
        state ^= state >> 31
        return Double(state >> 11) / Double(1 << 53)
    }
}
