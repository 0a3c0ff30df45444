import GridlinkCore
import Testing

@Suite("Action rules")
struct ActionRulesTests {
    private func vehicle(delivery: String, plugged: Bool = true, full: Bool = false, reachable: Bool = true, capable: Bool = true) -> JSONValue {
        let capability: JSONValue = ["isCapable": .bool(capable), "interventionIds": []]
        return [
            "isReachable": .bool(reachable),
            "chargeState": ["powerDeliveryState": .string(delivery), "isPluggedIn": .bool(plugged), "isFullyCharged": .bool(full), "maxCurrent": 16],
            "capabilities": ["startCharging": capability, "stopCharging": capability, "setMaxCurrent": capability],
        ]
    }

    @Test("creation preconditions: capability, reachability, already there, unplugged, fully charged")
    func rejections() {
        #expect(ActionRules.rejection(of: .charging(start: true), asset: vehicle(delivery: "PLUGGED_IN:STOPPED")) == nil)
        #expect(ActionRules.rejection(of: .charging(start: true), asset: vehicle(delivery: "PLUGGED_IN:STOPPED", capable: false))?.contains("not capable") == true)
        #expect(ActionRules.rejection(of: .charging(start: true), asset: vehicle(delivery: "PLUGGED_IN:STOPPED", reachable: false))?.contains("not reachable") == true)
        #expect(ActionRules.rejection(of: .charging(start: true), asset: vehicle(delivery: "PLUGGED_IN:CHARGING"))?.contains("already") == true)
        #expect(ActionRules.rejection(of: .charging(start: false), asset: vehicle(delivery: "UNPLUGGED", plugged: false))?.contains("not plugged in") == true)
        #expect(ActionRules.rejection(of: .charging(start: true), asset: vehicle(delivery: "PLUGGED_IN:STOPPED", full: true))?.contains("fully charged") == true)
        #expect(ActionRules.rejection(of: .maxCurrent(16), asset: vehicle(delivery: "PLUGGED_IN:STOPPED"))?.contains("already") == true)
        #expect(ActionRules.rejection(of: .maxCurrent(10), asset: vehicle(delivery: "PLUGGED_IN:STOPPED")) == nil)
    }

    @Test("confirmation reads the device's own data for every kind")
    func confirmation() {
        #expect(ActionRules.isConfirmed(.charging(start: true), asset: vehicle(delivery: "PLUGGED_IN:CHARGING")))
        #expect(!ActionRules.isConfirmed(.charging(start: true), asset: vehicle(delivery: "PLUGGED_IN:INITIALIZING")))
        #expect(ActionRules.isConfirmed(.charging(start: false), asset: vehicle(delivery: "PLUGGED_IN:STOPPED")))
        #expect(ActionRules.isConfirmed(.charging(start: false), asset: vehicle(delivery: "PLUGGED_IN:COMPLETE")))
        #expect(ActionRules.isConfirmed(.operationMode("TIME_OF_USE"), asset: ["config": ["operationMode": "TIME_OF_USE"]]))
        let thermostat: JSONValue = ["thermostatState": ["mode": "HEAT", "holdType": "PERMANENT", "heatSetpoint": 21, "coolSetpoint": 24]]
        #expect(ActionRules.isConfirmed(.permanentHold(mode: "HEAT", heatSetpoint: 21, coolSetpoint: nil), asset: thermostat))
        #expect(!ActionRules.isConfirmed(.permanentHold(mode: "HEAT", heatSetpoint: 22, coolSetpoint: nil), asset: thermostat))
        #expect(!ActionRules.isConfirmed(.followSchedule, asset: thermostat))
        #expect(ActionRules.isConfirmed(.followSchedule, asset: ["thermostatState": ["holdType": "SCHEDULED"]]))
    }

    @Test("an unplugged charging target has lost its precondition; other kinds never do")
    func preconditionLoss() {
        #expect(ActionRules.preconditionLost(.charging(start: true), asset: vehicle(delivery: "UNPLUGGED", plugged: false)))
        #expect(!ActionRules.preconditionLost(.charging(start: true), asset: vehicle(delivery: "PLUGGED_IN:STOPPED")))
        #expect(!ActionRules.preconditionLost(.maxCurrent(6), asset: vehicle(delivery: "UNPLUGGED", plugged: false)))
    }

    @Test("the retry schedule backs off to every ten minutes; capabilities and scopes per kind")
    func scheduleAndScopes() {
        #expect((1...5).map(ActionRules.retryDelay(afterAttempts:)) == [60, 120, 300, 600, 600])
        #expect(ActionRules.capability(for: .operationMode("EXPORT_FOCUS")) == "exportFocus")
        #expect(ActionRules.capability(for: .followSchedule) == "setFollowSchedule")
        #expect(ActionRules.controlScope(for: .battery) == "battery:control:operation_mode")
    }
}
