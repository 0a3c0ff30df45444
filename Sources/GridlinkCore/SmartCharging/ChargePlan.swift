import Foundation

/// What a smart-charging plan is computed from: the car, its deadline and the prices until then.
public struct ChargePlanRequest: Sendable {
    /// When planning happens; nothing is planned before it.
    public var now: Date
    /// When the car should have reached ``targetLevel``.
    public var deadline: Date
    /// State of charge now, %.
    public var batteryLevel: Double
    /// Level to reach, % (the car's charge limit).
    public var targetLevel: Double
    /// Level charged immediately regardless of price, % (the policy's `minimumChargeLimit`).
    public var minimumLevel: Double
    /// Usable battery capacity, kWh.
    public var capacityKWh: Double
    /// Charge power the car, its charger and its current limit allow before taper, kW.
    public var powerKW: Double
    /// Price slots (15-minute or hourly); empty, or not covering the time until the deadline, means no prices.
    public var prices: [PriceSlot]
    /// How charge power tapers as the battery fills.
    public var curve: ChargeCurve

    /// Creates a request.
    public init(now: Date, deadline: Date, batteryLevel: Double, targetLevel: Double, minimumLevel: Double, capacityKWh: Double,
                powerKW: Double, prices: [PriceSlot], curve: ChargeCurve = .standard) {
        self.now = now
        self.deadline = deadline
        self.batteryLevel = batteryLevel
        self.targetLevel = targetLevel
        self.minimumLevel = minimumLevel
        self.capacityKWh = capacityKWh
        self.powerKW = powerKW
        self.prices = prices
        self.curve = curve
    }
}

/// One stretch of planned charging.
public struct ChargeInterval: Sendable, Equatable, Codable {
    /// Start, inclusive.
    public let start: Date
    /// End, exclusive (the estimated moment the target is reached, for the last interval).
    public let end: Date
    /// Energy delivered to the battery, kWh.
    public let energyKWh: Double
    /// What the energy costs at the slots' prices; nil without prices.
    public let cost: Double?

    /// Creates an interval.
    public init(start: Date, end: Date, energyKWh: Double, cost: Double?) {
        self.start = start
        self.end = end
        self.energyKWh = energyKWh
        self.cost = cost
    }
}

/// A smart-charging plan: when to charge, what it costs, and what charging at once would have cost.
public struct ChargePlan: Sendable, Equatable, Codable {
    /// How the plan was chosen.
    public enum Strategy: String, Sendable, Codable {
        /// The car is already at its target.
        case notNeeded = "NOT_NEEDED"
        /// The cheapest slots that reach the target before the deadline (after any protective charge).
        case cheapest = "CHEAPEST"
        /// Not enough time before the deadline: charge at once.
        case immediate = "IMMEDIATE"
        /// No prices until the deadline: charge as late as still reaches the target.
        case latest = "LATEST"
    }

    /// How the plan was chosen.
    public let strategy: Strategy
    /// The charging intervals, in time order.
    public let intervals: [ChargeInterval]
    /// When the target is expected to be reached.
    public let estimatedFinishAt: Date
    /// Cost of the plan; nil without prices.
    public let smartCost: Double?
    /// Cost of charging at once until the target; nil without prices.
    public let nonSmartCost: Double?

    /// Energy the plan delivers, kWh.
    public var energyKWh: Double { intervals.reduce(0) { $0 + $1.energyKWh } }
    /// When charging starts, nil when nothing is to be charged.
    public var startAt: Date? { intervals.first?.start }
    /// What the plan saves against charging at once; nil without prices.
    public var savings: Double? { smartCost.flatMap { smart in nonSmartCost.map { $0 - smart } } }

    /// Whether the plan charges at `instant`.
    public func charges(at instant: Date) -> Bool {
        intervals.contains { $0.start <= instant && instant < $0.end }
    }

    /// Creates a plan.
    public init(strategy: Strategy, intervals: [ChargeInterval], estimatedFinishAt: Date, smartCost: Double?, nonSmartCost: Double?) {
        self.strategy = strategy
        self.intervals = intervals
        self.estimatedFinishAt = estimatedFinishAt
        self.smartCost = smartCost
        self.nonSmartCost = nonSmartCost
    }
}
