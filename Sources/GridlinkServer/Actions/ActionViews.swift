import GridlinkCore

/// The API shapes of actions (ENUMS.md §2.3).
enum ActionViews {
    /// An action as its endpoints and events show it.
    static func view(_ action: VendorAction) -> JSONValue {
        var body: JSONValue = [
            "id": .string(action.id), "userId": .string(action.userId),
            "createdAt": .string(Timestamp.format(action.createdAt)), "updatedAt": .string(Timestamp.format(action.updatedAt)),
            "completedAt": action.completedAt.map { .string(Timestamp.format($0)) } ?? .null,
            "state": .string(action.state.rawValue), "targetId": .string(action.targetId), "targetType": .string(action.targetType.rawValue),
        ]
        let failure: JSONValue = action.failure.map { ["type": .string($0.type.rawValue), "detail": .string($0.detail)] } ?? .null
        switch action.kind {
        case .charging(let start):
            body["kind"] = start ? "START" : "STOP"
            body["failureReason"] = failure
        case .maxCurrent(let current):
            body["targetState"] = ["maxCurrent": .number(current)]
            body["failureReason"] = failure
        case .operationMode(let mode):
            body["targetState"] = ["operationMode": .string(mode)]
        case .permanentHold(let mode, let heat, let cool):
            var target: JSONValue = ["mode": .string(mode), "holdType": "PERMANENT"]
            if let heat { target["heatSetpoint"] = .number(heat) }
            if let cool { target["coolSetpoint"] = .number(cool) }
            body["target"] = target
        case .followSchedule:
            body["target"] = ["holdType": "SCHEDULED"]
        }
        return body
    }

    /// Transforms for action bodies (an action, or an event's `vendorAction`).
    static let rendering = VersionedRendering([TargetRenameTransform.charging])

    /// The outbox payload of `user:vendor-action:updated`.
    static func event(_ action: VendorAction, updatedFields: [String]) -> JSONValue {
        ["user": ["id": .string(action.userId)], "vendorAction": view(action), "updatedFields": .array(updatedFields.map { .string($0) })]
    }
}
