import ArgumentParser
import GridlinkSandbox

/// `serve` options bounding what one sandbox client may hold and how much simulated work one request may cause.
struct SandboxLimitOptions: ParsableArguments {
    @Option(name: .customLong("sandbox-accounts-per-client"), help: "Most virtual accounts one sandbox client may hold.")
    var accountsPerClient = SandboxLimits().accountsPerClient

    @Option(name: .customLong("sandbox-devices-per-account"), help: "Most devices one virtual account may hold.")
    var devicesPerAccount = SandboxLimits().devicesPerAccount

    @Option(name: .customLong("sandbox-devices-per-client"), help: "Most devices one sandbox client may hold over all its accounts.")
    var devicesPerClient = SandboxLimits().devicesPerClient

    @Option(name: .customLong("sandbox-advance-work"), help: "Most simulated work one clock advance may cause: devices in the world × simulated seconds.")
    var advanceWork = SandboxLimits().advanceWork

    func validate() throws {
        for (flag, value) in [("accounts-per-client", accountsPerClient), ("devices-per-account", devicesPerAccount),
                              ("devices-per-client", devicesPerClient), ("advance-work", advanceWork)] where value < 1 {
            throw ValidationError("--sandbox-\(flag) must be at least 1")
        }
    }

    /// The limits the options name.
    var limits: SandboxLimits {
        SandboxLimits(accountsPerClient: accountsPerClient, devicesPerAccount: devicesPerAccount, devicesPerClient: devicesPerClient, advanceWork: advanceWork)
    }
}
