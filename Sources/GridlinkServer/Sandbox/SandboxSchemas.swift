import GridlinkCore
import GridlinkSandbox

/// OpenAPI schemas of the sandbox control API.
enum SandboxSchemas {
    private static func object(_ properties: [String: JSONValue], required: [String] = []) -> JSONValue {
        ["type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) })]
    }
    private static let string: JSONValue = ["type": "string"]
    private static let number: JSONValue = ["type": "number"]
    private static let boolean: JSONValue = ["type": "boolean"]
    private static func enumeration(_ values: [String]) -> JSONValue { ["type": "string", "enum": .array(values.map { .string($0) })] }

    static let components: [String: JSONValue] = [
        "SandboxAccount": object([
            "id": string, "vendor": string, "username": string, "password": string, "siteId": string,
            "credentialsValid": boolean, "createdAt": ["type": "string", "format": "date-time"],
            "deviceIds": ["type": "array", "items": string],
        ], required: ["id", "vendor", "username", "password", "siteId", "credentialsValid", "createdAt", "deviceIds"]),
        "SandboxDevice": object([
            "id": string, "accountId": string, "vendor": string, "type": OpenAPISchemas.ref("VendorType"), "model": string,
            "year": ["type": "integer"], "name": string, "siteId": string, "isReachable": boolean,
            "capabilities": ["type": "object", "additionalProperties": object(["isCapable": boolean, "interventionIds": ["type": "array", "items": string]], required: ["isCapable", "interventionIds"])],
            "state": ["type": "object"],
            "assetIds": ["type": "array", "items": string],
        ], required: ["id", "accountId", "vendor", "type", "model", "year", "name", "siteId", "isReachable", "capabilities", "state"]),
        "SandboxFault": object([
            "id": string, "kind": enumeration(FaultKind.allCases.map(\.rawValue)), "scope": OpenAPISchemas.ref("SandboxFaultScope"),
            "remaining": ["type": ["integer", "null"]], "probability": ["type": ["number", "null"]], "delaySeconds": number, "isActive": boolean,
        ], required: ["id", "kind", "scope", "remaining", "probability", "delaySeconds", "isActive"]),
        "SandboxFaultScope": object(["vendor": string, "accountId": string, "deviceId": string, "command": string]),
        "SandboxClock": object([
            "time": ["type": "string", "format": "date-time"], "speed": number, "isPaused": boolean,
            "timing": enumeration(TimingProfile.allCases.map(\.rawValue)), "seed": string,
        ], required: ["time", "speed", "isPaused", "timing", "seed"]),
        "SandboxFixture": object([
            "format": enumeration([SandboxFixture.currentFormat]),
            "clock": object([
                "time": ["type": "string", "format": "date-time"], "speed": number, "isPaused": boolean,
                "timing": enumeration(TimingProfile.allCases.map(\.rawValue)), "seed": ["type": "integer", "minimum": 0],
                "random": object(["state": ["type": "integer", "minimum": 0]], required: ["state"]),
            ], required: ["time", "speed", "isPaused", "timing", "seed", "random"]),
            "accounts": ["type": "array", "items": ["type": "object"]], "devices": ["type": "array", "items": ["type": "object"]],
            "sites": ["type": "object", "additionalProperties": ["type": "object"]], "faults": ["type": "array", "items": ["type": "object"]],
            "pendingEffects": ["type": "array", "items": ["type": "object"]],
            "prices": ["type": "object", "additionalProperties": ["type": "array", "items": object([
                "start": ["type": "string", "format": "date-time"], "end": ["type": "string", "format": "date-time"], "price": number,
            ], required: ["start", "end", "price"])]],
        ], required: ["format", "clock", "accounts", "devices", "sites", "faults", "pendingEffects", "prices"]),
        "SandboxCommandResult": object([
            "result": enumeration(["ACCEPTED", "FAILED"]),
            "effectiveAt": ["type": ["string", "null"], "format": "date-time"],
            "failure": ["oneOf": [["type": "null"], object(["type": string, "detail": string], required: ["type", "detail"])]],
        ], required: ["result", "effectiveAt", "failure"]),
        "SandboxCatalogueEntry": object([
            "vendor": string, "type": OpenAPISchemas.ref("VendorType"), "models": ["type": "array", "items": ["type": "object"]],
            "missingCapabilities": ["type": "array", "items": string],
            "commandLatencySeconds": object(["mean": number, "spread": number], required: ["mean", "spread"]),
            "pollIntervalSeconds": object(["idle": number, "active": number], required: ["idle", "active"]),
            "reportsChargeLimit": boolean,
        ], required: ["vendor", "type", "models", "missingCapabilities", "commandLatencySeconds", "pollIntervalSeconds"]),
        "SandboxDeviceSpec": object(["type": OpenAPISchemas.ref("VendorType"), "model": string, "name": string, "autoStart": boolean], required: ["type"]),
        "SandboxAccountRequest": object([
            "vendor": OpenAPISchemas.ref("Vendor"), "username": string, "password": string, "siteId": string,
            "devices": ["type": "array", "items": OpenAPISchemas.ref("SandboxDeviceSpec")],
        ], required: ["vendor"]),
        "SandboxDevicePatch": object([
            "name": string, "isReachable": boolean, "batteryLevel": number, "chargeLimit": number, "latitude": number,
            "longitude": number, "chargingEnabled": boolean, "maxCurrent": number, "currentTemperature": number,
            "mode": enumeration(["OFF", "AUTO", "COOL", "HEAT"]), "heatSetpoint": number, "coolSetpoint": number,
            "operationMode": enumeration(["IMPORT_FOCUS", "EXPORT_FOCUS", "TIME_OF_USE", "SELF_RELIANCE"]),
            "cloudiness": number, "householdLoadKW": number, "outdoorTemperature": number, "autoStart": boolean,
        ]),
        "SandboxPlugRequest": object(["chargerId": string]),
        "SandboxTripRequest": object(["distanceKm": number, "speedKmh": number, "headingDegrees": number], required: ["distanceKm"]),
        "SandboxCommandRequest": object([
            "command": enumeration(CommandName.allCases.map(\.rawValue)), "maxCurrent": number,
            "operationMode": enumeration(["IMPORT_FOCUS", "EXPORT_FOCUS", "TIME_OF_USE", "SELF_RELIANCE"]),
            "mode": enumeration(["OFF", "AUTO", "COOL", "HEAT"]), "heatSetpoint": number, "coolSetpoint": number,
        ], required: ["command"]),
        "SandboxCapabilityRequest": object(["isCapable": boolean, "interventionIds": ["type": "array", "items": string]], required: ["isCapable"]),
        "SandboxFaultRequest": object([
            "kind": enumeration(FaultKind.allCases.map(\.rawValue)), "scope": OpenAPISchemas.ref("SandboxFaultScope"),
            "count": ["type": "integer"], "probability": number, "delaySeconds": number,
        ], required: ["kind"]),
        "SandboxClockRequest": object(["speed": number, "isPaused": boolean, "timing": enumeration(TimingProfile.allCases.map(\.rawValue))]),
        "SandboxAdvanceRequest": object(["seconds": number, "stepSeconds": number], required: ["seconds"]),
    ]
}
