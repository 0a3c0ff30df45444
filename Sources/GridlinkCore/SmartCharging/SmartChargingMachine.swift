import Foundation

/// What the smart-charging controller knows about a vehicle at one moment.
public struct SmartChargingSituation: Sendable {
    /// Now, on the simulation clock.
    public var now: Date
    /// The vehicle's policy.
    public var policy: SmartChargingPolicy
    /// The vehicle's charge state.
    public var vehicle: VehicleChargeSnapshot
    /// The next deadline at the vehicle's location (nil without deadline or location).
    public var deadline: Date?
    /// Prices at the vehicle's location from now until past the deadline; empty when unknown.
    public var prices: [PriceSlot]
    /// Whether prices exist for the vehicle's location (a market area or a tariff).
    public var hasPrices: Bool
    /// Full charge power learnt from earlier charging, kW (the time estimate).
    public var learnedPowerKW: Double?
    /// The plan in force, or the ended plan still shown.
    public var plan: SmartChargingPlanState?
    /// Whether a smart override makes the vehicle charge regardless of the plan.
    public var isOverridden: Bool
    /// The pending charging action on the vehicle, `true` for START, `false` for STOP.
    public var pendingCommand: Bool?
    /// The controller's last command and whether it failed.
    public var lastCommand: (start: Bool, at: Date, failed: Bool)?

    /// Creates a situation.
    public init(now: Date, policy: SmartChargingPolicy, vehicle: VehicleChargeSnapshot, deadline: Date?, prices: [PriceSlot], hasPrices: Bool,
                learnedPowerKW: Double?, plan: SmartChargingPlanState?, isOverridden: Bool, pendingCommand: Bool?,
                lastCommand: (start: Bool, at: Date, failed: Bool)?) {
        self.now = now
        self.policy = policy
        self.vehicle = vehicle
        self.deadline = deadline
        self.prices = prices
        self.hasPrices = hasPrices
        self.learnedPowerKW = learnedPowerKW
        self.plan = plan
        self.isOverridden = isOverridden
        self.pendingCommand = pendingCommand
        self.lastCommand = lastCommand
    }
}

/// The charging-relevant part of a vehicle's synced data.
public struct VehicleChargeSnapshot: Sendable, Equatable {
    /// Whether a cable is connected.
    public var isPluggedIn: Bool
    /// Whether the car is charging.
    public var isCharging: Bool
    /// State of charge, %.
    public var batteryLevel: Double
    /// Charge limit, %.
    public var chargeLimit: Double
    /// Battery capacity, kWh.
    public var capacityKWh: Double
    /// Charge power now, kW.
    public var chargeRateKW: Double
    /// Whether the vehicle has the `smartCharging` capability.
    public var isSmartChargeCapable: Bool
    /// The charging location the vehicle is at, if any.
    public var locationId: String?
    /// Whether the vehicle answers (commands wait while it does not).
    public var isReachable: Bool

    /// Whether the car has reached its charge limit.
    public var isFull: Bool { batteryLevel >= chargeLimit - 0.05 }

    /// Reads a 2024-10-01 vehicle body.
    public init(body: JSONValue) {
        let state = body["chargeState"] ?? .null
        isPluggedIn = state["isPluggedIn"]?.bool ?? false
        isCharging = state["isCharging"]?.bool ?? false
        batteryLevel = state["batteryLevel"]?.number ?? 0
        chargeLimit = state["chargeLimit"]?.number ?? 100
        capacityKWh = state["batteryCapacity"]?.number ?? 0
        chargeRateKW = state["chargeRate"]?.number ?? 0
        isSmartChargeCapable = body["capabilities"]?["smartCharging"]?["isCapable"]?.bool ?? false
        isReachable = body["isReachable"]?.bool ?? false
        locationId = body["location"]?["id"]?.string
    }
}

/// The controller's copy of a plan: the public plan fields plus what it needs to execute it.
public struct SmartChargingPlanState: Sendable, Equatable, Codable {
    /// Plan id.
    public var id: String
    /// When the plan was made (its `stopAt`).
    public var createdAt: Date
    /// The deadline it plans for.
    public var deadline: Date
    /// The policy deadline text it was made for (a different one ends it).
    public var deadlineText: String
    /// Location of the plan.
    public var locationId: String?
    /// The planned charging.
    public var plan: ChargePlan
    /// When charging was first seen stopped by the plan.
    public var stopConfirmedAt: Date?
    /// When charging was first seen started by the plan.
    public var startConfirmedAt: Date?
    /// Since when the car has been charging in the current charging stretch (detects interruptions).
    public var chargingSince: Date?
    /// When the plan ended.
    public var endedAt: Date?
    /// `PLAN:ENDED:*` once ended.
    public var finalState: String?
    /// Why it failed or finished late.
    public var failureCondition: String?
    /// What the plan was last computed from; the plan is re-made only when this changes.
    public var inputs: PlanInputs?
    /// The failure the plan is in (`START_FAILED`, `STOP_FAILED`, `CHARGE_INTERRUPTED`) and since when.
    public var trouble: Trouble?

    /// A failure in progress.
    public struct Trouble: Sendable, Equatable, Codable {
        /// The SmartChargingPlanFailureCondition it would end with.
        public var condition: String
        /// When it began.
        public var since: Date
    }

    /// Whether the plan is still executing.
    public var isActive: Bool { endedAt == nil }
}

/// The planner inputs that matter for re-planning, rounded so that noise does not re-plan.
public struct PlanInputs: Sendable, Equatable, Codable {
    let level: Double
    let limit: Double
    let minimum: Double
    let powerKW: Double
    let deadline: Date
    /// A position-weighted checksum of the prices (any change of a price or of their number changes it).
    let prices: Double

    /// The inputs of a request (prices of the day before its deadline, a window that does not move with time).
    public init(_ request: ChargePlanRequest) {
        level = (request.batteryLevel * 10).rounded() / 10
        limit = request.targetLevel
        minimum = request.minimumLevel
        powerKW = (request.powerKW * 10).rounded() / 10
        deadline = request.deadline
        let window = request.deadline.addingTimeInterval(-86_400)
        prices = request.prices.filter { $0.end > window && $0.start < request.deadline }.enumerated()
            .reduce(0) { $0 + $1.element.price * Double($1.offset + 1) * 1.000_001 + 1e-9 }
    }
}

/// What the controller should do after one evaluation.
public struct SmartChargingDecision: Sendable, Equatable {
    /// The SmartChargeState.
    public var state: String
    /// The considerations, in `CONSIDERING` only.
    public var consideration: Consideration?
    /// The plan to keep (new, updated, ended) or nil to drop it.
    public var plan: SmartChargingPlanState?
    /// `true` to start charging, `false` to stop it, nil for no command.
    public var command: Bool?

    /// Creates a decision.
    public init(state: String, consideration: Consideration?, plan: SmartChargingPlanState?, command: Bool?) {
        self.state = state
        self.consideration = consideration
        self.plan = plan
        self.command = command
    }

    /// The requirements a plan waits for.
    public struct Consideration: Sendable, Equatable {
        /// The car is plugged in.
        public var isPluggedIn: Bool
        /// The car is charging (a session has begun).
        public var isCharging: Bool
        /// The car is at one of the user's locations.
        public var atChargingLocation: Bool
        /// A charge-time estimate exists.
        public var hasTimeEstimate: Bool

        /// Creates a set of considerations.
        public init(isPluggedIn: Bool, isCharging: Bool, atChargingLocation: Bool, hasTimeEstimate: Bool) {
            self.isPluggedIn = isPluggedIn
            self.isCharging = isCharging
            self.atChargingLocation = atChargingLocation
            self.hasTimeEstimate = hasTimeEstimate
        }

        /// Whether every requirement holds.
        public var isMet: Bool { isPluggedIn && isCharging && atChargingLocation && hasTimeEstimate }
    }
}

/// The smart-charging state machine (states of ENUMS SmartChargeState). Pure: the controller supplies the situation,
/// applies the decision and issues the command.
public enum SmartChargingMachine {
    /// Seconds before a command that did not take effect is repeated.
    public static let commandRetrySeconds: TimeInterval = 300
    /// A plan finishing later than its estimate by this share of its length finished late.
    public static let lateShare = 0.15
    /// A plan whose start, stop or charging keeps failing this long ends `PLAN:ENDED:FAILED`.
    public static let failingSeconds: TimeInterval = 30 * 60

    /// The decision for `situation`; `newPlanId` names a plan made now.
    public static func decide(_ situation: SmartChargingSituation, newPlanId: String) -> SmartChargingDecision {
        let vehicle = situation.vehicle
        if var plan = situation.plan, plan.isActive {
            guard let ending = ending(of: plan, in: situation) else { return execute(plan, in: situation) }
            plan.endedAt = situation.now
            plan.finalState = ending.state
            plan.failureCondition = ending.failure
            plan.trouble = nil
            // A new deadline gets a new plan at once: the session is known to be charging (the plan may have stopped it).
            if ending.state == "PLAN:ENDED:DEADLINE_CHANGED", let fresh = newPlan(situation, id: newPlanId, sessionCharging: true) {
                return execute(fresh, in: situation)
            }
            // A plan that ends while it holds the car stopped gives charging back, as if smart charging were off.
            let giveBack = ["PLAN:ENDED:DISABLED", "PLAN:ENDED:FAILED", "PLAN:ENDED:DEADLINE_CHANGED"].contains(ending.state)
                && vehicle.isPluggedIn && !vehicle.isCharging && !vehicle.isFull && vehicle.isReachable
            return SmartChargingDecision(state: ending.state, consideration: nil, plan: plan, command: giveBack ? true : nil)
        }
        if let ended = situation.plan, let state = ended.finalState, stillShows(ended, in: situation) {
            return SmartChargingDecision(state: state, consideration: nil, plan: ended, command: nil)
        }
        guard situation.policy.isEnabled else { return SmartChargingDecision(state: "DISABLED", consideration: nil, plan: nil, command: nil) }
        guard vehicle.isSmartChargeCapable, situation.policy.deadline != nil else {
            return SmartChargingDecision(state: "UNKNOWN", consideration: nil, plan: nil, command: nil)
        }
        // FULLY_CHARGED until the car is used (its level drops below the limit), plugged in or not.
        if vehicle.isFull {
            return SmartChargingDecision(state: "FULLY_CHARGED", consideration: nil, plan: nil, command: nil)
        }
        let consideration = SmartChargingDecision.Consideration(
            isPluggedIn: vehicle.isPluggedIn, isCharging: vehicle.isCharging, atChargingLocation: vehicle.locationId != nil,
            hasTimeEstimate: power(situation) != nil)
        guard consideration.isMet else {
            return SmartChargingDecision(state: "CONSIDERING", consideration: consideration, plan: nil, command: nil)
        }
        guard situation.hasPrices else { return SmartChargingDecision(state: "UNKNOWN", consideration: nil, plan: nil, command: nil) }
        guard let plan = newPlan(situation, id: newPlanId, sessionCharging: false) else {
            return SmartChargingDecision(state: "CONSIDERING", consideration: consideration, plan: nil, command: nil)
        }
        return execute(plan, in: situation)
    }

    /// Whether an ended plan still describes the vehicle: the same plug-in session (still plugged in), the policy as
    /// it was when the plan ended, and, for a finished plan, the car still at its limit.
    private static func stillShows(_ ended: SmartChargingPlanState, in situation: SmartChargingSituation) -> Bool {
        guard !ended.isActive, situation.vehicle.isPluggedIn else { return false }
        let disabled = ended.finalState == "PLAN:ENDED:DISABLED"
        guard situation.policy.isEnabled != disabled else { return false }
        if !disabled, situation.policy.deadline != ended.deadlineText { return false }
        return ended.finalState != "PLAN:ENDED:FINISHED" || situation.vehicle.isFull
    }

    /// The full charge power estimate: seen now while charging, else learnt earlier; nil without a usable battery.
    private static func power(_ situation: SmartChargingSituation) -> Double? {
        let vehicle = situation.vehicle
        guard vehicle.capacityKWh > 0 else { return nil }
        let power = vehicle.isCharging && vehicle.chargeRateKW > 0
            ? vehicle.chargeRateKW / ChargeCurve.standard.factor(at: vehicle.batteryLevel) : situation.learnedPowerKW
        return power.flatMap { $0 > 0.1 ? $0 : nil }
    }

    /// A plan made now, if the vehicle can have one (plugged in at a priced location, a deadline, a time estimate;
    /// charging unless `sessionCharging` says the session already is).
    private static func newPlan(_ situation: SmartChargingSituation, id: String, sessionCharging: Bool) -> SmartChargingPlanState? {
        let vehicle = situation.vehicle
        guard situation.policy.isEnabled, vehicle.isSmartChargeCapable, vehicle.isPluggedIn, !vehicle.isFull, vehicle.locationId != nil,
              vehicle.isCharging || sessionCharging, situation.hasPrices, let power = power(situation), let deadline = situation.deadline
        else { return nil }
        let request = request(situation, power: power, deadline: deadline)
        return SmartChargingPlanState(
            id: id, createdAt: situation.now, deadline: deadline, deadlineText: situation.policy.deadline ?? "",
            locationId: vehicle.locationId, plan: ChargePlanner.plan(request), stopConfirmedAt: nil, startConfirmedAt: nil, chargingSince: nil,
            endedAt: nil, finalState: nil, failureCondition: nil, inputs: PlanInputs(request), trouble: nil)
    }

    /// The planner request for the vehicle now.
    public static func request(_ situation: SmartChargingSituation, power: Double, deadline: Date) -> ChargePlanRequest {
        ChargePlanRequest(
            now: situation.now, deadline: deadline, batteryLevel: situation.vehicle.batteryLevel, targetLevel: situation.vehicle.chargeLimit,
            minimumLevel: situation.policy.minimumChargeLimit, capacityKWh: situation.vehicle.capacityKWh, powerKW: power, prices: situation.prices)
    }

    /// Why an active plan ends now, if it does.
    private static func ending(of plan: SmartChargingPlanState, in situation: SmartChargingSituation) -> (state: String, failure: String?)? {
        let vehicle = situation.vehicle
        if !situation.policy.isEnabled { return ("PLAN:ENDED:DISABLED", nil) }
        if situation.policy.deadline != plan.deadlineText { return ("PLAN:ENDED:DEADLINE_CHANGED", nil) }
        if !vehicle.isPluggedIn { return ("PLAN:ENDED:UNPLUGGED", nil) }
        if vehicle.isFull {
            let length = plan.plan.estimatedFinishAt.timeIntervalSince(plan.createdAt)
            let late = situation.now.timeIntervalSince(plan.plan.estimatedFinishAt) > max(0, length) * lateShare
            return ("PLAN:ENDED:FINISHED", late ? "FINISHED_LATE" : nil)
        }
        if !vehicle.isSmartChargeCapable { return ("PLAN:ENDED:FAILED", "UNKNOWN") }
        if let trouble = plan.trouble, situation.now.timeIntervalSince(trouble.since) >= failingSeconds { return ("PLAN:ENDED:FAILED", trouble.condition) }
        return nil
    }

    /// Drives an active plan: the `PLAN:EXECUTING:*` state and the command that follows it. Outside its charging
    /// intervals, stopped, before the deadline, the plan is re-made from the current level and prices (same id).
    private static func execute(_ plan: SmartChargingPlanState, in situation: SmartChargingSituation) -> SmartChargingDecision {
        var decision = executing(plan, in: situation)
        // An unreachable car keeps its state; commands wait until it answers again.
        if !situation.vehicle.isReachable { decision.command = nil }
        let troubles = ["PLAN:EXECUTING:START_FAILED": "START_FAILED", "PLAN:EXECUTING:STOP_FAILED": "STOP_FAILED",
                        "PLAN:EXECUTING:CHARGE_INTERRUPTED": "CHARGE_INTERRUPTED"]
        if let condition = troubles[decision.state] {
            if decision.plan?.trouble?.condition != condition { decision.plan?.trouble = .init(condition: condition, since: situation.now) }
        } else if !["PLAN:EXECUTING:STARTING", "PLAN:EXECUTING:STOPPING"].contains(decision.state) {
            decision.plan?.trouble = nil
        }
        return decision
    }

    /// The energy a plan still delivers after `instant` (intervals in progress count for their remaining share).
    private static func remainingEnergy(of plan: ChargePlan, after instant: Date) -> Double {
        plan.intervals.reduce(0) { total, interval in
            let length = interval.end.timeIntervalSince(interval.start)
            guard interval.end > instant, length > 0 else { return total }
            let share = min(1, interval.end.timeIntervalSince(max(instant, interval.start)) / length)
            return total + interval.energyKWh * share
        }
    }

    /// The executing state and command, before failure tracking.
    private static func executing(_ plan: SmartChargingPlanState, in situation: SmartChargingSituation) -> SmartChargingDecision {
        var plan = plan
        let now = situation.now
        let vehicle = situation.vehicle
        if situation.isOverridden {
            plan.chargingSince = nil
            return SmartChargingDecision(state: "PLAN:EXECUTING:OVERRIDDEN", consideration: nil, plan: plan, command: nil)
        }
        if !vehicle.isCharging, now < plan.deadline, !plan.plan.charges(at: now), let power = situation.learnedPowerKW {
            let inputs = PlanInputs(request(situation, power: power, deadline: plan.deadline))
            // Re-made when its inputs changed, or when what is still planned no longer reaches the limit (a missed interval).
            let needed = max(0, vehicle.chargeLimit - vehicle.batteryLevel) / 100 * vehicle.capacityKWh
            if inputs != plan.inputs || remainingEnergy(of: plan.plan, after: now) < needed - 0.05 {
                plan.plan = ChargePlanner.plan(request(situation, power: power, deadline: plan.deadline))
                plan.inputs = inputs
            }
        }
        let last = plan.plan.intervals.last
        // Past the deadline, or in the last interval once started, charging continues until the car is full.
        let shouldCharge = now >= plan.deadline || plan.plan.charges(at: now)
            || (vehicle.isCharging && last.map { now >= $0.start } == true)
        let retryDue = situation.lastCommand.map { now.timeIntervalSince($0.at) >= commandRetrySeconds } ?? true
        if shouldCharge {
            if vehicle.isCharging {
                plan.startConfirmedAt = plan.startConfirmedAt ?? now
                plan.chargingSince = plan.chargingSince ?? now
                return SmartChargingDecision(state: "PLAN:EXECUTING:STARTED", consideration: nil, plan: plan, command: nil)
            }
            if situation.pendingCommand == true {
                return SmartChargingDecision(state: "PLAN:EXECUTING:STARTING", consideration: nil, plan: plan, command: nil)
            }
            let state = plan.chargingSince != nil ? "PLAN:EXECUTING:CHARGE_INTERRUPTED"
                : situation.lastCommand.map({ $0.start && $0.failed }) == true ? "PLAN:EXECUTING:START_FAILED" : "PLAN:EXECUTING:STARTING"
            let repeatCommand = situation.lastCommand.map { !$0.start } ?? true || retryDue
            return SmartChargingDecision(state: state, consideration: nil, plan: plan, command: repeatCommand ? true : nil)
        }
        plan.chargingSince = nil
        if !vehicle.isCharging {
            plan.stopConfirmedAt = plan.stopConfirmedAt ?? now
            let state = plan.plan.strategy == .latest ? "PLAN:EXECUTING:STOPPED:AWAITING_PRICES" : "PLAN:EXECUTING:STOPPED"
            return SmartChargingDecision(state: state, consideration: nil, plan: plan, command: nil)
        }
        if situation.pendingCommand == false {
            return SmartChargingDecision(state: "PLAN:EXECUTING:STOPPING", consideration: nil, plan: plan, command: nil)
        }
        let failed = situation.lastCommand.map { !$0.start && $0.failed } == true
        let repeatCommand = situation.lastCommand.map { $0.start } ?? true || retryDue
        return SmartChargingDecision(state: failed ? "PLAN:EXECUTING:STOP_FAILED" : "PLAN:EXECUTING:STOPPING", consideration: nil, plan: plan,
                                     command: repeatCommand ? false : nil)
    }
}
