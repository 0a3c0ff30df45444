/// One pass of the services that follow the simulation clock, in the order a real moment needs them: read devices,
/// drive actions, then let schedules and smart charging react (their commands go out on the next pass).
struct BackgroundRound: Sendable {
    let deviceSync: DeviceSyncService
    let actionExecutor: ActionExecutor
    let scheduleRunner: ScheduleRunner
    let smartChargingRunner: SmartChargingRunner

    /// Runs each service once.
    func run() async throws {
        try await deviceSync.syncDue()
        try await actionExecutor.runDue()
        try await scheduleRunner.runRound()
        try await smartChargingRunner.runRound()
    }
}
