import Foundation

/// The HEMS statistics body (ENUMS.md §2.10) of one HEM system over a local day or month: energy per bucket of the
/// six flows from its members' telemetry, and on a day the battery level.
public struct HemStatistics: Sendable {
    /// The energy flows, by series name.
    public enum Flow: String, Sendable, CaseIterable {
        case generation, `import`, export, charge, discharge, consumption

        /// The member type whose telemetry measures the flow.
        var source: VendorType {
            switch self {
            case .generation: .inverter
            case .import, .export, .consumption: .meter
            case .charge, .discharge: .battery
            }
        }
    }

    /// The day or month.
    public let period: LocalPeriod
    /// The moment of the request (buckets that have not begun have no data).
    public let now: Date
    /// The system's member types.
    public let memberTypes: Set<VendorType>
    /// Telemetry of every member, ordered by asset and time.
    public let samples: [TelemetrySample]
    /// When the members first reported at all (data exists from then); nil: the first of `samples`.
    public let firstSample: Date?

    /// Creates the statistics.
    public init(period: LocalPeriod, now: Date, memberTypes: Set<VendorType>, samples: [TelemetrySample], firstSample: Date? = nil) {
        self.period = period
        self.now = now
        self.memberTypes = memberTypes
        self.samples = samples
        self.firstSample = firstSample
    }

    /// `{timeseries: {…}}`: every series, with `isAvailable: false` and no data where the system lacks the member
    /// (and for the battery level of a month).
    public var body: JSONValue {
        let buckets = knownBuckets
        let energy = Dictionary(uniqueKeysWithValues: Flow.allCases.filter { $0 != .consumption }.map { flow in
            (flow, energyPerBucket(flow, buckets: buckets))
        })
        func flow(_ flow: Flow, _ index: Int) -> Double { energy[flow]?[index] ?? 0 }
        let consumption: [Double] = buckets.indices.map { index in
            let grid = flow(.import, index) - flow(.export, index)
            let home = flow(.generation, index) + flow(.discharge, index) - flow(.charge, index)
            return max(0, grid + home)
        }
        var series: [String: JSONValue] = [:]
        for flow in Flow.allCases {
            let values = flow == .consumption ? consumption : energy[flow] ?? []
            let available = memberTypes.contains(flow.source)
            series[flow.rawValue] = entry(available ? points(buckets, values) : [], available: available, mode: "SUM", unit: "kWh", unitType: "ENERGY")
        }
        let levels = memberTypes.contains(.battery) && !period.byDay
        series["batteryLevel"] = entry(levels ? levelPoints(buckets) : [], available: levels, mode: "AVERAGE", unit: "%", unitType: "PERCENTAGE")
        return ["timeseries": .object(series)]
    }

    /// The buckets that have data: begun, and not before the first sample.
    private var knownBuckets: [Range<Date>] {
        guard let first = firstSample ?? samples.map(\.at).min() else { return [] }
        return period.buckets.filter { LocalPeriod.isKnown($0, firstSample: first, now: now) }
    }

    /// The flow's energy in each bucket, kWh.
    private func energyPerBucket(_ flow: Flow, buckets: [Range<Date>]) -> [Double] {
        let own = samples.filter { $0.assetType == flow.source }
        let counted = flow == .export || flow == .discharge ? own.compactMap(\.reversed) : own
        let quarters = EnergyQuarter.spread(counted)
        return EnergyQuarter.energy(quarters, in: buckets)
    }

    private func points(_ buckets: [Range<Date>], _ values: [Double]) -> [JSONValue] {
        zip(buckets, values).map { bucket, value in ["t": .string(Timestamp.format(bucket.lowerBound)), "v": .number((value * 1000).rounded() / 1000)] }
    }

    /// The mean battery level of the samples in each bucket (buckets without a reading are left out).
    private func levelPoints(_ buckets: [Range<Date>]) -> [JSONValue] {
        let readings = samples.compactMap { sample in sample.levelPercent.map { (at: sample.at, level: $0) } }
        return buckets.compactMap { bucket in
            let levels = readings.filter { bucket.contains($0.at) }.map(\.level)
            guard !levels.isEmpty else { return nil }
            return ["t": .string(Timestamp.format(bucket.lowerBound)), "v": .number((levels.reduce(0, +) / Double(levels.count) * 100).rounded() / 100)]
        }
    }

    private func entry(_ data: [JSONValue], available: Bool, mode: String, unit: String, unitType: String) -> JSONValue {
        ["data": .array(data), "isAvailable": .bool(available),
         "sampling": ["mode": .string(mode), "resolution": .string(period.resolution.rawValue)],
         "timezone": .string(period.timeZone.identifier), "unit": .string(unit), "unitType": .string(unitType)]
    }
}
