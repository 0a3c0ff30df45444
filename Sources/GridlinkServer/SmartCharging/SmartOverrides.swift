import Foundation
import GridlinkCore
import GridlinkStore
import Logging

/// Smart overrides: charge a vehicle or charger now while a schedule or smart charging controls it, until the target
/// stops charging or the override is ended. The controllers leave an overridden target alone.
struct SmartOverrides: Sendable {
    let store: Store
    let clock: any GridClock
    /// Creates the override's start action.
    let actions: ActionService

    /// Starts an override (or returns the active one): a START action owned by the override.
    func create(clientId: String, type: VendorType, targetId: String) async throws -> JSONValue {
        let now = clock.now()
        let target = try await store.requireAsset(clientId: clientId, type: type, id: targetId)
        if let existing = try await store.read({ try await $0.smartOverride(targetId: targetId) }), existing.isActive { return existing.body }
        let isCharging = target.body["chargeState"]?["isCharging"]?.bool ?? false
        let action = isCharging ? nil : try await actions.create(
            clientId: clientId, type: type, assetId: targetId, kind: .charging(start: true), owner: .smartOverride)
        let body: JSONValue = [
            "createdAt": .string(Timestamp.format(now)), "endedAt": nil, "targetType": .string(type.rawValue), "targetId": .string(targetId),
            "vendorActionId": action.map { .string($0.id) } ?? .null, "userId": .string(target.userId), "vendor": .string(target.vendor),
        ]
        try await store.write { try await $0.setSmartOverride(targetId: targetId, clientId: clientId, userId: target.userId, isActive: true, body: body) }
        return body
    }

    /// Ends the target's active override; 404 when there is none.
    func end(clientId: String, type: VendorType, targetId: String) async throws -> JSONValue {
        let now = clock.now()
        return try await store.write { session in
            _ = try await session.requireAsset(clientId: clientId, type: type, id: targetId)
            guard let existing = try await session.smartOverride(targetId: targetId), existing.isActive else {
                throw Problem.notFound("No smart override exists for \(type.rawValue) \(targetId)", title: "No Smart Override Exists")
            }
            return try await Self.finish(existing.body, targetId: targetId, clientId: clientId, at: now, in: session)
        }
    }

    /// Ends every active override whose target has stopped charging (after its start action finished) or whose
    /// start action failed; one override that cannot be checked does not hold up the others.
    func endStopped(logger: Logger) async {
        let now = clock.now()
        let active: [(targetId: String, clientId: String, body: JSONValue)]
        do {
            active = try await store.read { try await $0.activeSmartOverrides() }
        } catch {
            logger.warning("Smart overrides could not be read: \(error)")
            return
        }
        for entry in active {
            do {
                try await endIfStopped(entry, at: now)
            } catch {
                logger.warning("Smart override of \(entry.targetId) could not be checked: \(error)")
            }
        }
    }

    /// Ends one override when its target is gone, its start failed, or the target stopped charging.
    private func endIfStopped(_ entry: (targetId: String, clientId: String, body: JSONValue), at now: Date) async throws {
        try await store.write { session in
            let target = try await session.asset(clientId: entry.clientId, id: entry.targetId)
            let action = try await entry.body["vendorActionId"]?.string.asyncFlatMap { id -> VendorAction? in
                guard let target else { return nil }
                return try await session.action(clientId: entry.clientId, targetType: target.type, id: id)
            }
            let isCharging = target?.body["chargeState"]?["isCharging"]?.bool ?? false
            let startFailed = action.map { $0.state == .failed || $0.state == .cancelled } ?? false
            guard target == nil || startFailed || (!isCharging && action?.isPending != true) else { return }
            try await Self.finish(entry.body, targetId: entry.targetId, clientId: entry.clientId, at: now, in: session)
        }
    }

    @discardableResult
    private static func finish(_ body: JSONValue, targetId: String, clientId: String, at now: Date, in session: StoreSession) async throws -> JSONValue {
        var ended = body
        ended["endedAt"] = .string(Timestamp.format(now))
        try await session.setSmartOverride(targetId: targetId, clientId: clientId, userId: body["userId"]?.string ?? "", isActive: false, body: ended)
        return ended
    }
}
