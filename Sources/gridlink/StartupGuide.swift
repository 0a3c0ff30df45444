import GridlinkServer

/// What `serve --demo` did at start-up.
enum DemoState: Sendable {
    /// `--demo` was not given.
    case off
    /// The demo was set up.
    case created(DemoSetup.Created)
    /// The database already had API clients, so nothing was created.
    case skipped
}

/// Carries the demo's outcome from the start-up hook to the listening message.
actor DemoOutcome {
    /// The outcome so far.
    private(set) var state = DemoState.off

    /// Records the outcome.
    func record(_ state: DemoState) { self.state = state }
}

/// The lines `gridlink serve` prints once it listens: what to do next, and the demo's credentials and commands.
enum StartupGuide {
    /// The guide for a server at `url` after `demo`.
    static func lines(url: String, demo: DemoState) -> [String] {
        switch demo {
        case .off:
            return ["Next: GET \(url)/ says where to start; on a fresh database `gridlink serve --demo` sets up a ready sandbox (docs/SANDBOX.md)."]
        case .skipped:
            return ["--demo: this database already has API clients, so the demo created nothing (start over with a new --database file, "
                + "or stop the server and run `gridlink sandbox reset --keep-clients`, which keeps clients)."]
        case .created(let demo):
            return [
                "Demo ready: sandbox client \"Gridlink demo\", user \(DemoSetup.userId) with a KIA EV6 (vehicle \(demo.vehicleId)) and an EASEE Charge "
                    + "(charger \(demo.chargerId)) at home in Oslo, market prices (NO1) and smart charging to be done by 07:00. Paste:",
                "",
                "export GRIDLINK_URL=\(url)",
                "export GRIDLINK_CLIENT_ID=\(demo.clientId)",
                "export GRIDLINK_CLIENT_SECRET=\(demo.clientSecret)",
                "export GRIDLINK_TOKEN=\(demo.accessToken)",
                "",
                "Then try (the token lasts an hour; sandbox commands fetch their own):",
                "",
                "curl -s -H \"Authorization: Bearer $GRIDLINK_TOKEN\" $GRIDLINK_URL/vehicles/\(demo.vehicleId)",
                "gridlink sandbox devices plug \(demo.carDeviceId) --charger \(demo.chargerDeviceId)",
                "gridlink sandbox clock advance 8h",
                "",
            ]
        }
    }
}
