import GridlinkCore

/// OpenAPI schemas of locations, tariffs, schedules and the sandbox price source.
enum PlaceSchemas {
    private static let clockTime: JSONValue = ["type": "string", "pattern": "^([01][0-9]|2[0-4]):[0-5][0-9]$"]
    private static let weekdays: JSONValue = ["type": "array", "items": ["type": "integer", "minimum": 0, "maximum": 6]]
    private static let temperatureTarget: JSONValue = [
        "type": "object", "required": ["holdType"],
        "properties": [
            "holdType": ["type": "string", "enum": ["SCHEDULED", "PERMANENT"]], "mode": ["type": "string", "enum": ["COOL", "HEAT", "AUTO", "OFF"]],
            "heatSetpoint": ["type": "number"], "coolSetpoint": ["type": "number"],
        ],
    ]
    private static let rule: JSONValue = [
        "type": "object",
        "properties": [
            "shouldCharge": ["type": "boolean"], "targetState": temperatureTarget,
            "hourMinute": ["type": "object", "required": ["from", "to"], "properties": ["from": clockTime, "to": clockTime]],
            "fromTimestamp": ["type": "string", "format": "date-time"], "toTimestamp": ["type": "string", "format": "date-time"],
            "weekdays": weekdays,
        ],
    ]
    private static let scheduleProperties: [String: JSONValue] = [
        "targetId": ["type": "string"], "targetType": ["type": "string", "enum": ["vehicle", "charger", "hvac"]],
        "locationId": ["type": ["string", "null"]], "isEnabled": ["type": "boolean"], "defaultShouldCharge": ["type": "boolean"],
        "defaultTargetState": temperatureTarget, "rules": ["type": "array", "items": rule],
    ]

    static let components: [String: JSONValue] = [
        "Location": [
            "type": "object", "required": ["id", "userId", "name", "latitude", "longitude", "timezoneName"],
            "properties": [
                "id": ["type": "string"], "userId": ["type": "string"], "name": ["type": "string"],
                "latitude": ["type": "number"], "longitude": ["type": "number"], "timezoneName": ["type": "string"],
            ],
        ],
        "LocationPayload": [
            "type": "object", "required": ["name", "latitude", "longitude"],
            "properties": [
                "name": ["type": "string"], "latitude": ["type": "number", "minimum": -90, "maximum": 90],
                "longitude": ["type": "number", "minimum": -180, "maximum": 180], "timezoneName": ["type": "string", "default": "UTC"],
            ],
        ],
        "PartialLocation": [
            "type": "object",
            "properties": [
                "name": ["type": "string"], "latitude": ["type": "number", "minimum": -90, "maximum": 90],
                "longitude": ["type": "number", "minimum": -180, "maximum": 180], "timezoneName": ["type": "string"],
            ],
        ],
        "TariffRate": ["type": "object", "required": ["name", "cost"], "properties": ["name": ["type": "string"], "cost": ["type": "string"]]],
        "LocationTariffInterval": [
            "type": "object", "required": ["tariffId", "tariffIntervals"],
            "properties": [
                "tariffId": ["type": "string"],
                "tariffIntervals": ["type": "array", "items": [
                    "type": "object", "required": ["name", "from", "to"],
                    "properties": ["name": ["type": "string"], "from": clockTime, "to": clockTime, "weekdays": weekdays],
                ]],
            ],
        ],
        "LocationTariffSchedule": [
            "type": "object", "required": ["weekday", "fromHourMinute", "toHourMinute", "tariffId", "tariffName"],
            "properties": [
                "weekday": ["type": "integer", "minimum": 0, "maximum": 6], "fromHourMinute": clockTime, "toHourMinute": clockTime,
                "tariffId": ["type": "string"], "tariffName": ["type": "string"],
            ],
        ],
        "Schedule": ["type": "object", "required": ["id", "targetId", "targetType", "isEnabled", "rules"], "properties": .object(scheduleProperties.merging(["id": ["type": "string"]]) { $1 })],
        "ScheduleCreatePayload": ["type": "object", "required": ["targetId", "targetType", "rules"], "properties": .object(scheduleProperties)],
        "ScheduleUpdatePayload": ["type": "object", "properties": .object(scheduleProperties)],
        "ScheduleStatus": [
            "type": "object", "required": ["scheduleId", "scheduleType", "changedAt", "state", "upcomingTransitions"],
            "properties": [
                "scheduleId": ["type": "string"], "scheduleType": ["type": "string", "enum": ["CHARGE", "TEMPERATURE"]],
                "changedAt": ["type": "string", "format": "date-time"],
                "state": ["type": "string", "enum": [
                    "ALIGNED", "MISALIGNED", "PENDING", "INACTIVE:OVERRIDDEN", "INACTIVE:DISABLED", "INACTIVE:AWAY", "INACTIVE:INCAPABLE",
                ]],
                "upcomingTransitions": ["type": "array", "maxItems": 2],
            ],
        ],
        "PriceSlot": [
            "type": "object", "required": ["start", "end", "price"],
            "properties": ["start": ["type": "string", "format": "date-time"], "end": ["type": "string", "format": "date-time"], "price": ["type": "number"]],
        ],
    ]
}
