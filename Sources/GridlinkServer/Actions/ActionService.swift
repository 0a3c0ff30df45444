import Foundation
import GridlinkCore
import GridlinkSandbox
import GridlinkStore

/// Creates and cancels actions: validation against the target's synced data, one action per target, events.
struct ActionService: Sendable {
    let store: Store
    let clock: any GridClock
    /// Asked for the target vendor's status: no action is created while the vendor has an outage.
    let connector: any VendorConnector

    /// Who asks for an action: the API client, or a Gridlink feature that controls the device.
    enum Owner: Equatable {
        /// A request through the control endpoints; refused (422) while a feature controls the device.
        case client
        /// The schedule with this id, driving its target.
        case schedule(String)
        /// The smart-charging controller, executing a vehicle's plan.
        case smartCharging
        /// A smart override, charging its target now.
        case smartOverride
    }

    /// Creates an action on the client's asset, or returns the identical pending vehicle charging action.
    func create(clientId: String, type: VendorType, assetId: String, kind: ActionKind, owner: Owner = .client) async throws -> VendorAction {
        if let vendor = try await store.read({ try await $0.asset(clientId: clientId, type: type, id: assetId) })?.vendor,
           try await connector.vendorStatuses(clientId: clientId, vendors: [vendor])[vendor] == .outage {
            throw Problem.vendorUnavailable("\(vendor) is unavailable (outage); no command can reach the \(type.rawValue) until it is back (see GET /health/\(type.pathSegment))")
        }
        let now = clock.now()
        return try await store.write { session in
            let asset = try await session.requireAsset(clientId: clientId, type: type, id: assetId)
            let scope = ActionRules.controlScope(for: type)
            guard asset.scopes.contains(scope) else {
                throw Problem.forbidden("The user has not granted the \"\(scope)\" scope for this \(type.rawValue)")
            }
            if owner == .client, let feature = try await Self.controllingFeature(of: asset, kind: kind, in: session) {
                throw Problem(status: 422, slug: "enode-controlled-entity", title: "Enode Controlled Entity",
                              detail: "The \(type.rawValue) is controlled by \(feature); disable it or create a smart override first")
            }
            if let pending = try await session.pendingAction(clientId: clientId, targetId: assetId) {
                if type == .vehicle, pending.kind == kind, case .charging = kind { return pending }
                try await Self.finish(pending, .cancelled, ActionFailure(.conflict, "Superseded by a newer action on the same device"), at: now, in: session)
            }
            if let reason = ActionRules.rejection(of: kind, asset: asset.body) {
                throw Problem.badRequest("Precondition failed: \(reason)")
            }
            let timeout = VendorTraitsCatalogue.traits(vendor: asset.vendor, type: type).commandTimeoutSeconds
            let action = VendorAction(
                id: UUID().uuidString.lowercased(), clientId: clientId, userId: asset.userId, targetId: assetId, targetType: type,
                kind: kind, state: .pending, failure: nil, createdAt: now, updatedAt: now, completedAt: nil,
                deadline: now.addingTimeInterval(timeout), nextCheckAt: now, lastCommandAt: nil, attempts: 0)
            try await session.insertAction(action)
            return action
        }
    }

    /// The feature that owns the device for this kind of command: an executing smart-charging plan or an enabled schedule that applies
    /// where the device is (charging commands; HVAC hold commands for temperature schedules).
    static func controllingFeature(of asset: AssetRecord, kind: ActionKind, in session: StoreSession) async throws -> String? {
        switch kind {
        case .charging:
            if asset.type == .vehicle,
               try SmartChargingRunner.Record.decode(try await session.smartChargingRecordText(vehicleId: asset.id)).isExecutingPlan {
                return "an active smart-charging plan"
            }
        case .permanentHold, .followSchedule: break
        case .maxCurrent, .operationMode: return nil
        }
        let schedules = try await session.enabledSchedules(clientId: asset.clientId, targetId: asset.id)
        return schedules.first { $0.locationId == nil || $0.locationId == asset.locationId }.map { "schedule \($0.id)" }
    }

    /// Cancels a pending action; a resolved one comes back unchanged with `isFinal` set (the API answers 409).
    func cancel(clientId: String, type: VendorType, actionId: String) async throws -> (action: VendorAction, wasFinal: Bool) {
        let now = clock.now()
        return try await store.write { session in
            guard let action = try await session.action(clientId: clientId, targetType: type, id: actionId) else {
                throw Problem.notFound("Action \(actionId) not found", title: "Entity Not Found")
            }
            guard action.isPending else { return (action, true) }
            let cancelled = try await Self.finish(action, .cancelled, ActionFailure(.requestedCancellation, "Cancelled through the API"), at: now, in: session)
            return (cancelled, false)
        }
    }

    /// Moves a pending action to a final state and writes its event, in the caller's transaction.
    @discardableResult
    static func finish(_ action: VendorAction, _ state: ActionState, _ failure: ActionFailure?, at now: Date, in session: StoreSession) async throws -> VendorAction {
        var final = action
        final.state = state
        final.failure = failure
        final.updatedAt = now
        final.completedAt = now
        guard try await session.updatePendingAction(final) else { return action }
        let fields = ["state", "updatedAt", "completedAt"] + (failure == nil ? [] : ["failureReason"])
        try await session.appendEvent(NewOutboxEvent(
            clientId: action.clientId, userId: action.userId, name: "user:vendor-action:updated",
            payload: try EventPayload.encode(ActionViews.event(final, updatedFields: fields))), at: now)
        return final
    }
}

/// JSON encoding of outbox payloads.
enum EventPayload {
    static func encode(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
