import GridlinkCore

/// OpenAPI schemas of smart charging and statistics.
enum SmartChargingSchemas {
    private static let dateTime: JSONValue = ["type": "string", "format": "date-time"]
    private static let nullableDateTime: JSONValue = ["type": ["string", "null"], "format": "date-time"]
    private static let nullableString: JSONValue = ["type": ["string", "null"]]
    private static let nullableNumber: JSONValue = ["type": ["number", "null"]]
    private static let states: JSONValue = [
        "DISABLED", "CONSIDERING", "UNKNOWN", "PLAN:EXECUTING:STOPPING", "PLAN:EXECUTING:STOP_FAILED", "PLAN:EXECUTING:STOPPED",
        "PLAN:EXECUTING:STOPPED:AWAITING_PRICES", "PLAN:EXECUTING:STARTING", "PLAN:EXECUTING:START_FAILED", "PLAN:EXECUTING:STARTED",
        "PLAN:EXECUTING:CHARGE_INTERRUPTED", "PLAN:EXECUTING:OVERRIDDEN", "PLAN:ENDED:FINISHED", "PLAN:ENDED:UNPLUGGED", "PLAN:ENDED:FAILED",
        "PLAN:ENDED:DISABLED", "PLAN:ENDED:DEADLINE_CHANGED", "FULLY_CHARGED",
    ]
    private static let overrideProperties: [String: JSONValue] = [
        "createdAt": dateTime, "endedAt": nullableDateTime, "targetType": ["type": "string", "enum": ["vehicle", "charger"]],
        "targetId": ["type": "string"], "vendorActionId": nullableString,
    ]
    private static let aggregates: JSONValue = [
        "type": "object", "required": ["min", "max", "mean"],
        "properties": ["min": ["type": "number"], "max": ["type": "number"], "mean": ["type": "number"]],
    ]
    private static let nullableAggregates: JSONValue = [
        "type": "object", "required": ["min", "max", "mean"],
        "properties": ["min": nullableNumber, "max": nullableNumber, "mean": nullableNumber],
    ]

    /// Every component schema of this group.
    static let components: [String: JSONValue] = [
        "SmartChargingPolicy": [
            "type": "object", "required": ["isEnabled", "deadline", "minimumChargeLimit"],
            "properties": ["isEnabled": ["type": "boolean"], "deadline": nullableString, "minimumChargeLimit": ["type": "number"]],
        ],
        "SmartChargingPolicyUpdate": [
            "type": "object",
            "properties": [
                "isEnabled": ["type": "boolean"], "deadline": ["type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"],
                "minimumChargeLimit": ["type": "number", "minimum": 0, "maximum": 100],
            ],
        ],
        "SmartChargingPlan": [
            "type": "object",
            "required": ["id", "vehicleId", "userId", "locationId", "vendor", "currency", "nonSmartCost", "smartCost", "stopAt", "startAt",
                         "estimatedFinishAt", "stopConfirmedAt", "startConfirmedAt", "endedAt", "finalState", "failureCondition"],
            "properties": [
                "id": ["type": "string"], "vehicleId": ["type": "string"], "userId": ["type": "string"], "locationId": nullableString,
                "vendor": ["type": "string"], "currency": ["type": "string"], "nonSmartCost": ["type": "number"], "smartCost": nullableNumber,
                "stopAt": dateTime, "startAt": nullableDateTime, "estimatedFinishAt": dateTime, "stopConfirmedAt": nullableDateTime,
                "startConfirmedAt": nullableDateTime, "endedAt": nullableDateTime, "finalState": nullableString, "failureCondition": nullableString,
            ],
        ],
        "SmartChargingStatus": [
            "type": "object",
            "required": ["updatedAt", "vehicleId", "userId", "vendor", "state", "stateChangedAt", "consideration", "plan", "smartOverride"],
            "properties": [
                "updatedAt": dateTime, "vehicleId": ["type": "string"], "userId": ["type": "string"], "vendor": ["type": "string"],
                "state": ["type": "string", "enum": states], "stateChangedAt": dateTime,
                "consideration": ["type": ["object", "null"]],
                "plan": ["oneOf": [["type": "null"], OpenAPISchemas.ref("SmartChargingPlan")]],
                "smartOverride": ["type": ["object", "null"], "properties": .object(overrideProperties)],
            ],
        ],
        "SmartOverride": [
            "type": "object", "required": ["createdAt", "endedAt", "targetType", "targetId", "vendorActionId", "userId", "vendor"],
            "properties": .object(overrideProperties.merging(["userId": ["type": "string"], "vendor": ["type": "string"]]) { $1 }),
        ],
        "ChargingStatistics": [
            "type": "object", "required": ["kw", "kwhSum", "price", "costSum", "nonSmartPrice", "estimatedSavings", "date"],
            "properties": [
                "kw": aggregates, "kwhSum": ["type": "number"], "price": aggregates, "costSum": ["type": "number"], "nonSmartPrice": nullableAggregates,
                "estimatedSavings": nullableNumber, "date": dateTime,
            ],
        ],
        "ChargingSessionStatistics": [
            "type": "object", "required": ["kw", "kwhSum", "price", "costSum", "id", "locationId", "from", "to", "nonSmartPrice", "estimatedSavings"],
            "properties": [
                "kw": aggregates, "kwhSum": ["type": "number"], "price": aggregates, "costSum": ["type": "number"], "id": ["type": "string"],
                "locationId": nullableString, "from": dateTime, "to": dateTime, "nonSmartPrice": nullableAggregates, "estimatedSavings": nullableNumber,
            ],
        ],
    ]
}
