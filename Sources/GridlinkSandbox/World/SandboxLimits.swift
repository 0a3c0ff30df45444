import GridlinkCore

/// What one client may hold in the shared world, and how much simulated work one request may cause.
///
/// A quota already used up answers 403; a single request that asks for more than a limit allows answers 422. Both
/// problems name the limit in `detail`.
public struct SandboxLimits: Sendable, Equatable {
    /// Virtual accounts one client may hold.
    public var accountsPerClient: Int
    /// Devices one virtual account may hold.
    public var devicesPerAccount: Int
    /// Devices one client may hold over all its accounts.
    public var devicesPerClient: Int
    /// Most simulated work one advance may cause: devices in the world × simulated seconds.
    public var advanceWork: Int
    /// Simulated work done between two saves of a long advance, when other requests get their turn.
    public var sliceWork: Int

    /// Creates limits; the defaults are the documented ones (docs/SANDBOX.md).
    public init(
        accountsPerClient: Int = 100, devicesPerAccount: Int = 50, devicesPerClient: Int = 500,
        advanceWork: Int = 50_000_000, sliceWork: Int = 500_000
    ) {
        self.accountsPerClient = accountsPerClient
        self.devicesPerAccount = devicesPerAccount
        self.devicesPerClient = devicesPerClient
        self.advanceWork = advanceWork
        self.sliceWork = sliceWork
    }

    /// Simulated seconds per slice of an advance over `deviceCount` devices (at least one).
    public func sliceSeconds(deviceCount: Int) -> Double {
        Double(max(1, sliceWork / max(1, deviceCount)))
    }

    /// Refuses (422) an advance of `seconds` over `deviceCount` devices whose work exceeds ``advanceWork``.
    public func checkAdvance(seconds: Double, deviceCount: Int) throws(Problem) {
        let work = seconds * Double(max(1, deviceCount))
        guard work <= Double(advanceWork) else {
            let most = Int(Double(advanceWork) / Double(max(1, deviceCount)))
            throw Self.tooMuch(
                "Advancing \(Int(seconds)) s over the world's \(deviceCount) devices exceeds advanceWork (\(advanceWork) device-seconds per request): advance at most \(most) s at a time")
        }
    }

    /// 403: a quota is used up.
    static func exhausted(_ detail: String) -> Problem {
        Problem(status: 403, slug: "sandbox-quota-exhausted", title: "Sandbox Quota Exhausted", detail: detail)
    }

    /// 422: one request asks for more than a limit allows.
    static func tooMuch(_ detail: String) -> Problem {
        Problem(status: 422, slug: "sandbox-limit-exceeded", title: "Sandbox Limit Exceeded", detail: detail)
    }
}

extension SandboxEngine {
    /// Refuses a new account with `newDevices` devices for `clientId`: 422 when the request alone is over a limit,
    /// 403 when the client's quota of accounts or devices is used up.
    func checkNewAccount(clientId: String, newDevices: Int, limits: SandboxLimits) throws(Problem) {
        if newDevices > limits.devicesPerAccount {
            throw SandboxLimits.tooMuch("\"devices\" asks for \(newDevices) devices; devicesPerAccount allows \(limits.devicesPerAccount)")
        }
        if newDevices > limits.devicesPerClient {
            throw SandboxLimits.tooMuch("\"devices\" asks for \(newDevices) devices; devicesPerClient allows \(limits.devicesPerClient)")
        }
        let accountCount = accounts.count { $0.clientId == clientId }
        if accountCount >= limits.accountsPerClient {
            throw SandboxLimits.exhausted("This client holds \(accountCount) virtual accounts; accountsPerClient allows \(limits.accountsPerClient)")
        }
        try checkClientDevices(clientId: clientId, adding: newDevices, limits: limits)
    }

    /// Refuses (403) a device for an account that holds ``SandboxLimits/devicesPerAccount`` devices or a client at its quota.
    func checkNewDevice(accountId: String, clientId: String, limits: SandboxLimits) throws(Problem) {
        let accountDevices = devices.count { $0.accountId == accountId }
        if accountDevices >= limits.devicesPerAccount {
            throw SandboxLimits.exhausted("Virtual account \(accountId) holds \(accountDevices) devices; devicesPerAccount allows \(limits.devicesPerAccount)")
        }
        try checkClientDevices(clientId: clientId, adding: 1, limits: limits)
    }

    private func checkClientDevices(clientId: String, adding: Int, limits: SandboxLimits) throws(Problem) {
        let clientDevices = devices.count { $0.clientId == clientId }
        if clientDevices + adding > limits.devicesPerClient {
            throw SandboxLimits.exhausted(
                "This client holds \(clientDevices) sandbox devices and asks for \(adding) more; devicesPerClient allows \(limits.devicesPerClient)")
        }
    }
}
