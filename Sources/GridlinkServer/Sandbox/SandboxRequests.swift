import Foundation
import GridlinkCore
import GridlinkSandbox

extension FaultKind: APIEnum {}
extension TimingProfile: APIEnum {}

/// `POST /sandbox/accounts` body.
struct CreateAccountRequest: Decodable {
    let vendor: String
    let username: String?
    let password: String?
    let siteId: String?
    let devices: [DeviceSpecRequest]?
}

/// A device to create.
struct DeviceSpecRequest: Decodable {
    let type: VendorType
    let model: String?
    let name: String?
    /// Whether plugging in starts charging (vehicles and chargers; default true).
    let autoStart: Bool?

    var spec: DeviceSpec { DeviceSpec(type: type, model: model, name: name, autoStart: autoStart) }
}

/// `POST /sandbox/devices/{deviceId}/plug` body.
struct PlugRequest: Decodable {
    let chargerId: String?
}

/// `POST /sandbox/devices/{deviceId}/trips` body.
struct TripRequest: Decodable {
    let distanceKm: Double
    let speedKmh: Double?
    let headingDegrees: Double?
}

/// The command names the sandbox accepts.
enum CommandName: String, APIEnum {
    case startCharging, stopCharging, setMaxCurrent, setOperationMode, setPermanentHold, followSchedule
}

/// `POST /sandbox/devices/{deviceId}/commands` body.
struct CommandRequest: Decodable {
    let command: CommandName
    let maxCurrent: Double?
    let operationMode: String?
    let mode: String?
    let heatSetpoint: Double?
    let coolSetpoint: Double?

    /// The device command, or a 400 problem naming the missing or invalid field.
    func deviceCommand() throws(Problem) -> DeviceCommand {
        switch command {
        case .startCharging: return .startCharging
        case .stopCharging: return .stopCharging
        case .followSchedule: return .followSchedule
        case .setMaxCurrent:
            guard let maxCurrent else { throw .badRequest("\"maxCurrent\" is required for setMaxCurrent") }
            guard (0...80).contains(maxCurrent) else { throw .badRequest("\"maxCurrent\" must be between 0 and 80") }
            return .setMaxCurrent(maxCurrent)
        case .setOperationMode:
            let modes = ["IMPORT_FOCUS", "EXPORT_FOCUS", "TIME_OF_USE", "SELF_RELIANCE"]
            guard let operationMode, modes.contains(operationMode) else {
                throw .badRequest("\"operationMode\" must be one of [\(modes.joined(separator: ", "))]")
            }
            return .setOperationMode(operationMode)
        case .setPermanentHold:
            let modes = ["OFF", "AUTO", "COOL", "HEAT"]
            guard let mode, modes.contains(mode) else { throw .badRequest("\"mode\" must be one of [\(modes.joined(separator: ", "))]") }
            for (field, value) in [("heatSetpoint", heatSetpoint), ("coolSetpoint", coolSetpoint)] {
                if let value, !(5...35).contains(value) { throw .badRequest("\"\(field)\" must be between 5 and 35") }
            }
            return .setPermanentHold(mode: mode, heatSetpoint: heatSetpoint, coolSetpoint: coolSetpoint)
        }
    }
}

/// `PUT /sandbox/devices/{deviceId}/capabilities/{capability}` body.
struct CapabilityRequest: Decodable {
    let isCapable: Bool
    let interventionIds: [String]?
}

/// `POST /sandbox/faults` body.
struct FaultRequest: Decodable {
    let kind: FaultKind
    let scope: FaultScope?
    let count: Int?
    let probability: Double?
    let delaySeconds: Double?
}

/// `PATCH /sandbox/clock` body.
struct ClockRequest: Decodable {
    let speed: Double?
    let isPaused: Bool?
    let timing: TimingProfile?
}

/// `POST /sandbox/clock/advance` body.
struct AdvanceRequest: Decodable {
    let seconds: Double
    /// With a step, time advances step by step and the background services (device sync, actions, schedules, smart
    /// charging) run once after each step before the answer.
    let stepSeconds: Double?
}
