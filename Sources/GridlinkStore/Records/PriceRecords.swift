import Foundation
import GridlinkCore

extension StoreSession {
    /// Stores a client's uploaded prices for an area, replacing its slots that start at the same instants.
    public func savePrices(clientId: String, area: String, prices: [PriceSlot]) async throws {
        for price in prices {
            try await connection.execute(
                """
                INSERT INTO market_prices (client_id, area, slot_start, slot_end, price) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (client_id, area, slot_start) DO UPDATE SET slot_end = excluded.slot_end, price = excluded.price
                """, [.text(clientId), .text(area), .date(price.start), .date(price.end), .text(String(price.price))])
        }
    }

    /// Removes a client's uploaded prices of an area overlapping `[from, to)`.
    public func deletePrices(clientId: String, area: String, from: Date, to: Date) async throws {
        try await connection.execute(
            "DELETE FROM market_prices WHERE client_id = ? AND area = ? AND slot_end > ? AND slot_start < ?",
            [.text(clientId), .text(area), .date(from), .date(to)])
    }

    /// A client's uploaded prices of an area overlapping `[from, to)`, in time order.
    public func prices(clientId: String, area: String, from: Date, to: Date) async throws -> [PriceSlot] {
        try await connection.query(
            """
            SELECT slot_start, slot_end, price FROM market_prices
            WHERE client_id = ? AND area = ? AND slot_end > ? AND slot_start < ? ORDER BY slot_start
            """,
            [.text(clientId), .text(area), .date(from), .date(to)]
        ).map { PriceSlot(start: try $0.date("slot_start"), end: try $0.date("slot_end"), price: Double(try $0.string("price")) ?? 0) }
    }

    /// Every uploaded price of a client, by area code, in time order (a sandbox fixture's prices).
    public func uploadedPrices(clientId: String) async throws -> [String: [PriceSlot]] {
        let rows = try await connection.query(
            "SELECT area, slot_start, slot_end, price FROM market_prices WHERE client_id = ? ORDER BY area, slot_start", [.text(clientId)])
        var prices: [String: [PriceSlot]] = [:]
        for row in rows {
            prices[try row.string("area"), default: []].append(
                PriceSlot(start: try row.date("slot_start"), end: try row.date("slot_end"), price: Double(try row.string("price")) ?? 0))
        }
        return prices
    }

    /// Deletes every uploaded price of a client (before a sandbox fixture's prices replace them).
    public func deleteUploadedPrices(clientId: String) async throws {
        try await connection.execute("DELETE FROM market_prices WHERE client_id = ?", [.text(clientId)])
    }
}
