import Foundation

/// What logging in to a vendor account produced.
public enum LoginOutcome: Sendable, Equatable {
    /// The account is linked; `accountRef` names it from now on.
    case linked(accountRef: String)
    /// The vendor asks for a one-time code before it lets the user in.
    case oneTimeCodeRequired
    /// Wrong username, password or code.
    case invalidCredentials
    /// The vendor cannot be reached.
    case vendorUnavailable
}

/// One vendor account as the connector sees it now.
public struct AccountReading: Sendable, Equatable {
    /// False once the stored credentials stopped working (the devices are then not readable).
    public let credentialsValid: Bool
    /// The account's devices.
    public let devices: [DeviceReading]
    /// Seconds until the account should be read again (shorter while a device is active).
    public let pollSeconds: Double

    /// Creates a reading.
    public init(credentialsValid: Bool, devices: [DeviceReading], pollSeconds: Double) {
        self.credentialsValid = credentialsValid
        self.devices = devices
        self.pollSeconds = pollSeconds
    }
}

/// What a vendor did with a command.
public enum CommandResult: Sendable, Equatable {
    /// Accepted; the effect should show from `effectiveAt` (nil when the vendor gave no estimate or swallowed it).
    case accepted(effectiveAt: Date?)
    /// The device cannot do it itself (an EV-charger pair may route it elsewhere).
    case notCapable
    /// Refused or failed at the vendor.
    case failed(String)
    /// The vendor is down (an outage): the command cannot reach the device.
    case vendorUnavailable(String)
}

/// The boundary to vendor clouds: the sandbox implements it today, real connectors (OCPP) later.
public protocol VendorConnector: Sendable {
    /// Logs in to a vendor account of `vendor` for a client, optionally with a one-time code.
    func login(clientId: String, vendor: String, vendorType: VendorType, username: String, password: String, oneTimeCode: String?) async throws -> LoginOutcome
    /// Reads an account and its devices.
    func readAccount(clientId: String, accountRef: String) async throws -> AccountReading
    /// Sends an action's command to a device; `reference` names what it is sent for (the action's id) in the vendor's log.
    func send(_ kind: ActionKind, clientId: String, deviceRef: String, reference: String?) async throws -> CommandResult
    /// The current status of each of `vendors` as seen by a client.
    func vendorStatuses(clientId: String, vendors: [String]) async throws -> [String: VendorHealthStatus]
}
