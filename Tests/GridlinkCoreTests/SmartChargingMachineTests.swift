import Foundation
import GridlinkCore
import Testing

@Suite("Smart-charging state machine")
struct SmartChargingMachineTests {
    static let policy = SmartChargingPolicy(isEnabled: true, deadline: "07:00", minimumChargeLimit: 0)

    static func vehicle(plugged: Bool = true, charging: Bool = true, level: Double = 40, atHome: Bool = true) -> VehicleChargeSnapshot {
        VehicleChargeSnapshot(body: [
            "isReachable": true,
            "capabilities": ["smartCharging": ["isCapable": true]],
            "chargeState": ["isPluggedIn": .bool(plugged), "isCharging": .bool(charging), "batteryLevel": .number(level), "chargeLimit": 80,
                            "batteryCapacity": 60, "chargeRate": .number(charging ? 11 : 0)],
            "location": ["id": atHome ? "home" : nil],
        ])
    }

    static func situation(at hour: Double, vehicle: VehicleChargeSnapshot = vehicle(), policy: SmartChargingPolicy = policy,
                          plan: SmartChargingPlanState? = nil, overridden: Bool = false, pending: Bool? = nil,
                          lastCommand: (start: Bool, at: Date, failed: Bool)? = nil) -> SmartChargingSituation {
        SmartChargingSituation(
            now: ChargePlannerTests.hour(hour), policy: policy, vehicle: vehicle, deadline: ChargePlannerTests.hour(7),
            prices: ChargePlannerTests.nightCheap, hasPrices: true, learnedPowerKW: 11, plan: plan, isOverridden: overridden,
            pendingCommand: pending, lastCommand: lastCommand)
    }

    static func hours(_ instant: Date) -> Double { instant.timeIntervalSince(ChargePlannerTests.midnight) / 3600 }

    static func decide(_ situation: SmartChargingSituation) -> SmartChargingDecision {
        SmartChargingMachine.decide(situation, newPlanId: "plan-1")
    }

    @Test("a plugged-in car charging at home gets a plan that stops it, waits, starts it in the cheap hours and finishes")
    func planLifecycle() throws {
        let made = Self.decide(Self.situation(at: -6))
        #expect(made.state == "PLAN:EXECUTING:STOPPING" && made.command == false)
        var plan = try #require(made.plan)
        #expect(plan.plan.intervals.allSatisfy { $0.start >= ChargePlannerTests.hour(1) })
        #expect(Self.decide(Self.situation(at: -6, plan: plan, pending: false)).state == "PLAN:EXECUTING:STOPPING")
        let stopped = Self.decide(Self.situation(at: -5.9, vehicle: Self.vehicle(charging: false), plan: plan,
                                                 lastCommand: (false, ChargePlannerTests.hour(-6), false)))
        #expect(stopped.state == "PLAN:EXECUTING:STOPPED" && stopped.command == nil && stopped.plan?.stopConfirmedAt != nil)
        plan = try #require(stopped.plan)
        let start = try #require(plan.plan.startAt)
        let starting = Self.decide(Self.situation(at: start.timeIntervalSince(ChargePlannerTests.midnight) / 3600, vehicle: Self.vehicle(charging: false),
                                                  plan: plan, lastCommand: (false, ChargePlannerTests.hour(-6), false)))
        #expect(starting.state == "PLAN:EXECUTING:STARTING" && starting.command == true)
        let inPlan = Self.hours(start) + 0.2
        let started = Self.decide(Self.situation(at: inPlan, plan: plan, lastCommand: (true, start, false)))
        #expect(started.state == "PLAN:EXECUTING:STARTED" && started.command == nil)
        plan = try #require(started.plan)
        let finished = Self.decide(Self.situation(at: inPlan + 1, vehicle: Self.vehicle(charging: false, level: 80), plan: plan))
        #expect(finished.state == "PLAN:ENDED:FINISHED" && finished.plan?.finalState == "PLAN:ENDED:FINISHED" && finished.plan?.failureCondition == nil)
        // The ended plan stays while plugged in; unplugged, the car is considered again.
        #expect(Self.decide(Self.situation(at: 4, vehicle: Self.vehicle(charging: false, level: 80), plan: finished.plan)).state == "PLAN:ENDED:FINISHED")
        // Unplugged and still full it is FULLY_CHARGED until it is used; driven, it is considered again.
        #expect(Self.decide(Self.situation(at: 8, vehicle: Self.vehicle(plugged: false, charging: false, level: 80), plan: finished.plan)).state == "FULLY_CHARGED")
        let away = Self.decide(Self.situation(at: 9, vehicle: Self.vehicle(plugged: false, charging: false, level: 70), plan: finished.plan))
        #expect(away.state == "CONSIDERING" && away.plan == nil && away.consideration?.isPluggedIn == false)
    }

    @Test("disabled, incapable, full and not-yet-ready vehicles")
    func statesWithoutPlan() {
        #expect(Self.decide(Self.situation(at: 0, policy: .disabled)).state == "DISABLED")
        var incapable = Self.vehicle()
        incapable.isSmartChargeCapable = false
        #expect(Self.decide(Self.situation(at: 0, vehicle: incapable)).state == "UNKNOWN")
        #expect(Self.decide(Self.situation(at: 0, vehicle: Self.vehicle(charging: false, level: 80))).state == "FULLY_CHARGED")
        let away = Self.decide(Self.situation(at: 0, vehicle: Self.vehicle(atHome: false)))
        #expect(away.state == "CONSIDERING" && away.consideration == .init(isPluggedIn: true, isCharging: true, atChargingLocation: false, hasTimeEstimate: true))
        let idle = Self.decide(Self.situation(at: 0, vehicle: Self.vehicle(charging: false)))
        #expect(idle.state == "CONSIDERING" && idle.consideration?.isCharging == false)
    }

    @Test("a plan ends when unplugged, disabled or given a new deadline (which plans again at once)")
    func planEndings() throws {
        let plan = try #require(Self.decide(Self.situation(at: -6)).plan)
        let unplugged = Self.decide(Self.situation(at: -5, vehicle: Self.vehicle(plugged: false, charging: false), plan: plan))
        #expect(unplugged.state == "PLAN:ENDED:UNPLUGGED" && unplugged.plan?.endedAt != nil)
        let disabled = Self.decide(Self.situation(at: -5, policy: .disabled, plan: plan))
        #expect(disabled.state == "PLAN:ENDED:DISABLED")
        var later = Self.policy
        later.deadline = "08:00"
        let replanned = Self.decide(Self.situation(at: -5, policy: later, plan: plan))
        #expect(replanned.state == "PLAN:EXECUTING:STOPPING" && replanned.plan?.deadlineText == "08:00" && replanned.plan?.isActive == true)
    }

    @Test("an override suspends the plan; an interruption and a failed start are reported and the start is repeated")
    func overrideAndFailures() throws {
        let plan = try #require(Self.decide(Self.situation(at: -6)).plan)
        let overridden = Self.decide(Self.situation(at: -5, plan: plan, overridden: true))
        #expect(overridden.state == "PLAN:EXECUTING:OVERRIDDEN" && overridden.command == nil)
        let start = Self.hours(try #require(plan.plan.startAt))
        var charging = try #require(Self.decide(Self.situation(at: start + 0.1, plan: plan, lastCommand: (true, ChargePlannerTests.hour(start), false))).plan)
        #expect(charging.chargingSince != nil)
        charging.chargingSince = ChargePlannerTests.hour(start + 0.1)
        let interrupted = Self.decide(Self.situation(at: start + 0.2, vehicle: Self.vehicle(charging: false, level: 60), plan: charging,
                                                     lastCommand: (true, ChargePlannerTests.hour(start), false)))
        #expect(interrupted.state == "PLAN:EXECUTING:CHARGE_INTERRUPTED" && interrupted.command == true)
        let failed = Self.decide(Self.situation(at: start + 0.05, vehicle: Self.vehicle(charging: false), plan: plan,
                                                lastCommand: (true, ChargePlannerTests.hour(start), true)))
        #expect(failed.state == "PLAN:EXECUTING:START_FAILED" && failed.command == nil)
        let retried = Self.decide(Self.situation(at: start + 0.1, vehicle: Self.vehicle(charging: false), plan: plan,
                                                 lastCommand: (true, ChargePlannerTests.hour(start), true)))
        #expect(retried.command == true)
    }

    @Test("a plan that reaches the limit long after its estimate finished late")
    func finishedLate() throws {
        let plan = try #require(Self.decide(Self.situation(at: -6)).plan)
        let late = Self.decide(Self.situation(at: 9, vehicle: Self.vehicle(level: 80), plan: plan))
        #expect(late.state == "PLAN:ENDED:FINISHED" && late.plan?.failureCondition == "FINISHED_LATE")
    }

    @Test("a new deadline while the plan holds the car stopped makes a new plan at once")
    func deadlineChangeWhileStopped() throws {
        let plan = try #require(Self.decide(Self.situation(at: -6)).plan)
        var later = Self.policy
        later.deadline = "08:00"
        let replanned = SmartChargingMachine.decide(Self.situation(at: -5, vehicle: Self.vehicle(charging: false), policy: later, plan: plan), newPlanId: "plan-2")
        #expect(replanned.plan?.id == "plan-2" && replanned.plan?.isActive == true && replanned.state == "PLAN:EXECUTING:STOPPED", "\(replanned.state)")
    }

    @Test("a plan disabled while it holds the car stopped gives charging back; re-enabling plans again")
    func disableGivesChargingBack() throws {
        let plan = try #require(Self.decide(Self.situation(at: -6)).plan)
        let disabled = Self.decide(Self.situation(at: -5, vehicle: Self.vehicle(charging: false), policy: .disabled, plan: plan))
        #expect(disabled.state == "PLAN:ENDED:DISABLED" && disabled.command == true)
        let shown = Self.decide(Self.situation(at: -4.9, vehicle: Self.vehicle(charging: true), policy: .disabled, plan: disabled.plan))
        #expect(shown.state == "PLAN:ENDED:DISABLED")
        let again = SmartChargingMachine.decide(Self.situation(at: -4.8, vehicle: Self.vehicle(charging: true), plan: disabled.plan), newPlanId: "plan-3")
        #expect(again.plan?.id == "plan-3" && again.state == "PLAN:EXECUTING:STOPPING", "\(again.state)")
    }

    @Test("a finished plan gives way when the limit is raised; an unreachable car neither fails the plan nor gets commands")
    func raisedLimitAndUnreachable() throws {
        let plan = try #require(Self.decide(Self.situation(at: -6)).plan)
        let finished = Self.decide(Self.situation(at: 3, vehicle: Self.vehicle(charging: false, level: 80), plan: plan))
        var raised = Self.vehicle(charging: true, level: 80)
        raised.chargeLimit = 90
        let after = SmartChargingMachine.decide(Self.situation(at: 3.1, vehicle: raised, plan: finished.plan), newPlanId: "plan-4")
        #expect(after.plan?.id == "plan-4" && after.plan?.isActive == true, "\(after.state)")

        var asleep = Self.vehicle(charging: true)
        asleep.isReachable = false
        let sleeping = Self.decide(Self.situation(at: -5.5, vehicle: asleep, plan: plan))
        #expect(sleeping.plan?.isActive == true && sleeping.command == nil && sleeping.state.hasPrefix("PLAN:EXECUTING"), "\(sleeping.state)")
    }

    @Test("an interval that passed without charging is planned again")
    func missedInterval() throws {
        let plan = try #require(Self.decide(Self.situation(at: -6)).plan)
        let end = try #require(plan.plan.intervals.last?.end)
        let missed = Self.decide(Self.situation(at: Self.hours(end) + 0.1, vehicle: Self.vehicle(charging: false), plan: plan,
                                                lastCommand: (true, end, true)))
        let next = try #require(missed.plan?.plan.intervals.first)
        #expect(next.start >= end && missed.plan?.id == plan.id, "\(missed.state)")
    }

    @Test("new prices re-plan a stopped plan into the new cheap hours, keeping its id")
    func pricesChange() throws {
        let plan = try #require(Self.decide(Self.situation(at: -6)).plan)
        var moved = Self.situation(at: -5, vehicle: Self.vehicle(charging: false), plan: plan)
        moved.prices = (-6..<12).map { hour in
            PriceSlot(start: ChargePlannerTests.hour(Double(hour)), end: ChargePlannerTests.hour(Double(hour + 1)), price: (-3 ..< 0).contains(hour) ? 0.1 : 2)
        }
        let replanned = try #require(Self.decide(moved).plan)
        #expect(replanned.id == plan.id && replanned.plan.intervals.allSatisfy { $0.start >= ChargePlannerTests.hour(-3) && $0.end <= ChargePlannerTests.hour(0) },
                "\(replanned.plan.intervals)")
        #expect(replanned.plan.intervals != plan.plan.intervals)
    }
}
