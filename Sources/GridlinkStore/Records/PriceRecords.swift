import Foundation
import GridlinkCore

extension StoreSession {
    /// Stores uploaded prices for an area, replacing slots that start at the same instants.
    public func savePrices(area: String, prices: [PriceSlot]) async throws {
        for price in prices {
            try await connection.execute(
                """
                INSERT INTO market_prices (area, slot_start, slot_end, price) VALUES (?, ?, ?, ?)
                ON CONFLICT (area, slot_start) DO UPDATE SET slot_end = excluded.slot_end, price = excluded.price
                """, [.text(area), .date(price.start), .date(price.end), .text(String(price.price))])
        }
    }

    /// Removes an area's uploaded prices overlapping `[from, to)`.
    public func deletePrices(area: String, from: Date, to: Date) async throws {
        try await connection.execute(
            "DELETE FROM market_prices WHERE area = ? AND slot_end > ? AND slot_start < ?", [.text(area), .date(from), .date(to)])
    }

    /// An area's uploaded prices overlapping `[from, to)`, in time order.
    public func prices(area: String, from: Date, to: Date) async throws -> [PriceSlot] {
        try await connection.query(
            "SELECT slot_start, slot_end, price FROM market_prices WHERE area = ? AND slot_end > ? AND slot_start < ? ORDER BY slot_start",
            [.text(area), .date(from), .date(to)]
        ).map { PriceSlot(start: try $0.date("slot_start"), end: try $0.date("slot_end"), price: Double(try $0.string("price")) ?? 0) }
    }
}
