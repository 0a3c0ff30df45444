import Foundation
import GridlinkCore

/// A location's tariff link: which tariff, and the weekly intervals its named rates apply in.
public struct LocationTariffLink: Sendable, Equatable {
    /// The linked tariff.
    public let tariffId: String
    /// The `tariffIntervals` as given (`name`, `from`, `to`, optional `weekdays`).
    public let intervals: JSONValue
}

extension StoreSession {
    /// Creates or replaces the client's tariff `id` with its named rates (`[{name, cost}]`).
    public func saveTariff(clientId: String, id: String, rates: JSONValue, at now: Date) async throws {
        try await connection.execute(
            """
            INSERT INTO tariffs (client_id, id, rates, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (client_id, id) DO UPDATE SET rates = excluded.rates, updated_at = excluded.updated_at
            """, [.text(clientId), .text(id), .text(try StoredJSON.encode(rates)), .date(now)])
    }

    /// The rates of the client's tariff `id`, or nil.
    public func tariffRates(clientId: String, id: String) async throws -> JSONValue? {
        try await connection.query("SELECT rates FROM tariffs WHERE client_id = ? AND id = ?", [.text(clientId), .text(id)])
            .first.map { try StoredJSON.decode(JSONValue.self, from: try $0.string("rates")) }
    }

    /// Links a tariff to a location, replacing any previous link.
    public func linkTariff(locationId: String, tariffId: String, intervals: JSONValue, at now: Date) async throws {
        try await connection.execute(
            """
            INSERT INTO location_tariffs (location_id, tariff_id, intervals, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (location_id) DO UPDATE SET tariff_id = excluded.tariff_id, intervals = excluded.intervals,
                updated_at = excluded.updated_at
            """, [.text(locationId), .text(tariffId), .text(try StoredJSON.encode(intervals)), .date(now)])
    }

    /// The location's tariff link, or nil.
    public func tariffLink(locationId: String) async throws -> LocationTariffLink? {
        try await connection.query("SELECT tariff_id, intervals FROM location_tariffs WHERE location_id = ?", [.text(locationId)])
            .first.map { LocationTariffLink(tariffId: try $0.string("tariff_id"), intervals: try StoredJSON.decode(JSONValue.self, from: try $0.string("intervals"))) }
    }
}
