import Foundation
import GridlinkCore
import GridlinkStore
import Logging
import ServiceLifecycle

/// The schedule controller: evaluates every schedule on the shared clock, records status changes with
/// `user:schedule:execution-updated`, and drives misaligned targets through the Actions service as their owner.
struct ScheduleRunner: Service {
    let store: Store
    let clock: any GridClock
    /// The vendor connector, asked whether a target's vendor can take commands.
    let connector: any VendorConnector
    let wallClock: any GridClock
    let logger: Logger
    /// Where rounds and their work are counted and timed.
    let metrics: ServerMetrics
    /// This process's name in the controller lease, so one process controls schedules at a time.
    let holder: String
    /// Real time between rounds.
    static let interval = Duration.milliseconds(250)
    /// Simulated seconds before the controller repeats a command that did not align the target.
    static let commandRetrySeconds: TimeInterval = 300

    func run() async throws {
        await RepeatingRounds.run(every: Self.interval, logger: logger, metrics: metrics, name: "Schedule") { try await runRound() }
    }

    /// Evaluates every schedule once, under the controller lease.
    func runRound() async throws {
        let wallNow = wallClock.now()
        let leased = try await store.write { [holder] in
            try await $0.acquireLease("schedule-controller", holder: holder, until: wallNow.addingTimeInterval(10), at: wallNow)
        }
        guard leased else { return }
        var position: Int64 = 0
        while true {
            let batch = try await store.read { [position] in try await $0.allSchedules(after: position, limit: 200) }
            for entry in batch {
                do {
                    _ = try await evaluate(entry.schedule, issuingCommands: true)
                } catch {
                    logger.warning("Schedule \(entry.schedule.id) could not be evaluated: \(error)")
                }
            }
            guard let last = batch.last, batch.count == 200 else { return }
            position = last.seq
        }
    }

    /// Evaluates one schedule now, records its status (an event when it changed) and returns it; with
    /// `issuingCommands` a misaligned target gets the aligning action.
    @discardableResult
    func evaluate(_ schedule: Schedule, issuingCommands: Bool) async throws -> JSONValue {
        let now = clock.now()
        let (stored, command) = try await store.write { session -> (JSONValue, ActionKind?) in
            let target = try await session.asset(clientId: schedule.clientId, id: schedule.targetId).flatMap { $0.userId == schedule.userId ? $0 : nil }
            let zoneLocation = schedule.locationId ?? target?.locationId
            let location = try await zoneLocation.asyncFlatMap { try await session.location(clientId: schedule.clientId, id: $0) }
            let pending = try await session.pendingAction(clientId: schedule.clientId, targetId: schedule.targetId)
            let stored = try await session.smartOverride(targetId: schedule.targetId)
            let override: JSONValue? = stored?.isActive == true ? stored?.body : nil
            let situation = ScheduleSituation(
                schedule: schedule, target: target, timeZone: location?.timeZone ?? .gmt, hasPendingAction: pending != nil, smartOverride: override)
            var (status, command) = ScheduleStatusBuilder.evaluate(situation, at: now)
            let previous = try await session.scheduleStatus(id: schedule.id)
            let lastCommand = previous?["lastCommandAt"]?.string.flatMap(Timestamp.parse)
            if command != nil, !issuingCommands || lastCommand.map({ now.timeIntervalSince($0) < Self.commandRetrySeconds }) == true {
                command = nil
            }
            var record = status
            record["lastCommandAt"] = command == nil ? previous?["lastCommandAt"] : .string(Timestamp.format(now))
            var before = Self.publicStatus(previous ?? [:])
            before["changedAt"] = nil
            let changed = FieldDiff.changedFields(from: before, to: status)
            record["changedAt"] = changed.isEmpty ? previous?["changedAt"] ?? .string(Timestamp.format(now)) : .string(Timestamp.format(now))
            if record != previous { try await session.setScheduleStatus(id: schedule.id, status: record) }
            if !changed.isEmpty, previous != nil {
                try await session.appendEvent(NewOutboxEvent(
                    clientId: schedule.clientId, userId: schedule.userId, name: "user:schedule:execution-updated",
                    payload: try EventPayload.encode([
                        "user": ["id": .string(schedule.userId)], "schedule": ScheduleViews.schedule(schedule),
                        "status": Self.publicStatus(record), "updatedFields": .array(changed.map { .string($0) }),
                    ])), at: now)
            }
            return (record, command)
        }
        if let command {
            do {
                _ = try await ActionService(store: store, clock: clock, connector: connector).create(
                    clientId: schedule.clientId, type: schedule.targetType, assetId: schedule.targetId, kind: command, owner: .schedule(schedule.id))
            } catch let problem as Problem {
                logger.info("Schedule \(schedule.id) could not command its \(schedule.targetType.rawValue): \(problem.detail)")
            }
        }
        return Self.publicStatus(stored)
    }

    /// The API's status object: the recorded status without the controller's bookkeeping.
    static func publicStatus(_ record: JSONValue) -> JSONValue {
        var status = record
        status["lastCommandAt"] = nil
        return status
    }
}

extension Optional {
    /// `flatMap` with an async transform.
    func asyncFlatMap<Result>(_ transform: (Wrapped) async throws -> Result?) async rethrows -> Result? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
