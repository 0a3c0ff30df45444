import Foundation

/// What an action asks a device to do.
public enum ActionKind: Sendable, Codable, Equatable {
    /// Start (`true`) or stop (`false`) charging a vehicle or charger.
    case charging(start: Bool)
    /// Set the charging current limit, A.
    case maxCurrent(Double)
    /// Set a battery's operation mode.
    case operationMode(String)
    /// Hold an HVAC mode with setpoints.
    case permanentHold(mode: String, heatSetpoint: Double?, coolSetpoint: Double?)
    /// Return an HVAC unit to its own schedule.
    case followSchedule

    /// Every ``category``.
    public static let categories = ["START", "STOP", "MAX_CURRENT", "OPERATION_MODE", "PERMANENT_HOLD", "FOLLOW_SCHEDULE"]

    /// The kind without its parameters, as operators count actions: one of ``categories``.
    public var category: String {
        switch self {
        case .charging(let start): start ? "START" : "STOP"
        case .maxCurrent: "MAX_CURRENT"
        case .operationMode: "OPERATION_MODE"
        case .permanentHold: "PERMANENT_HOLD"
        case .followSchedule: "FOLLOW_SCHEDULE"
        }
    }
}

/// The lifecycle states of an action (ENUMS ActionState).
public enum ActionState: String, Sendable, Codable, CaseIterable {
    case pending = "PENDING", confirmed = "CONFIRMED", failed = "FAILED", cancelled = "CANCELLED"
}

/// Why an action did not succeed (ENUMS ActionFailureReasonType).
public enum ActionFailureType: String, Sendable, Codable {
    case noResponse = "NO_RESPONSE", failedPrecondition = "FAILED_PRECONDITION", unnecessary = "UNNECESSARY"
    case conflict = "CONFLICT", requestedCancellation = "REQUESTED_CANCELLATION", notFound = "NOT_FOUND"
}

/// A failure reason with its explanation.
public struct ActionFailure: Sendable, Codable, Equatable {
    /// Machine-readable category.
    public let type: ActionFailureType
    /// Human-readable explanation.
    public let detail: String

    /// Creates a failure reason.
    public init(_ type: ActionFailureType, _ detail: String) {
        self.type = type
        self.detail = detail
    }
}

/// An asynchronous request for a device to change state.
public struct VendorAction: Sendable, Equatable {
    /// Action id.
    public let id: String
    /// Owning client.
    public let clientId: String
    /// Owning user.
    public let userId: String
    /// Target asset id.
    public let targetId: String
    /// Target asset type.
    public let targetType: VendorType
    /// What it asks for.
    public let kind: ActionKind
    /// Current state.
    public var state: ActionState
    /// Why it failed or was cancelled.
    public var failure: ActionFailure?
    /// When it was created (simulation time).
    public let createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// When it reached a final state.
    public var completedAt: Date?
    /// When it gives up if unconfirmed.
    public let deadline: Date
    /// When the executor looks at it next.
    public var nextCheckAt: Date
    /// When a command was last sent, if ever.
    public var lastCommandAt: Date?
    /// Commands sent so far.
    public var attempts: Int

    /// Creates an action value.
    public init(
        id: String, clientId: String, userId: String, targetId: String, targetType: VendorType, kind: ActionKind, state: ActionState,
        failure: ActionFailure?, createdAt: Date, updatedAt: Date, completedAt: Date?, deadline: Date, nextCheckAt: Date,
        lastCommandAt: Date?, attempts: Int
    ) {
        self.id = id
        self.clientId = clientId
        self.userId = userId
        self.targetId = targetId
        self.targetType = targetType
        self.kind = kind
        self.state = state
        self.failure = failure
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.completedAt = completedAt
        self.deadline = deadline
        self.nextCheckAt = nextCheckAt
        self.lastCommandAt = lastCommandAt
        self.attempts = attempts
    }

    /// Whether the action still runs.
    public var isPending: Bool { state == .pending }
}
