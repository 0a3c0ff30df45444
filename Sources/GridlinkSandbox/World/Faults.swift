import Foundation

/// The kinds of misbehaviour the sandbox can inject.
public enum FaultKind: String, Sendable, Codable, CaseIterable {
    /// Commands are accepted but never take effect.
    case ignoreCommands
    /// Commands take effect `delaySeconds` later than usual.
    case respondLate
    /// Commands fail with a vendor error.
    case vendorError
    /// Commands fail as rate-limited.
    case rateLimit
    /// The device stops answering: unreachable, commands fail.
    case unreachable
    /// The device sleeps: unreachable for reads, commands fail until it wakes.
    case asleep
    /// The account's credentials stop working.
    case invalidateCredentials
    /// The whole vendor is down.
    case outage
}

/// Which commands and devices a fault applies to; nil fields match everything.
public struct FaultScope: Sendable, Codable, Equatable {
    /// Vendor name.
    public var vendor: String?
    /// Virtual account id.
    public var accountId: String?
    /// Device id.
    public var deviceId: String?
    /// Command name (`startCharging`, `setMaxCurrent`, …).
    public var command: String?

    /// Creates a scope.
    public init(vendor: String? = nil, accountId: String? = nil, deviceId: String? = nil, command: String? = nil) {
        self.vendor = vendor
        self.accountId = accountId
        self.deviceId = deviceId
        self.command = command
    }

    func matches(_ device: SimDevice, command: DeviceCommand?) -> Bool {
        (vendor == nil || vendor == device.vendor)
            && (accountId == nil || accountId == device.accountId)
            && (deviceId == nil || deviceId == device.id)
            && (self.command == nil || command == nil || self.command == command?.name)
    }
}

/// An injected fault: for the next `remaining` matching commands, or each with `probability` (an outage with neither
/// lasts until removed).
public struct FaultRule: Sendable, Codable, Equatable {
    /// Fault id.
    public let id: String
    /// Owning API client.
    public let clientId: String
    /// What it applies to.
    public let scope: FaultScope
    /// What goes wrong.
    public let kind: FaultKind
    /// Matching commands still affected; nil when probability-based or lasting until removed.
    public var remaining: Int?
    /// Chance each matching command is affected; nil when count-based.
    public let probability: Double?
    /// Extra delay for `respondLate`, seconds.
    public let delaySeconds: Double

    /// Whether the fault still has an effect.
    public var isActive: Bool { remaining.map { $0 > 0 } ?? true }

    /// Whether the fault makes matching devices unreachable while active.
    var makesUnreachable: Bool { [.unreachable, .asleep, .outage].contains(kind) }
}
