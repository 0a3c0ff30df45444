import Foundation
import GridlinkCore
import GridlinkSandbox
import GridlinkStore

/// The sandbox as a vendor connector: virtual accounts log in, simulated devices are read.
///
/// Magic passwords (docs/SANDBOX.md) drive linking outcomes without setting accounts up.
struct SandboxConnector: VendorConnector {
    let runtime: SandboxRuntime

    /// Passwords with a special meaning in sandbox logins.
    enum MagicPassword {
        /// Creates (or reuses) an account with one device of the requested type and links it.
        static let link = "gridlink"
        /// Like ``link`` but asks for the one-time code first.
        static let withCode = "gridlink-otp"
        /// Always rejected as wrong credentials.
        static let fail = "gridlink-fail"
        /// The vendor is down.
        static let outage = "gridlink-outage"
        /// The one-time code every sandbox vendor accepts.
        static let oneTimeCode = "123456"
    }

    /// Vendors whose sandbox logins always ask for a one-time code, like their real counterparts with 2FA.
    static let vendorsWithCode: Set<String> = ["TESLA", "MERCEDES", "HONDA"]

    func login(clientId: String, vendor: String, vendorType: VendorType, username: String, password: String, oneTimeCode: String?) async throws -> LoginOutcome {
        switch password {
        case MagicPassword.fail: return .invalidCredentials
        case MagicPassword.outage: return .vendorUnavailable
        default: break
        }
        let magic = password == MagicPassword.link || password == MagicPassword.withCode
        let needsCode = password == MagicPassword.withCode || Self.vendorsWithCode.contains(vendor)
        if needsCode {
            guard let oneTimeCode else {
                return try await accountExists(clientId, vendor, username, password) || magic ? .oneTimeCodeRequired : .invalidCredentials
            }
            guard oneTimeCode == MagicPassword.oneTimeCode else { return .invalidCredentials }
        }
        return try await runtime.mutate { engine -> LoginOutcome in
            if engine.isVendorDown(vendor, clientId: clientId) { return .vendorUnavailable }
            if let account = engine.accounts.first(where: { $0.clientId == clientId && $0.vendor == vendor && $0.username == username }) {
                guard magic || account.password == password else { return .invalidCredentials }
                engine.restoreCredentials(accountId: account.id)
                return .linked(accountRef: account.id)
            }
            guard magic else { return .invalidCredentials }
            let account = try engine.createAccount(
                clientId: clientId, vendor: vendor, username: username, password: password, siteId: nil,
                devices: [DeviceSpec(type: vendorType)], limits: runtime.limits)
            return .linked(accountRef: account.id)
        }
    }

    func readAccount(clientId: String, accountRef: String) async throws -> AccountReading {
        try await runtime.read { engine in
            guard let account = engine.account(accountRef), account.clientId == clientId else {
                return AccountReading(credentialsValid: true, devices: [], pollSeconds: 420)
            }
            let devices = engine.devices.filter { $0.accountId == accountRef }
            let readings = devices.map { DeviceReading(deviceRef: $0.id, type: $0.type, vendor: $0.vendor, view: engine.view(of: $0)) }
            let active = readings.contains { $0.view["state"]?["isCharging"] == .bool(true) || $0.view["state"]?["isActive"] == .bool(true) }
            let polls = devices.map { VendorTraitsCatalogue.traits(vendor: $0.vendor, type: $0.type) }
                .map { active ? $0.activePollSeconds : $0.idlePollSeconds }
            return AccountReading(credentialsValid: account.credentialsValid, devices: readings, pollSeconds: polls.min() ?? 420)
        }
    }

    func send(_ kind: ActionKind, clientId: String, deviceRef: String, reference: String?) async throws -> CommandResult {
        let command: DeviceCommand = switch kind {
        case .charging(let start): start ? .startCharging : .stopCharging
        case .maxCurrent(let current): .setMaxCurrent(current)
        case .operationMode(let mode): .setOperationMode(mode)
        case .permanentHold(let mode, let heat, let cool): .setPermanentHold(mode: mode, heatSetpoint: heat, coolSetpoint: cool)
        case .followSchedule: .followSchedule
        }
        do {
            let logging = Self.logEntry(command, to: deviceRef, clientId: clientId, reference: reference, process: runtime.holder)
            switch try await runtime.mutate(logging: logging, { try $0.send(command, to: deviceRef, clientId: clientId) }) {
            case .accepted(let effectiveAt): return .accepted(effectiveAt: effectiveAt)
            case .failed(.notCapable, _), .failed(.unsupported, _): return .notCapable
            case .failed(.outage, let detail): return .vendorUnavailable(detail)
            case .failed(let kind, let detail): return .failed("\(kind.rawValue): \(detail)")
            }
        } catch let problem as Problem where problem.status == 404 {
            return .failed("The device no longer exists at the vendor")
        }
    }

    /// The command log entry of a command sent to a sandbox device, saved with the world change it makes.
    static func logEntry(
        _ command: DeviceCommand, to deviceId: String, clientId: String, reference: String?, process: String
    ) -> @Sendable (CommandOutcome, Date) -> SandboxCommandRecord {
        { outcome, at in
            let result = switch outcome {
            case .accepted: "accepted"
            case .failed(let kind, _): kind.rawValue
            }
            return SandboxCommandRecord(
                clientId: clientId, deviceId: deviceId, command: command.name, reference: reference, process: process, outcome: result, sentAt: at)
        }
    }

    func vendorStatuses(clientId: String, vendors: [String]) async throws -> [String: VendorHealthStatus] {
        try await runtime.read { engine in
            Dictionary(vendors.map { ($0, engine.vendorStatus($0, clientId: clientId)) }, uniquingKeysWith: { first, _ in first })
        }
    }

    private func accountExists(_ clientId: String, _ vendor: String, _ username: String, _ password: String) async throws -> Bool {
        try await runtime.read { engine in
            engine.accounts.contains { $0.clientId == clientId && $0.vendor == vendor && $0.username == username && $0.password == password }
        }
    }
}
