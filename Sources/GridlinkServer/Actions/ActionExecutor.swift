import Foundation
import GridlinkCore
import GridlinkStore
import Logging
import ServiceLifecycle

/// Drives pending actions: sends commands through the connector on the retry schedule, asks for an early sync
/// after each, confirms only from synced asset data, and fails or cancels at the deadline.
struct ActionExecutor: Service {
    let store: Store
    let connector: any VendorConnector
    let clock: any GridClock
    let wallClock: any GridClock
    let logger: Logger
    /// Where rounds and their work are counted and timed.
    let metrics: ServerMetrics
    /// This process's name in action claims.
    let holder: String
    /// How long a claim protects an action from other processes (wall time).
    static let claimSeconds: TimeInterval = 10
    /// Real time between looks for due actions.
    static let interval = Duration.milliseconds(250)

    func run() async throws {
        await RepeatingRounds.run(every: Self.interval, logger: logger, metrics: metrics, name: "Action") { try await runDue() }
    }

    /// Claims and processes every action that is due now.
    func runDue() async throws {
        let wallNow = wallClock.now()
        let due = try await store.write { [holder, clock] in
            try await $0.claimDueActions(holder: holder, limit: 50, now: clock.now(), claimUntil: wallNow.addingTimeInterval(Self.claimSeconds), wallNow: wallNow)
        }
        for action in due {
            do { try await process(action) } catch { logger.warning("Action \(action.id) step failed: \(error)") }
        }
    }

    /// One step of one action.
    func process(_ action: VendorAction) async throws {
        let now = clock.now()
        let asset = try await store.read { try await $0.asset(clientId: action.clientId, type: action.targetType, id: action.targetId) }
        guard let asset else {
            return try await finish(action, .cancelled, ActionFailure(.notFound, "The target no longer exists"), at: now)
        }
        if ActionRules.isConfirmed(action.kind, asset: asset.body) {
            return try await finish(action, .confirmed, nil, at: now)
        }
        if now >= action.deadline {
            if ActionRules.preconditionLost(action.kind, asset: asset.body) {
                return try await finish(action, .cancelled, ActionFailure(.failedPrecondition, "The device was unplugged"), at: now)
            }
            return try await finish(action, .failed, ActionFailure(.noResponse, "The device did not reach the requested state in time"), at: now)
        }
        var next = action
        next.nextCheckAt = min(action.deadline, now.addingTimeInterval(ActionRules.checkInterval))
        let resendAt = action.lastCommandAt.map { $0.addingTimeInterval(ActionRules.retryDelay(afterAttempts: action.attempts)) } ?? now
        if now >= resendAt {
            next.attempts += 1
            next.lastCommandAt = now
            switch try await send(action, asset: asset) {
            case .accepted(let effectiveAt, let target):
                // Confirmation comes from synced data: ask for a sync just after the effect should show.
                let syncAt = max(effectiveAt ?? now, now).addingTimeInterval(1)
                try await store.write { try await $0.expediteSync(clientId: target.clientId, userId: target.userId, accountRef: target.accountRef, to: syncAt) }
                next.nextCheckAt = min(next.nextCheckAt, syncAt.addingTimeInterval(1))
            case .notCapable:
                return try await finish(action, .cancelled, ActionFailure(.failedPrecondition, "The device cannot do this"), at: now)
            case .vendorUnavailable(let detail):
                return try await finish(action, .failed, ActionFailure(.noResponse, "Vendor outage: \(detail)"), at: now)
            case .failed(let detail):
                // A refusal may mean the device is gone or unreachable: refresh what we know of it soon.
                logger.info("Command for action \(action.id) failed: \(detail); retrying until \(action.deadline)")
                let syncAt = now.addingTimeInterval(1)
                try await store.write { try await $0.expediteSync(clientId: asset.clientId, userId: asset.userId, accountRef: asset.accountRef, to: syncAt) }
                next.nextCheckAt = min(next.nextCheckAt, syncAt.addingTimeInterval(1))
            }
        }
        _ = try await store.write { [next] in try await $0.updatePendingAction(next) }
    }

    private enum Sent {
        case accepted(Date?, AssetRecord)
        case notCapable
        case failed(String)
        case vendorUnavailable(String)
    }

    /// Sends to the target, or for a vehicle that cannot charge itself, to its paired charger.
    private func send(_ action: VendorAction, asset: AssetRecord) async throws -> Sent {
        switch try await connector.send(action.kind, clientId: action.clientId, deviceRef: asset.deviceRef, reference: action.id) {
        case .accepted(let at): return .accepted(at, asset)
        case .failed(let detail): return .failed(detail)
        case .vendorUnavailable(let detail): return .vendorUnavailable(detail)
        case .notCapable:
            guard action.targetType == .vehicle, case .charging = action.kind else { return .notCapable }
            let chargers = try await store.read { try await $0.assets(clientId: action.clientId, userId: action.userId) }.filter { $0.type == .charger }
            let pluggedInto = asset.body["chargeState"]?["pluggedInChargerId"]
            guard let charger = chargers.first(where: { pluggedInto == .string($0.id) }) ?? chargers.first else { return .notCapable }
            switch try await connector.send(action.kind, clientId: action.clientId, deviceRef: charger.deviceRef, reference: action.id) {
            case .accepted(let at): return .accepted(at, asset)
            case .failed(let detail): return .failed(detail)
            case .vendorUnavailable(let detail): return .vendorUnavailable(detail)
            case .notCapable: return .notCapable
            }
        }
    }

    private func finish(_ action: VendorAction, _ state: ActionState, _ failure: ActionFailure?, at now: Date) async throws {
        try await store.write { try await ActionService.finish(action, state, failure, at: now, in: $0) }
    }
}
