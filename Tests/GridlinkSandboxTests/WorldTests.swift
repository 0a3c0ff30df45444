import Foundation
import GridlinkCore
@testable import GridlinkSandbox
import Testing

@Suite("Sandbox world")
struct WorldTests {
    static let start = Date(timeIntervalSince1970: 1_782_000_000) // June 2026

    private func stateNumber(_ engine: SandboxEngine, _ id: String, _ field: String) -> Double {
        guard case .number(let value) = engine.view(of: engine.device(id)!)["state"]?[field] else { return .nan }
        return value
    }

    @Test("a car plugged into a charger charges at the smaller limit and both report the same state")
    func carAndCharger() throws {
        var engine = SandboxEngine(settings: WorldSettings(start: Self.start, seed: 1, timing: .ideal))
        let carAccount = try engine.createAccount(clientId: "c", vendor: "TESLA", username: nil, password: nil, siteId: "home", devices: [DeviceSpec(type: .vehicle)])
        let chargerAccount = try engine.createAccount(clientId: "c", vendor: "EASEE", username: nil, password: nil, siteId: "home", devices: [DeviceSpec(type: .charger, model: "One")])
        let car = engine.devices.first { $0.accountId == carAccount.id }!.id
        let charger = engine.devices.first { $0.accountId == chargerAccount.id }!.id
        try engine.update(car, clientId: "c", patch: { var p = DevicePatch(); p.batteryLevel = 20; p.chargeLimit = 90; return p }())
        try engine.plug(vehicleId: car, chargerId: charger, clientId: "c")
        engine.advance(to: Self.start.addingTimeInterval(3600))
        // EASEE One: 32 A single phase = 7.36 kW < the Model 3's 11 kW.
        #expect(abs(stateNumber(engine, car, "chargeRate") - 7.36) < 0.01)
        #expect(abs(stateNumber(engine, charger, "chargeRate") - 7.36) < 0.01)
        #expect(abs(stateNumber(engine, car, "batteryLevel") - (20 + 7.36 / 75 * 100)) < 0.05)
        #expect(engine.view(of: engine.device(charger)!)["state"]?["pluggedInVehicleId"] == .string(car))
        #expect(engine.view(of: engine.device(car)!)["state"]?["powerDeliveryState"] == "PLUGGED_IN:CHARGING")

        #expect(try engine.send(.stopCharging, to: charger, clientId: "c") == .accepted(effectiveAt: engine.time))
        engine.advance(to: Self.start.addingTimeInterval(3601))
        #expect(engine.view(of: engine.device(car)!)["state"]?["powerDeliveryState"] == "PLUGGED_IN:STOPPED")
        try engine.unplug(charger, clientId: "c")
        #expect(engine.view(of: engine.device(car)!)["state"]?["powerDeliveryState"] == "UNPLUGGED")
    }

    @Test("realistic commands take effect after the vendor's latency; faults ignore, delay and fail commands")
    func commandsAndFaults() throws {
        var engine = SandboxEngine(settings: WorldSettings(start: Self.start, seed: 7, timing: .realistic))
        let account = try engine.createAccount(clientId: "c", vendor: "ZAPTEC", username: "me", password: "pw", siteId: nil, devices: [DeviceSpec(type: .charger)])
        let charger = engine.devices[0].id
        guard case .accepted(let due?) = try engine.send(.setMaxCurrent(10), to: charger, clientId: "c") else { Issue.record("not accepted"); return }
        #expect(due > engine.time && due <= engine.time.addingTimeInterval(9))
        #expect(stateNumber(engine, charger, "maxCurrent") == 32)
        engine.advance(to: due)
        #expect(stateNumber(engine, charger, "maxCurrent") == 10)

        _ = try engine.addFault(clientId: "c", scope: FaultScope(deviceId: charger), kind: .ignoreCommands, count: 1, probability: nil, delaySeconds: nil)
        #expect(try engine.send(.setMaxCurrent(12), to: charger, clientId: "c") == .accepted(effectiveAt: nil))
        _ = try engine.addFault(clientId: "c", scope: FaultScope(vendor: "ZAPTEC", command: "startCharging"), kind: .rateLimit, count: 2, probability: nil, delaySeconds: nil)
        #expect(try engine.send(.startCharging, to: charger, clientId: "c") == .failed(.rateLimited, "ZAPTEC rate-limited the request"))
        #expect(try engine.send(.startCharging, to: charger, clientId: "c") == .failed(.rateLimited, "ZAPTEC rate-limited the request"))
        guard case .accepted = try engine.send(.startCharging, to: charger, clientId: "c") else { Issue.record("fault outlived its count"); return }

        let outage = try engine.addFault(clientId: "c", scope: FaultScope(vendor: "ZAPTEC"), kind: .outage, count: nil, probability: 1, delaySeconds: nil)
        #expect(!engine.isReachable(engine.devices[0]))
        guard case .failed(.outage, _) = try engine.send(.stopCharging, to: charger, clientId: "c") else { Issue.record("outage ignored"); return }
        try engine.removeFault(outage.id, clientId: "c")
        #expect(engine.isReachable(engine.devices[0]))

        _ = try engine.addFault(clientId: "c", scope: FaultScope(accountId: account.id), kind: .invalidateCredentials, count: nil, probability: nil, delaySeconds: nil)
        #expect(engine.account(account.id)?.credentialsValid == false)
        guard case .failed(.credentialsInvalid, _) = try engine.send(.stopCharging, to: charger, clientId: "c") else { Issue.record("credentials"); return }
        #expect(throws: Problem.self) { try engine.send(.stopCharging, to: charger, clientId: "other-client") }
    }

    @Test("missing and disabled capabilities refuse commands")
    func capabilities() throws {
        var engine = SandboxEngine(settings: WorldSettings(start: Self.start, seed: 3, timing: .ideal))
        _ = try engine.createAccount(clientId: "c", vendor: "BMW", username: nil, password: nil, siteId: nil, devices: [DeviceSpec(type: .vehicle)])
        let car = engine.devices[0].id
        guard case .failed(.notCapable, _) = try engine.send(.setMaxCurrent(16), to: car, clientId: "c") else { Issue.record("BMW has no setMaxCurrent"); return }
        #expect(throws: Problem.self) { try engine.setCapability("startCharging", deviceId: car, clientId: "c", isCapable: false, interventionIds: ["made-up"]) }
        try engine.setCapability("startCharging", deviceId: car, clientId: "c", isCapable: false, interventionIds: nil)
        guard case .failed(.notCapable, _) = try engine.send(.startCharging, to: car, clientId: "c") else { Issue.record("disabled"); return }
        let catalogued = InterventionCatalogue.interventionIds(vendor: "BMW", type: .vehicle, capability: "startCharging")
        #expect(catalogued.count == 1)
        #expect(engine.view(of: engine.devices[0])["capabilities"]?["startCharging"] == ["isCapable": false, "interventionIds": .array(catalogued.map { .string($0) })])
        try engine.setCapability("startCharging", deviceId: car, clientId: "c", isCapable: true, interventionIds: nil)
        guard case .accepted = try engine.send(.startCharging, to: car, clientId: "c") else { Issue.record("re-enabled"); return }
    }

    @Test("no device ever reports an impossible state over simulated weeks of random control calls")
    func propertyNoImpossibleStates() throws {
        var random = SeededRandom(seed: 42)
        var engine = SandboxEngine(settings: WorldSettings(start: Self.start, seed: 42, timing: .realistic))
        try WorldScenario.populate(&engine, clientId: "c")
        let end = Self.start.addingTimeInterval(21 * 86_400)
        while engine.time < end {
            try WorldScenario.randomCall(&engine, clientId: "c", random: &random)
            engine.advance(to: engine.time.addingTimeInterval(60 + random.unit() * 3 * 3600))
            for device in engine.devices { try WorldScenario.checkInvariants(engine, device) }
        }
    }

    @Test("two worlds with the same seed and the same calls have identical histories")
    func determinism() throws {
        func history(seed: UInt64) throws -> [JSONValue] {
            var random = SeededRandom(seed: 99)
            var engine = SandboxEngine(settings: WorldSettings(start: Self.start, seed: seed, timing: .realistic))
            try WorldScenario.populate(&engine, clientId: "c")
            var snapshots: [JSONValue] = []
            for _ in 0..<200 {
                try WorldScenario.randomCall(&engine, clientId: "c", random: &random)
                engine.advance(to: engine.time.addingTimeInterval(900))
                snapshots.append(.array(engine.devices.map { engine.view(of: $0) }))
            }
            return snapshots
        }
        let first = try history(seed: 5)
        #expect(first == (try history(seed: 5)))
        #expect(first != (try history(seed: 6)))
    }
}
