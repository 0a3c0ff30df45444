import Foundation
import GridlinkCore
import GridlinkStore

/// Turns stored telemetry into priced quarter-hours: energy spread between samples, the location's price (tariff,
/// else market) per quarter-hour, and for smart-charged vehicle energy the price charging at once would have paid.
struct StatisticsService: Sendable {
    let store: Store
    let clock: any GridClock

    /// Margin of samples read around a range, so energy between a sample outside it and one inside is counted (a
    /// device that did not answer for up to two days still has its energy spread over the gap).
    static let sampleMargin: TimeInterval = 48 * 3600

    /// The user's samples of `type` around a range, optionally of one asset (every location: energy between two
    /// samples belongs to where it was charged, so a location filter applies to quarters and sessions).
    func samples(clientId: String, userId: String, query: StatisticsQuery) async throws -> [TelemetrySample] {
        try await store.requireUser(clientId: clientId, userId: userId)
        return try await store.read { session in
            try await session.telemetry(clientId: clientId, userId: userId, type: query.type, assetId: query.assetId,
                                               from: query.from.addingTimeInterval(-Self.sampleMargin), to: query.to.addingTimeInterval(Self.sampleMargin))
        }
    }

    /// The samples of each of `assets` around `[from, to]`, ordered by asset and time.
    func samples(of assets: [AssetRecord], clientId: String, from: Date, to: Date) async throws -> [TelemetrySample] {
        try await store.read { session in
            var samples: [TelemetrySample] = []
            for asset in assets {
                samples += try await session.telemetry(clientId: clientId, userId: asset.userId, type: asset.type, assetId: asset.id,
                                                       from: from.addingTimeInterval(-Self.sampleMargin), to: to.addingTimeInterval(Self.sampleMargin))
            }
            return samples
        }
    }

    /// The time zone of a location (UTC without one).
    func timeZone(clientId: String, locationId: String?) async throws -> TimeZone {
        let location = try await locationId.asyncFlatMap { id in try await store.read { try await $0.location(clientId: clientId, id: id) } }
        return location?.timeZone ?? .gmt
    }

    /// When the first of `assetIds` first reported (statistics have data from then, however long ago), nil before
    /// any sample.
    func firstSampleTime(of assetIds: [String]) async throws -> Date? {
        try await store.read { session in
            var first: Date?
            for id in assetIds {
                if let time = try await session.earliestTelemetryTime(assetId: id) { first = min(first ?? time, time) }
            }
            return first
        }
    }

    /// The priced quarter-hours of `samples` that start in `[from, to)` (the quarter containing `from` included), at
    /// one location when `locationId` is given.
    func pricedQuarters(_ samples: [TelemetrySample], clientId: String, userId: String, from: Date, to: Date,
                        locationId: String? = nil) async throws -> [EnergyQuarter] {
        let first = StatisticsResolution.quarterHour.bucketStart(of: from, utcOffset: 0)
        var quarters = EnergyQuarter.spread(samples).filter {
            $0.start >= first && ($0.start < to || $0.start == first) && (locationId == nil || $0.locationId == locationId)
        }
        guard !quarters.isEmpty else { return [] }
        let locations = try await store.read { try await $0.locations(clientId: clientId, userId: userId) }
        var tables: [String: [Date: Double]] = [:]
        let window = (quarters.map(\.start).min()!.addingTimeInterval(-86_400), quarters.map(\.start).max()!.addingTimeInterval(2 * 86_400))
        for location in locations where quarters.contains(where: { ($0.locationId ?? locations.first?.id) == location.id }) {
            let priced = try await PriceService(store: store).prices(for: location, from: window.0, to: window.1, slotMinutes: 15)
            tables[location.id] = Dictionary(priced.prices.map { ($0.slot.start, $0.slot.price) }, uniquingKeysWith: { first, _ in first })
        }
        let fallback = locations.first?.id
        for index in quarters.indices {
            quarters[index].price = (quarters[index].locationId ?? fallback).flatMap { tables[$0]?[quarters[index].start] } ?? 0
        }
        return try await markingSmartCharging(quarters, samples: samples, clientId: clientId, prices: tables, fallback: fallback)
    }

    /// Gives vehicle energy charged under a smart-charging plan the price of charging at once: the mean price of as
    /// many quarter-hours, from the moment the plan stopped the car, as the plan actually charged.
    private func markingSmartCharging(_ quarters: [EnergyQuarter], samples: [TelemetrySample], clientId: String,
                                      prices: [String: [Date: Double]], fallback: String?) async throws -> [EnergyQuarter] {
        guard samples.first?.assetType == .vehicle else { return quarters }
        var marked = quarters
        let everyQuarter = EnergyQuarter.spread(samples)
        let now = clock.now()
        for vehicleId in Set(quarters.map(\.assetId)) {
            let plans = try await store.read { try await $0.smartChargingPlans(clientId: clientId, vehicleId: vehicleId) }
            for plan in plans where plan["startConfirmedAt"] != .null {
                guard let stopAt = plan["stopAt"]?.string.flatMap(Timestamp.parse) else { continue }
                let endedAt = plan["endedAt"]?.string.flatMap(Timestamp.parse) ?? now
                let firstQuarter = StatisticsResolution.quarterHour.bucketStart(of: stopAt, utcOffset: 0)
                let inPlan = marked.indices.filter {
                    marked[$0].assetId == vehicleId && marked[$0].kWh > 0 && marked[$0].start >= firstQuarter && marked[$0].start < endedAt
                }
                guard let locationId = plan["locationId"]?.string ?? fallback, let table = prices[locationId], !inPlan.isEmpty else { continue }
                // As many quarter-hours as the whole plan charged (also outside the requested range), so a plan's
                // comparison price does not depend on the range asked for.
                let charged = everyQuarter.filter { $0.assetId == vehicleId && $0.kWh > 0 && $0.start >= firstQuarter && $0.start < endedAt }.count
                let immediate = (0..<max(charged, inPlan.count)).compactMap { table[firstQuarter.addingTimeInterval(Double($0) * 900)] }
                guard !immediate.isEmpty else { continue }
                let price = immediate.reduce(0, +) / Double(immediate.count)
                for index in inPlan { marked[index].nonSmartPrice = price }
            }
        }
        return marked
    }
}
