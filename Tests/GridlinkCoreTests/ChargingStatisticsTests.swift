import Foundation
import GridlinkCore
import Testing

@Suite("Charging statistics")
struct ChargingStatisticsTests {
    static func instant(_ text: String) -> Date { (try? Date.ISO8601FormatStyle().parse(text)) ?? .distantPast }

    @Test("buckets: weeks start on Monday (also for a Sunday), days follow utcOffset, quarter-hours are UTC-aligned")
    func bucketStarts() {
        let sunday = Self.instant("2026-01-04T15:00:00Z")
        #expect(StatisticsResolution.week.bucketStart(of: sunday, utcOffset: 0) == Self.instant("2025-12-29T00:00:00Z"))
        #expect(StatisticsResolution.week.bucketStart(of: Self.instant("2026-01-05T00:00:00Z"), utcOffset: 0) == Self.instant("2026-01-05T00:00:00Z"))
        #expect(StatisticsResolution.day.bucketStart(of: Self.instant("2026-01-04T23:30:00Z"), utcOffset: 3600) == Self.instant("2026-01-04T23:00:00Z"))
        #expect(StatisticsResolution.month.bucketEnd(after: Self.instant("2026-01-01T00:00:00Z"), utcOffset: 0) == Self.instant("2026-02-01T00:00:00Z"))
        #expect(StatisticsResolution.quarterHour.bucketStart(of: Self.instant("2026-01-04T10:14:59Z"), utcOffset: 3600) == Self.instant("2026-01-04T10:00:00Z"))
    }

    @Test("energy between samples is spread evenly into quarter-hours and adds up; sessions need two consuming samples")
    func spreadingAndSessions() {
        func sample(_ time: String, _ power: Double, _ energy: Double) -> TelemetrySample {
            TelemetrySample(assetId: "car", assetType: .vehicle, at: Self.instant(time), powerKW: power, energyKWh: energy, locationId: "home")
        }
        let samples = [sample("2026-01-01T00:00:00Z", 0, 100), sample("2026-01-01T00:20:00Z", 11, 100), sample("2026-01-01T00:50:00Z", 11, 105.5),
                       sample("2026-01-01T01:10:00Z", 0, 109.1), sample("2026-01-01T02:00:00Z", 7, 109.1)]
        let quarters = EnergyQuarter.spread(samples)
        #expect(abs(quarters.reduce(0) { $0 + $1.kWh } - 9.1) < 1e-9)
        let first = quarters.first { $0.start == Self.instant("2026-01-01T00:15:00Z") }
        #expect(abs((first?.kWh ?? 0) - 5.5 / 30 * 10) < 1e-9)
        let sessions = ChargingSession.sessions(in: samples)
        #expect(sessions.count == 1 && sessions[0].from == Self.instant("2026-01-01T00:20:00Z") && sessions[0].to == Self.instant("2026-01-01T00:50:00Z"))
        #expect(sessions[0].span == Self.instant("2026-01-01T00:00:00Z")...Self.instant("2026-01-01T01:10:00Z"))

        var priced = quarters.map { quarter -> EnergyQuarter in
            var quarter = quarter
            quarter.price = 2
            return quarter
        }
        priced[0].nonSmartPrice = 3
        let summary = ChargingStatistics.summary(priced)
        #expect(summary["costSum"]?.number == (9.1 * 2 * 10_000).rounded() / 10_000)
        #expect(summary["estimatedSavings"]?.number == ((priced[0].kWh) * 10_000).rounded() / 10_000)
        let series = ChargingStatistics.timeseries(priced, resolution: .hour, utcOffset: 0, from: Self.instant("2026-01-01T00:00:00Z"),
                                                   to: Self.instant("2026-01-01T02:00:00Z"))
        #expect(series.count == 2 && abs(series.reduce(0) { $0 + ($1["kwhSum"]?.number ?? 0) } - 9.1) < 1e-3)
    }

    @Test("buckets run from the one containing the start to the last starting before the end; quarters fall into their bucket")
    func bucketsAndGrouping() {
        let start = Self.instant("2026-01-01T10:20:00Z")
        #expect(StatisticsResolution.hour.buckets(from: start, to: start, utcOffset: 0) == [Self.instant("2026-01-01T10:00:00Z")..<Self.instant("2026-01-01T11:00:00Z")])
        let hours = StatisticsResolution.hour.buckets(from: start, to: Self.instant("2026-01-01T13:00:00Z"), utcOffset: 0)
        #expect(hours.count == 3 && hours.last?.upperBound == Self.instant("2026-01-01T13:00:00Z"))
        let quarters = ["09:45", "10:00", "10:45", "12:45", "13:00"].map {
            EnergyQuarter(assetId: "a", locationId: nil, start: Self.instant("2026-01-01T\($0):00Z"), kWh: 1)
        }
        #expect(EnergyQuarter.energy(quarters.reversed(), in: hours) == [2, 0, 1])
    }
}
