import Foundation

/// Plans smart charging: below the minimum level it charges at once; otherwise it picks, by dynamic programming over
/// five-minute quanta, the cheapest quanta that reach the target before the deadline, preferring later quanta on
/// equal cost. Charge power follows the taper, so a quantum's energy depends on how much was charged before it; the
/// search accounts for that exactly. Pure: no clock, no I/O.
public enum ChargePlanner {
    /// Planning granularity, seconds; divides 15-minute and hourly price slots.
    public static let quantumSeconds: Double = 300
    /// Costs closer than this are equal (the later choice wins).
    static let tolerance = 1e-9

    /// The plan for a request.
    public static func plan(_ request: ChargePlanRequest) -> ChargePlan {
        let target = request.targetLevel
        guard request.batteryLevel < target - 1e-6, request.powerKW > 0, request.capacityKWh > 0 else {
            return ChargePlan(strategy: .notNeeded, intervals: [], estimatedFinishAt: request.now, smartCost: 0, nonSmartCost: 0)
        }
        let prices = PriceLookup(request.prices)
        let immediate = simulate(request, prices: prices, from: request.batteryLevel, limit: target,
                                 windows: quanta(from: request.now, to: .distantFuture))
        let immediatePlan = { ChargePlan(strategy: .immediate, intervals: immediate.intervals, estimatedFinishAt: immediate.finish,
                                         smartCost: immediate.cost, nonSmartCost: immediate.cost) }
        // Protective charging up to the minimum, at once.
        var head: [ChargeInterval] = []
        var start = request.now
        var level = request.batteryLevel
        let minimum = min(request.minimumLevel, target)
        if level < minimum - 1e-6 {
            let protective = simulate(request, prices: prices, from: level, limit: minimum, windows: quanta(from: start, to: .distantFuture))
            head = protective.intervals
            start = protective.finish
            level = minimum
            if level >= target - 1e-6 { return immediatePlan() }
        }
        let slots = quanta(from: start, to: request.deadline).map { $0 }
        let quantumPrices = slots.map { prices.price(at: $0.start) }
        let partial = slots.first.map { $0.end.timeIntervalSince($0.start) < quantumSeconds - 1e-6 } ?? false
        let options = candidates(request, from: level, slots: slots, partial: partial)
        guard !options.isEmpty else { return immediatePlan() }

        let chosen: [Bool]
        let strategy: ChargePlan.Strategy
        if quantumPrices.contains(where: { $0 == nil }) {
            // Without prices, as late as still finishes: the last quanta of the first workable option.
            let option = options[0]
            var pick = Array(repeating: false, count: slots.count)
            for index in (slots.count - option.energies.count)..<slots.count { pick[index] = true }
            if option.usesPartial { pick[0] = true }
            chosen = pick
            strategy = .latest
        } else {
            let known = quantumPrices.map { $0 ?? 0 }
            var best: (cost: Double, pick: [Bool])?
            for option in options {
                let offset = option.usesPartial || partial ? 1 : 0
                var (cost, pick) = cheapest(prices: Array(known[offset...]), energies: option.energies)
                if option.usesPartial { cost += known[0] * option.partialEnergy }
                pick = Array(repeating: option.usesPartial, count: offset) + pick
                if best == nil || cost < best!.cost - tolerance { best = (cost, pick) }
            }
            chosen = best!.pick
            strategy = .cheapest
        }
        let windows = zip(slots, chosen).filter(\.1).map(\.0)
        let tail = simulate(request, prices: prices, from: level, limit: target, windows: windows)
        let intervals = merge(head + tail.intervals)
        let smartCost = intervals.allSatisfy { $0.cost != nil } ? intervals.reduce(0) { $0 + ($1.cost ?? 0) } : nil
        return ChargePlan(strategy: strategy, intervals: intervals, estimatedFinishAt: tail.finish, smartCost: smartCost, nonSmartCost: immediate.cost)
    }

    /// A way to start the search: skip a partial first quantum, or charge in it; each with the energies of the full
    /// quanta that then reach the target, in charging order.
    private struct Option {
        let usesPartial: Bool
        let partialEnergy: Double
        let energies: [Double]
    }

    /// The workable options (enough quanta before the deadline), skipping the partial quantum first.
    private static func candidates(_ request: ChargePlanRequest, from level: Double, slots: [(start: Date, end: Date)], partial: Bool) -> [Option] {
        var options: [Option] = []
        let fullCount = slots.count - (partial ? 1 : 0)
        let skipping = energyTable(request, from: level, limit: fullCount + 1)
        if skipping.count <= fullCount { options.append(Option(usesPartial: false, partialEnergy: 0, energies: skipping)) }
        if partial, let first = slots.first {
            let step = request.curve.charge(from: level, limit: request.targetLevel, capacityKWh: request.capacityKWh,
                                            powerKW: request.powerKW, seconds: first.end.timeIntervalSince(first.start))
            let rest = energyTable(request, from: step.level, limit: fullCount + 1)
            if rest.count <= fullCount { options.append(Option(usesPartial: true, partialEnergy: step.energyKWh, energies: rest)) }
        }
        return options
    }

    /// Energy of each successive full quantum of charging from `level` until the target, at most `limit` entries
    /// (more than the quanta available means the option is unworkable anyway).
    private static func energyTable(_ request: ChargePlanRequest, from level: Double, limit: Int) -> [Double] {
        var energies: [Double] = []
        var level = level
        while level < request.targetLevel - 1e-6, energies.count < limit {
            let step = request.curve.charge(from: level, limit: request.targetLevel, capacityKWh: request.capacityKWh,
                                            powerKW: request.powerKW, seconds: quantumSeconds)
            energies.append(step.energyKWh)
            level = step.level
        }
        return energies
    }

    /// The cheapest choice of `energies.count` quanta among `prices` (in time order), charged in order; later quanta
    /// win ties. Returns the cost and which quanta are used.
    static func cheapest(prices: [Double], energies: [Double]) -> (cost: Double, pick: [Bool]) {
        let count = prices.count
        let needed = energies.count
        guard needed > 0 else { return (0, Array(repeating: false, count: count)) }
        // best[j * width + k]: cheapest way to charge quanta k..<needed using slots j..<count.
        let width = needed + 1
        var best = [Double](repeating: .infinity, count: (count + 1) * width)
        for j in 0...count { best[j * width + needed] = 0 }
        for j in stride(from: count - 1, through: 0, by: -1) {
            let row = j * width, next = (j + 1) * width
            for k in stride(from: needed - 1, through: 0, by: -1) {
                best[row + k] = min(best[next + k], prices[j] * energies[k] + best[next + k + 1])
            }
        }
        var pick = Array(repeating: false, count: count)
        var k = 0
        for j in 0..<count where k < needed {
            let next = (j + 1) * width
            let take = prices[j] * energies[k] + best[next + k + 1]
            if take < best[next + k] - tolerance || best[next + k] == .infinity {
                pick[j] = true
                k += 1
            }
        }
        return (best[0], pick)
    }

    /// Charges from `level` to `limit` in `windows` (time order), returning the merged intervals with energy and cost,
    /// the moment the limit is reached (or the last window's end), and the total cost (nil when a price is missing).
    static func simulate(_ request: ChargePlanRequest, prices: PriceLookup, from level: Double, limit: Double,
                         windows: some Sequence<(start: Date, end: Date)>) -> (intervals: [ChargeInterval], finish: Date, cost: Double?) {
        var level = level
        var intervals: [ChargeInterval] = []
        var finish = request.now
        for window in windows {
            guard level < limit - 1e-6 else { break }
            let step = request.curve.charge(from: level, limit: limit, capacityKWh: request.capacityKWh, powerKW: request.powerKW,
                                            seconds: window.end.timeIntervalSince(window.start))
            level = step.level
            finish = window.start.addingTimeInterval(step.seconds)
            let cost = prices.price(at: window.start).map { $0 * step.energyKWh }
            intervals.append(ChargeInterval(start: window.start, end: finish, energyKWh: step.energyKWh, cost: cost))
        }
        let merged = merge(intervals)
        let cost = merged.allSatisfy { $0.cost != nil } ? merged.reduce(0) { $0 + ($1.cost ?? 0) } : nil
        return (merged, finish, cost)
    }

    /// Joins intervals that touch.
    static func merge(_ intervals: [ChargeInterval]) -> [ChargeInterval] {
        var merged: [ChargeInterval] = []
        for interval in intervals {
            if let last = merged.last, abs(last.end.timeIntervalSince(interval.start)) < 1e-6 {
                let cost = last.cost.flatMap { a in interval.cost.map { a + $0 } }
                merged[merged.count - 1] = ChargeInterval(start: last.start, end: interval.end, energyKWh: last.energyKWh + interval.energyKWh, cost: cost)
            } else {
                merged.append(interval)
            }
        }
        return merged
    }

    /// Quanta from `start` to `end`: a partial one up to the next five-minute boundary, then whole ones; the last
    /// whole quantum ends at or before `end`.
    static func quanta(from start: Date, to end: Date) -> QuantumSequence {
        QuantumSequence(start: start, end: end)
    }
}

/// The planning quanta of a time range, lazily (the range may be open-ended).
struct QuantumSequence: Sequence, IteratorProtocol {
    var start: Date
    let end: Date

    mutating func next() -> (start: Date, end: Date)? {
        let size = ChargePlanner.quantumSeconds
        let boundary = ((start.timeIntervalSince1970 / size).rounded(.down) + 1) * size
        let stop = Date(timeIntervalSince1970: boundary)
        guard stop <= end else { return nil }
        defer { start = stop }
        return (start, stop)
    }
}

/// Price at an instant from a list of slots.
struct PriceLookup {
    private let slots: [PriceSlot]

    init(_ slots: [PriceSlot]) {
        self.slots = slots.sorted { $0.start < $1.start }
    }

    /// The price of the slot containing `instant`, nil when none does.
    func price(at instant: Date) -> Double? {
        var low = 0
        var high = slots.count
        while low < high {
            let mid = (low + high) / 2
            if slots[mid].end <= instant { low = mid + 1 } else { high = mid }
        }
        guard low < slots.count, slots[low].start <= instant else { return nil }
        return slots[low].price
    }
}
