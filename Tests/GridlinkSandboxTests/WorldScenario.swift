import Foundation
import GridlinkCore
@testable import GridlinkSandbox
import Testing

/// A household with every device type, random control calls, and the invariants no state may break.
enum WorldScenario {
    static func populate(_ engine: inout SandboxEngine, clientId: String) throws {
        _ = try engine.createAccount(clientId: clientId, vendor: "TESLA", username: nil, password: nil, siteId: "home",
                                     devices: [.init(type: .vehicle), .init(type: .battery), .init(type: .inverter), .init(type: .meter)])
        _ = try engine.createAccount(clientId: clientId, vendor: "EASEE", username: nil, password: nil, siteId: "home", devices: [.init(type: .charger)])
        _ = try engine.createAccount(clientId: clientId, vendor: "DAIKIN", username: nil, password: nil, siteId: "home", devices: [.init(type: .hvac)])
        _ = try engine.createAccount(clientId: clientId, vendor: "KIA", username: nil, password: nil, siteId: "away", devices: [.init(type: .vehicle)])
    }

    /// Makes one random control call; calls the world refuses (a busy charger, say) must leave it unchanged.
    static func randomCall(_ engine: inout SandboxEngine, clientId: String, random: inout SeededRandom) throws {
        let before = engine.devices
        do {
            try call(&engine, clientId: clientId, random: &random)
        } catch is Problem {
            #expect(engine.devices == before)
        }
    }

    private static func call(_ engine: inout SandboxEngine, clientId: String, random: inout SeededRandom) throws {
        let vehicles = engine.devices.filter { $0.type == .vehicle }.map(\.id)
        let charger = engine.devices.first { $0.type == .charger }!.id
        let car = vehicles[Int(random.unit() * Double(vehicles.count))]
        switch Int(random.unit() * 10) {
        case 0: try engine.plug(vehicleId: car, chargerId: random.unit() < 0.7 ? charger : nil, clientId: clientId)
        case 1: try engine.unplug(car, clientId: clientId)
        case 2: try engine.startTrip(vehicleId: car, clientId: clientId, trip: Trip(remainingKm: 5 + random.unit() * 300, speedKmh: 30 + random.unit() * 90, headingDegrees: random.unit() * 360))
        case 3: _ = try engine.send(random.unit() < 0.5 ? .startCharging : .stopCharging, to: random.unit() < 0.5 ? car : charger, clientId: clientId)
        case 4: _ = try engine.send(.setMaxCurrent((random.unit() * 32).rounded()), to: charger, clientId: clientId)
        case 5:
            let modes = ["IMPORT_FOCUS", "EXPORT_FOCUS", "TIME_OF_USE", "SELF_RELIANCE"]
            _ = try engine.send(.setOperationMode(modes[Int(random.unit() * 4)]), to: engine.devices.first { $0.type == .battery }!.id, clientId: clientId)
        case 6:
            let modes = ["OFF", "AUTO", "COOL", "HEAT"]
            _ = try engine.send(.setPermanentHold(mode: modes[Int(random.unit() * 4)], heatSetpoint: 15 + random.unit() * 8, coolSetpoint: 23 + random.unit() * 4),
                                to: engine.devices.first { $0.type == .hvac }!.id, clientId: clientId)
        case 7:
            var patch = DevicePatch()
            patch.cloudiness = random.unit()
            patch.householdLoadKW = random.unit() < 0.5 ? random.unit() * 5 : nil
            try engine.update(engine.devices.first { $0.type == .inverter }!.id, clientId: clientId, patch: patch)
        case 8:
            var patch = DevicePatch()
            patch.chargeLimit = 50 + (random.unit() * 50).rounded()
            patch.batteryLevel = random.unit() < 0.3 ? (random.unit() * 100).rounded() : nil
            try engine.update(car, clientId: clientId, patch: patch)
        default:
            _ = try engine.addFault(clientId: clientId, scope: FaultScope(deviceId: car), kind: FaultKind.allCases[Int(random.unit() * 8)],
                                    count: 1 + Int(random.unit() * 3), probability: nil, delaySeconds: 120)
        }
    }

    static func checkInvariants(_ engine: SandboxEngine, _ device: SimDevice) throws {
        let state = engine.view(of: device)["state"]
        func number(_ field: String) -> Double {
            if case .number(let value) = state?[field] { return value }
            return .nan
        }
        switch device.state {
        case .vehicle(let vehicle):
            #expect((0...100).contains(vehicle.batteryLevel))
            #expect(vehicle.chargeRateKW >= 0 && vehicle.chargeRateKW <= vehicle.maxACKW + 1e-9)
            if !vehicle.isPluggedIn { #expect(vehicle.chargeRateKW == 0 && vehicle.pluggedChargerId == nil) }
            if vehicle.trip != nil { #expect(!vehicle.isPluggedIn) }
            #expect(vehicle.batteryLevel <= max(vehicle.chargeLimit, 100))
            #expect(number("range") >= 0)
            let delivery = VehiclePhysics.powerDeliveryState(vehicle)
            #expect((delivery == "PLUGGED_IN:CHARGING") == (vehicle.chargeRateKW > 0))
            if let chargerId = vehicle.pluggedChargerId, case .charger(let charger) = engine.device(chargerId)!.state {
                #expect(charger.pluggedVehicleId == device.id && charger.isPluggedIn)
                #expect(abs(charger.chargeRateKW - vehicle.chargeRateKW) < 1e-9)
            }
        case .charger(let charger):
            #expect(charger.chargeRateKW >= 0 && charger.chargeRateKW <= charger.ratedCurrent * Double(charger.phases) * 0.23 + 1e-9)
            if !charger.isPluggedIn { #expect(charger.chargeRateKW == 0) }
            if let vehicleId = charger.pluggedVehicleId, case .vehicle(let vehicle) = engine.device(vehicleId)!.state {
                #expect(vehicle.pluggedChargerId == device.id)
            }
        case .hvac(let hvac):
            #expect((-40...60).contains(hvac.currentTemperature))
            if hvac.mode == "OFF" { #expect(!hvac.isActive) }
        case .inverter(let inverter):
            #expect(inverter.productionKW >= 0 && inverter.productionKW <= inverter.ratedKW)
            #expect(inverter.lifetimeKWh >= 0)
        case .battery(let battery):
            #expect(battery.batteryLevel >= min(battery.dischargeLimit, 50) - 1e-9 && battery.batteryLevel <= 100 + 1e-9)
            #expect(abs(battery.chargeRateKW) <= battery.maxPowerKW + 1e-9)
        case .meter(let meter):
            #expect(meter.importedKWh >= 0 && meter.exportedKWh >= 0)
        }
    }
}
