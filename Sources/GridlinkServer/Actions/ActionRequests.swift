import GridlinkCore

/// START or STOP (ENUMS ChargingAction).
enum ChargingCommand: String, APIEnum {
    case start = "START", stop = "STOP"
}

/// `POST /vehicles|chargers/{id}/charging` body.
struct ChargingRequest: Decodable {
    let action: ChargingCommand
}

/// `POST /vehicles|chargers/{id}/max-current` body.
struct MaxCurrentRequest: Decodable {
    let maxCurrent: Double
}

/// Battery operation modes that can be requested.
enum OperationModeName: String, APIEnum {
    case importFocus = "IMPORT_FOCUS", exportFocus = "EXPORT_FOCUS", timeOfUse = "TIME_OF_USE", selfReliance = "SELF_RELIANCE"
}

/// `POST /batteries/{id}/operation-mode` body.
struct OperationModeRequest: Decodable {
    let operationMode: OperationModeName
}

/// Modes of a permanent hold.
enum HoldMode: String, APIEnum {
    case cool = "COOL", heat = "HEAT", auto = "AUTO", off = "OFF"
}

/// `POST /hvacs/{id}/permanent-hold` body; which setpoints are required depends on `mode`.
struct PermanentHoldRequest: Decodable {
    let mode: HoldMode
    let heatSetpoint: Double?
    let coolSetpoint: Double?

    /// The action kind, or a 400 problem naming the missing or out-of-range setpoint.
    func kind() throws(Problem) -> ActionKind {
        func require(_ value: Double?, _ field: String) throws(Problem) -> Double {
            guard let value else { throw .badRequest("\"\(field)\" is required when \"mode\" is \(mode.rawValue)") }
            guard (5...35).contains(value) else { throw .badRequest("\"\(field)\" must be between 5 and 35") }
            return value
        }
        switch mode {
        case .heat: return .permanentHold(mode: "HEAT", heatSetpoint: try require(heatSetpoint, "heatSetpoint"), coolSetpoint: nil)
        case .cool: return .permanentHold(mode: "COOL", heatSetpoint: nil, coolSetpoint: try require(coolSetpoint, "coolSetpoint"))
        case .auto:
            let heat = try require(heatSetpoint, "heatSetpoint")
            let cool = try require(coolSetpoint, "coolSetpoint")
            guard cool > heat else { throw .badRequest("\"coolSetpoint\" must be above \"heatSetpoint\"") }
            return .permanentHold(mode: "AUTO", heatSetpoint: heat, coolSetpoint: cool)
        case .off: return .permanentHold(mode: "OFF", heatSetpoint: nil, coolSetpoint: nil)
        }
    }
}

/// `POST /hvacs/{id}/temperature` body (before 2023-03-01, when Set Permanent Hold and Follow Schedule replaced it).
struct TemperatureRequest: Decodable {
    let targetTemperature: Double

    /// A permanent hold at the target temperature: the cool setpoint when the unit is cooling (`mode` COOL), else the
    /// heat setpoint in HEAT mode; a 400 problem when the temperature is out of range.
    func kind(currentMode: JSONValue?) throws(Problem) -> ActionKind {
        guard (5...35).contains(targetTemperature) else { throw .badRequest("\"targetTemperature\" must be between 5 and 35") }
        if currentMode == "COOL" { return .permanentHold(mode: "COOL", heatSetpoint: nil, coolSetpoint: targetTemperature) }
        return .permanentHold(mode: "HEAT", heatSetpoint: targetTemperature, coolSetpoint: nil)
    }
}
