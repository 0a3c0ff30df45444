import Foundation
import GridlinkCore
import Testing

@Suite("Smart-charging planner")
struct ChargePlannerTests {
    static let midnight = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01T00:00:00Z

    static func hour(_ value: Double) -> Date { midnight.addingTimeInterval(value * 3600) }

    /// Hourly prices from 18:00 the day before to 12:00, expensive in the evening and cheap from 01:00 to 05:00.
    static let nightCheap: [PriceSlot] = (-6..<12).map { hour in
        let price: Double = switch hour {
        case -6 ..< -1: 2.5
        case 1..<5: 0.4
        case 5..<8: 1.8
        default: 1.2
        }
        return PriceSlot(start: Self.hour(Double(hour)), end: Self.hour(Double(hour + 1)), price: price)
    }

    static func request(level: Double, target: Double = 80, minimum: Double = 0, now: Date = hour(-6), deadline: Date = hour(7),
                        powerKW: Double = 11, prices: [PriceSlot] = nightCheap) -> ChargePlanRequest {
        ChargePlanRequest(now: now, deadline: deadline, batteryLevel: level, targetLevel: target, minimumLevel: minimum,
                          capacityKWh: 60, powerKW: powerKW, prices: prices)
    }

    @Test("night-cheap prices: the plan charges only in the cheap hours, reaches the limit by the deadline and saves money")
    func cheapNight() throws {
        let plan = ChargePlanner.plan(Self.request(level: 40))
        #expect(plan.strategy == .cheapest)
        for interval in plan.intervals {
            #expect(interval.start >= Self.hour(1) && interval.end <= Self.hour(5), "\(interval)")
        }
        #expect(abs(plan.energyKWh - 24) < 0.01)
        #expect(plan.estimatedFinishAt <= Self.hour(7))
        #expect(abs(try #require(plan.smartCost) - 24 * 0.4) < 0.01)
        #expect(abs(try #require(plan.nonSmartCost) - 24 * 2.5) < 0.01)
        #expect(try #require(plan.savings) > 40)
    }

    @Test("equal prices: the latest slots that still finish win")
    func tiesPreferLater() throws {
        let flat = (-6..<12).map { PriceSlot(start: Self.hour(Double($0)), end: Self.hour(Double($0 + 1)), price: 1) }
        let plan = ChargePlanner.plan(Self.request(level: 70, prices: flat))
        let last = try #require(plan.intervals.last)
        #expect(plan.intervals.count == 1)
        #expect(last.end > Self.hour(6.9) && last.end <= Self.hour(7))
    }

    @Test("below the minimum it charges at once up to the minimum, then waits for cheap hours")
    func protectiveCharge() throws {
        let plan = ChargePlanner.plan(Self.request(level: 10, minimum: 30))
        let first = try #require(plan.intervals.first)
        #expect(first.start == Self.hour(-6))
        #expect(abs(first.energyKWh - 12) < 0.01)
        #expect(plan.intervals.dropFirst().allSatisfy { $0.start >= Self.hour(1) })
        #expect(abs(plan.energyKWh - 42) < 0.01)
    }

    @Test("not enough time before the deadline: charge at once")
    func notEnoughTime() throws {
        let plan = ChargePlanner.plan(Self.request(level: 10, target: 100, now: Self.hour(4), powerKW: 3.7))
        #expect(plan.strategy == .immediate)
        #expect(plan.startAt == Self.hour(4))
        #expect(plan.estimatedFinishAt > Self.hour(7))
    }

    @Test("without prices it charges as late as still finishes, with no smart cost")
    func withoutPrices() throws {
        let plan = ChargePlanner.plan(Self.request(level: 60, prices: []))
        #expect(plan.strategy == .latest)
        #expect(plan.smartCost == nil && plan.nonSmartCost == nil)
        #expect(plan.estimatedFinishAt <= Self.hour(7) && plan.estimatedFinishAt > Self.hour(6.9))
    }

    @Test("a car at its limit needs no plan")
    func alreadyFull() {
        #expect(ChargePlanner.plan(Self.request(level: 80)).strategy == .notNeeded)
    }

    @Test("the taper is planned for: 90→100 % takes longer than 40→50 % at the same power")
    func taperTakesLonger() throws {
        let low = ChargePlanner.plan(Self.request(level: 40, target: 50, prices: []))
        let high = ChargePlanner.plan(Self.request(level: 90, target: 100, prices: []))
        let lowStart = try #require(low.startAt)
        let highStart = try #require(high.startAt)
        #expect(low.estimatedFinishAt.timeIntervalSince(lowStart) * 2 < high.estimatedFinishAt.timeIntervalSince(highStart))
    }

    @Test("on 200 random small instances the plan costs at most 1 % more than the best choice of quanta found exhaustively")
    func matchesExhaustiveSearch() throws {
        var random = SplitMix(seed: 42)
        var compared = 0
        for _ in 0..<200 {
            let quanta = Int.random(in: 4...11, using: &random)
            let offset = Bool.random(using: &random) ? Double(Int.random(in: 1...4, using: &random)) * 60 : 0
            let now = Self.midnight.addingTimeInterval(offset)
            let deadline = Self.midnight.addingTimeInterval(Double(quanta) * 300)
            let prices = (0..<quanta).map { index in
                PriceSlot(start: Self.midnight.addingTimeInterval(Double(index) * 300), end: Self.midnight.addingTimeInterval(Double(index + 1) * 300),
                          price: (Double.random(in: 0.1...3, using: &random) * 10).rounded() / 10)
            } + [PriceSlot(start: deadline, end: deadline.addingTimeInterval(86_400), price: 3)]
            let request = ChargePlanRequest(
                now: now, deadline: deadline, batteryLevel: Double.random(in: 60...97, using: &random), targetLevel: 100,
                minimumLevel: 0, capacityKWh: Double.random(in: 5...12, using: &random), powerKW: Double.random(in: 7...22, using: &random),
                prices: prices)
            let plan = ChargePlanner.plan(request)
            let windows = Array(ChargePlannerTests.windows(from: now, to: deadline))
            var best = Double.infinity
            for mask in 0..<(1 << windows.count) {
                let chosen = windows.indices.filter { mask & (1 << $0) != 0 }.map { windows[$0] }
                if let cost = Self.cost(of: chosen, request: request) { best = min(best, cost) }
            }
            if best == .infinity {
                #expect(plan.strategy == .immediate)
                continue
            }
            compared += 1
            let cost = try #require(plan.smartCost)
            // The search is exact over the quanta; the bar is 1 %.
            #expect(cost <= best * (1 + 1e-9) + 1e-9, "plan \(cost) vs optimum \(best) for \(request)")
            #expect(plan.estimatedFinishAt <= deadline.addingTimeInterval(1e-6))
        }
        #expect(compared > 60)
    }

    /// The five-minute windows between `now` and `deadline`, the first cut at the next boundary.
    static func windows(from now: Date, to deadline: Date) -> [(start: Date, end: Date)] {
        var result: [(start: Date, end: Date)] = []
        var start = now
        while true {
            let boundary = Date(timeIntervalSince1970: ((start.timeIntervalSince1970 / 300).rounded(.down) + 1) * 300)
            guard boundary <= deadline else { return result }
            result.append((start, boundary))
            start = boundary
        }
    }

    /// Charges in `windows` in time order; the cost at each window's price, or nil when the target is not reached.
    static func cost(of windows: [(start: Date, end: Date)], request: ChargePlanRequest) -> Double? {
        var level = request.batteryLevel
        var cost = 0.0
        for window in windows {
            let step = request.curve.charge(from: level, limit: request.targetLevel, capacityKWh: request.capacityKWh,
                                            powerKW: request.powerKW, seconds: window.end.timeIntervalSince(window.start))
            level = step.level
            let price = request.prices.first { $0.start <= window.start && window.start < $0.end }?.price ?? 0
            cost += price * step.energyKWh
        }
        return level >= request.targetLevel - 1e-6 ? cost : nil
    }
}

/// A small deterministic generator for the random instances.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
