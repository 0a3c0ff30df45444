import Foundation
import GridlinkCore
import GridlinkStore
import Logging
import ServiceLifecycle

/// The smart-charging controller: on the shared clock, evaluates every vehicle that has a smart-charging record,
/// records its status (with `user:vehicle:smart-charging-status-updated` when it changed) and plan in one
/// transaction, and starts and stops charging through the Actions service at the planned times. It also ends smart
/// overrides whose target stopped charging.
struct SmartChargingRunner: Service {
    let store: Store
    let clock: any GridClock
    let wallClock: any GridClock
    let logger: Logger
    /// Where rounds and their work are counted and timed.
    let metrics: ServerMetrics
    /// Creates the start and stop actions.
    let actions: ActionService
    /// This process's name in the controller lease, so one process controls smart charging at a time.
    let holder: String
    /// Real time between rounds.
    static let interval = Duration.milliseconds(250)

    /// The controller's bookkeeping for one vehicle, kept as the `smart_charging` record.
    struct Record: Codable, Equatable {
        /// The last recorded SmartChargingStatus.
        var status: JSONValue?
        /// The plan in force or the ended plan still shown.
        var plan: SmartChargingPlanState?
        /// Full charge power learnt while the car charged, kW.
        var learnedPowerKW: Double?
        /// The controller's last command.
        var lastCommand: Command?

        /// A command the controller sent.
        struct Command: Codable, Equatable {
            var start: Bool
            var at: Date
            var actionId: String?
        }

        /// Whether a plan is being executed (not ended, not overridden away): the vehicle is under smart-charging control.
        var isExecutingPlan: Bool { plan?.isActive == true }

        /// The record stored as `text`, or an empty one.
        static func decode(_ text: String?) throws -> Record {
            guard let text else { return Record() }
            return try JSONDecoder().decode(Record.self, from: Data(text.utf8))
        }

        /// The record as stored text.
        func text() throws -> String {
            String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
        }
    }

    func run() async throws {
        await RepeatingRounds.run(every: Self.interval, logger: logger, metrics: metrics, name: "Smart charging") { try await runRound() }
    }

    /// Ends finished overrides and evaluates every vehicle once, under the controller lease.
    func runRound() async throws {
        let wallNow = wallClock.now()
        let leased = try await store.write { [holder] in
            try await $0.acquireLease("smart-charging-controller", holder: holder, until: wallNow.addingTimeInterval(10), at: wallNow)
        }
        guard leased else { return }
        await SmartOverrides(store: store, clock: clock, actions: actions).endStopped(logger: logger)
        var position: Int64 = 0
        while true {
            let batch = try await store.read { [position] in try await $0.smartChargingEntries(after: position, limit: 200) }
            for entry in batch {
                do {
                    try await evaluate(clientId: entry.clientId, vehicleId: entry.vehicleId, issuingCommands: true)
                } catch {
                    logger.warning("Smart charging of vehicle \(entry.vehicleId) could not be evaluated: \(error)")
                }
            }
            guard let last = batch.last, batch.count == 200 else { return }
            position = last.seq
        }
    }

    /// The location's 15-minute prices from a day before the deadline to a day past it, when a plan may be made or
    /// re-made (smart charging on, plugged in at a location); empty otherwise.
    private func prices(at location: Location?, until deadline: Date?, now: Date, policy: SmartChargingPolicy, vehicle: VehicleChargeSnapshot) async throws -> [PriceSlot] {
        guard let location, let deadline, policy.isEnabled, vehicle.isPluggedIn else { return [] }
        // From a day before the deadline (so re-planning compares a window that does not move with the clock).
        let earliest = min(now, deadline.addingTimeInterval(-86_400))
        let start = Date(timeIntervalSince1970: (earliest.timeIntervalSince1970 / 900).rounded(.down) * 900)
        return try await PriceService(store: store).prices(for: location, from: start, to: deadline.addingTimeInterval(86_400), slotMinutes: 15)
            .prices.map(\.slot)
    }

    /// Brings a vehicle's status up to date after a committed change without commanding; a failure is logged (the
    /// controller's next round catches up), never reported for a change that already succeeded.
    func refresh(clientId: String, vehicleId: String) async {
        do {
            try await evaluate(clientId: clientId, vehicleId: vehicleId, issuingCommands: false)
        } catch {
            logger.warning("Smart charging of vehicle \(vehicleId) could not be refreshed: \(error)")
        }
    }

    /// Evaluates one vehicle now and records its status and plan; with `issuingCommands` it starts or stops charging
    /// as the plan says. Returns the status (nil when the vehicle is gone or changed while being evaluated).
    @discardableResult
    func evaluate(clientId: String, vehicleId: String, issuingCommands: Bool) async throws -> JSONValue? {
        let now = clock.now()
        let found = try await store.read { session -> (AssetRecord, String?, Location?, Bool, String?)? in
            guard let asset = try await session.asset(clientId: clientId, type: .vehicle, id: vehicleId) else { return nil }
            let bodyText = try await session.assetBodyText(id: vehicleId)
            let location = try await asset.locationId.asyncFlatMap { try await session.location(clientId: clientId, id: $0) }
            // Prices exist where a tariff is linked or inside a market area.
            let priced = try await location.asyncFlatMap { try await PriceService.hasPrices(at: $0, in: session) } ?? false
            return (asset, bodyText, location, priced, try await session.smartChargingRecordText(vehicleId: vehicleId))
        }
        guard let (vehicle, bodyText, location, hasPrices, stored) = found else { return nil }
        let policy = SmartChargingPolicy(body: vehicle.body)
        let deadline = location.flatMap { policy.nextDeadline(after: now, in: $0.timeZone) }
        let snapshot = VehicleChargeSnapshot(body: vehicle.body)
        // A plan being executed inside its interval, or while charging, is not re-made: no prices needed.
        let plan = try Record.decode(stored).plan
        let executing = plan.map {
            $0.isActive && policy.isEnabled && policy.deadline == $0.deadlineText && ($0.plan.charges(at: now) || snapshot.isCharging)
        } ?? false
        let prices = executing ? [] : try await prices(at: location, until: deadline, now: now, policy: policy, vehicle: snapshot)
        let currency = location.map { PriceArea.nearest(latitude: $0.latitude, longitude: $0.longitude).currency } ?? "EUR"
        let outcome = try await store.write { session -> (JSONValue, Bool?)? in
            // The vehicle (its policy) may have changed since it was read: leave it to the next round.
            guard try await session.assetBodyText(id: vehicleId) == bodyText else { return nil }
            let original = try Record.decode(try await session.smartChargingRecordText(vehicleId: vehicleId))
            var record = original
            let override = try await session.smartOverride(targetId: vehicleId)
            let pending = try await session.pendingAction(clientId: clientId, targetId: vehicleId)
            var lastCommand: (start: Bool, at: Date, failed: Bool)?
            if let sent = record.lastCommand {
                let action = try await sent.actionId.asyncFlatMap { try await session.action(clientId: clientId, targetType: .vehicle, id: $0) }
                lastCommand = (sent.start, sent.at, sent.actionId == nil || action.map { $0.state == .failed || $0.state == .cancelled } == true)
            }
            let pendingStart: Bool? = if case .charging(let start)? = pending?.kind { start } else { nil }
            let situation = SmartChargingSituation(
                now: now, policy: policy, vehicle: snapshot, deadline: deadline, prices: prices, hasPrices: hasPrices,
                learnedPowerKW: record.learnedPowerKW, plan: record.plan, isOverridden: override?.isActive == true,
                pendingCommand: pendingStart, lastCommand: lastCommand)
            let decision = SmartChargingMachine.decide(situation, newPlanId: UUID().uuidString.lowercased())
            if snapshot.isCharging, snapshot.chargeRateKW > 0 {
                record.learnedPowerKW = snapshot.chargeRateKW / ChargeCurve.standard.factor(at: snapshot.batteryLevel)
            }
            var status = SmartChargingViews.status(
                vehicle: vehicle, decision: decision, currency: currency, override: override?.isActive == true ? override?.body : nil, now: now)
            var before = record.status ?? [:]
            before["updatedAt"] = nil
            before["stateChangedAt"] = nil
            var after = status
            after["updatedAt"] = nil
            after["stateChangedAt"] = nil
            let changed = FieldDiff.changedFields(from: before, to: after)
            if let previous = record.status {
                if changed.isEmpty { status["updatedAt"] = previous["updatedAt"] ?? status["updatedAt"] }
                if previous["state"] == status["state"] { status["stateChangedAt"] = previous["stateChangedAt"] ?? status["stateChangedAt"] }
            }
            let command = issuingCommands ? decision.command : nil
            if command != nil { record.lastCommand = Record.Command(start: command!, at: now, actionId: nil) }
            if let old = record.plan, old.isActive, decision.plan?.id != old.id {
                var ended = old
                ended.endedAt = now
                ended.finalState = "PLAN:ENDED:DEADLINE_CHANGED"
                try await session.saveSmartChargingPlan(
                    id: ended.id, vehicleId: vehicleId, clientId: clientId, body: SmartChargingViews.plan(vehicle: vehicle, ended, currency: currency), at: now)
            }
            let planChanged = decision.plan != record.plan
            record.plan = decision.plan
            record.status = status
            if record != original {
                try await session.setSmartChargingRecord(vehicleId: vehicleId, clientId: clientId, userId: vehicle.userId, text: try record.text(), at: now)
            }
            if planChanged, let plan = decision.plan {
                try await session.saveSmartChargingPlan(
                    id: plan.id, vehicleId: vehicleId, clientId: clientId,
                    body: SmartChargingViews.plan(vehicle: vehicle, plan, currency: currency), at: now)
            }
            if !changed.isEmpty {
                try await session.appendEvent(NewOutboxEvent(
                    clientId: clientId, userId: vehicle.userId, name: "user:vehicle:smart-charging-status-updated",
                    payload: try EventPayload.encode([
                        "user": ["id": .string(vehicle.userId)], "smartChargingStatus": status,
                        "updatedFields": .array(changed.map { .string($0) }),
                    ])), at: now)
            }
            return (status, command)
        }
        guard let (status, command) = outcome else { return nil }
        if let command {
            do {
                let action = try await actions.create(
                    clientId: clientId, type: .vehicle, assetId: vehicleId, kind: .charging(start: command), owner: .smartCharging)
                try await store.write { session in
                    var record = try Record.decode(try await session.smartChargingRecordText(vehicleId: vehicleId))
                    record.lastCommand?.actionId = action.id
                    try await session.setSmartChargingRecord(vehicleId: vehicleId, clientId: clientId, userId: vehicle.userId, text: try record.text(), at: now)
                }
            } catch let problem as Problem {
                logger.info("Smart charging could not \(command ? "start" : "stop") vehicle \(vehicleId): \(problem.detail)")
            }
        }
        return status
    }
}
