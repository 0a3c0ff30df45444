import GridlinkCore

/// Reusable schemas of the OpenAPI document's `components.schemas`.
public enum OpenAPISchemas {
    /// A `$ref` to a component schema.
    public static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }

    /// A nullable string.
    static let nullableString: JSONValue = ["type": ["string", "null"]]
    /// The `standardWebhooks` flag of a webhook (a Gridlink extension).
    static let standardWebhooks: JSONValue = [
        "type": "boolean",
        "description": "Gridlink extension: also send webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks) besides x-enode-signature",
    ]

    /// A link session's return address: http(s) or an app scheme; javascript:, data:, vbscript: and file: are a 400.
    static let redirectUri: JSONValue = [
        "type": "string", "format": "uri",
        "description": "Where the Link UI sends the user back: an http or https URL, or an app scheme such as myapp://linked. javascript:, data:, vbscript: and file: are refused (400).",
    ]

    /// `{data: [item], pagination}` for a paginated list of `item`.
    public static func paginated(_ item: JSONValue) -> JSONValue {
        [
            "type": "object",
            "required": ["data", "pagination"],
            "additionalProperties": false,
            "properties": ["data": ["type": "array", "items": item], "pagination": ref("PaginationCursors")],
        ]
    }

    /// A list that is paginated from 2023-08-01 and a bare array of every item before.
    public static func versionedList(_ item: JSONValue) -> JSONValue {
        ["anyOf": [paginated(item), ["type": "array", "items": item]]]
    }

    /// The query parameters of every paginated list.
    static let pageParameters: [OpenAPIOperation.Parameter] = [
        .query("after", "Cursor of the next (older) page", schema: ["type": "string"]),
        .query("before", "Cursor of the previous (newer) page", schema: ["type": "string"]),
        .query("pageSize", "Items per page", schema: ["type": "integer", "minimum": 1, "maximum": .number(Double(PageRequest.maximumSize)), "default": 50]),
    ]

    /// Every component schema.
    static let components: [String: JSONValue] = [
        "Problem": [
            "type": "object",
            "required": ["type", "title", "detail"],
            "properties": [
                "type": ["type": "string"], "title": ["type": "string"], "detail": ["type": "string"],
                "requestId": ["type": "string", "description": "Gridlink extension: the X-Request-Id of the request, as in the server's logs"],
            ],
        ],
        "PaginationCursors": [
            "type": "object",
            "required": ["after", "before"],
            "additionalProperties": false,
            "properties": ["after": nullableString, "before": nullableString],
        ],
        "TokenRequest": [
            "type": "object",
            "required": ["grant_type"],
            "properties": [
                "grant_type": ["type": "string", "enum": ["client_credentials"]],
                "client_id": ["type": "string"],
                "client_secret": ["type": "string"],
                "scope": ["type": "string"],
            ],
        ],
        "TokenResponse": [
            "type": "object",
            "required": ["access_token", "expires_in", "scope", "token_type"],
            "properties": [
                "access_token": ["type": "string"], "expires_in": ["type": "integer"],
                "scope": ["type": "string"], "token_type": ["type": "string", "enum": ["bearer"]],
            ],
        ],
        "OAuthError": [
            "type": "object",
            "required": ["error", "error_description"],
            "properties": [
                "error": ["type": "string", "enum": ["invalid_request", "invalid_client", "unsupported_grant_type"]],
                "error_description": ["type": "string"],
            ],
        ],
        "VendorType": ["type": "string", "enum": .array(VendorType.allCases.map { .string($0.rawValue) })],
        "Vendor": ["type": "string", "enum": .array(VendorCatalogue.all.map { .string($0) })],
        "User": [
            "type": "object",
            "required": ["id", "linkedVendors"],
            "additionalProperties": false,
            "properties": [
                "id": ["type": "string"],
                "linkedVendors": ["type": "array", "items": ref("LinkedVendor")],
            ],
        ],
        "LinkedVendor": [
            "type": "object",
            "required": ["vendor", "vendorType", "isValid"],
            "properties": ["vendor": ref("Vendor"), "vendorType": ref("VendorType"), "isValid": ["type": "boolean"]],
        ],
        "LinkUserPayload": [
            "type": "object",
            "required": ["vendorType", "scopes", "language", "redirectUri"],
            "properties": [
                "vendorType": ref("VendorType"), "vendor": ref("Vendor"),
                "scopes": ["type": "array", "items": ["type": "string", "enum": .array(LinkScope.allCases.map { .string($0.rawValue) })]],
                "language": ["type": "string", "enum": .array(LinkLanguage.allCases.map { .string($0.rawValue) })],
                "redirectUri": redirectUri,
                "colorScheme": ["type": "string", "enum": ["system", "light", "dark"]],
            ],
        ],
        "RelinkUserPayload": [
            "type": "object",
            "required": ["language", "redirectUri"],
            "properties": [
                "language": ["type": "string", "enum": .array(LinkLanguage.allCases.map { .string($0.rawValue) })],
                "redirectUri": redirectUri,
                "colorScheme": ["type": "string", "enum": ["system", "light", "dark"]],
            ],
        ],
        "LinkUserResponse": [
            "type": "object",
            "required": ["linkUrl"],
            "properties": ["linkUrl": ["type": "string"], "linkToken": ["type": "string"], "linkState": ["type": "string"]],
        ],
        "Action": [
            "type": "object",
            "required": ["id", "userId", "createdAt", "updatedAt", "completedAt", "state"],
            "properties": [
                "id": ["type": "string"], "userId": ["type": "string"], "state": ["type": "string", "enum": ["PENDING", "CONFIRMED", "FAILED", "CANCELLED"]],
                "targetId": ["type": "string"], "targetType": ["type": "string"],
                "chargeableId": ["type": "string", "description": "targetId of charge actions before 2023-03-01"],
                "chargeableType": ["type": "string", "description": "targetType of charge actions before 2023-03-01"],
            ],
        ],
        "ChargingRequest": ["type": "object", "required": ["action"], "properties": ["action": ["type": "string", "enum": ["START", "STOP"]]]],
        "MaxCurrentRequest": ["type": "object", "required": ["maxCurrent"], "properties": ["maxCurrent": ["type": "number"]]],
        "OperationModeRequest": [
            "type": "object", "required": ["operationMode"],
            "properties": ["operationMode": ["type": "string", "enum": ["IMPORT_FOCUS", "EXPORT_FOCUS", "TIME_OF_USE", "SELF_RELIANCE"]]],
        ],
        "TemperatureRequest": [
            "type": "object", "required": ["targetTemperature"], "properties": ["targetTemperature": ["type": "number", "minimum": 5, "maximum": 35]],
        ],
        "PermanentHoldRequest": [
            "type": "object", "required": ["mode"],
            "properties": ["mode": ["type": "string", "enum": ["COOL", "HEAT", "AUTO", "OFF"]], "heatSetpoint": ["type": "number"], "coolSetpoint": ["type": "number"]],
        ],
        "Webhook": [
            "type": "object",
            "required": ["id", "url", "lastSuccess", "isActive", "createdAt", "apiVersion", "authentication"],
            "properties": [
                "id": ["type": "string"], "url": ["type": "string"], "lastSuccess": ["type": "string", "format": "date-time"],
                "isActive": ["type": "boolean"], "createdAt": ["type": "string", "format": "date-time"],
                "apiVersion": ["type": ["string", "null"]], "events": ["type": "array", "items": ["type": "string"]],
                "authentication": ["oneOf": [["type": "null"], ["type": "object", "required": ["headerName"], "properties": ["headerName": ["type": "string"]]]]],
                "standardWebhooks": standardWebhooks,
            ],
        ],
        "WebhookCreatePayload": [
            "type": "object", "required": ["url", "secret"],
            "properties": [
                "url": ["type": "string", "format": "uri"], "secret": ["type": "string", "minLength": 32],
                "events": ["type": "array", "items": ["type": "string"]], "apiVersion": ["type": ["string", "null"]],
                "authentication": ["type": "object", "required": ["headerName", "headerValue"],
                                   "properties": ["headerName": ["type": "string"], "headerValue": ["type": "string"]]],
                "standardWebhooks": standardWebhooks,
            ],
        ],
        "WebhookUpdatePayload": [
            "type": "object",
            "properties": [
                "url": ["type": "string", "format": "uri"], "secret": ["type": "string", "minLength": 32],
                "events": ["type": "array", "items": ["type": "string"]], "apiVersion": ["type": ["string", "null"]],
                "authentication": ["type": ["object", "null"], "required": ["headerName", "headerValue"],
                                   "properties": ["headerName": ["type": "string"], "headerValue": ["type": "string"]]],
                "standardWebhooks": standardWebhooks,
            ],
        ],
        "WebhookAttempt": [
            "type": "object", "required": ["deliveryId", "attemptedAt", "events", "statusCode", "error", "latencyMs"],
            "properties": [
                "deliveryId": ["type": "string"], "attemptedAt": ["type": "string", "format": "date-time"],
                "events": ["type": "array", "items": ["type": "string"]], "statusCode": ["type": ["integer", "null"]],
                "error": ["type": ["string", "null"]], "latencyMs": ["type": "integer"],
            ],
        ],
        "FirehosePayload": [
            "type": "object", "required": ["url", "secret"],
            "properties": ["url": ["type": "string", "format": "uri"], "secret": ["type": "string", "minLength": 32]],
        ],
        "FirehoseDeletePayload": ["type": "object", "required": ["url"], "properties": ["url": ["type": "string"]]],
        "TestWebhookResult": [
            "type": "object", "required": ["status", "description", "response"],
            "properties": [
                "status": ["type": "string", "enum": ["SUCCESS", "FAILURE"]], "description": ["type": "string"],
                "response": ["oneOf": [["type": "null"], ["type": "object", "required": ["code", "body", "headers"]]]],
            ],
        ],
        "UsersListEntry": [
            "type": "object",
            "required": ["id", "createdAt", "scopes"],
            "additionalProperties": false,
            "properties": [
                "id": ["type": "string"],
                "createdAt": ["type": "string", "format": "date-time"],
                "scopes": ["type": "array", "items": ["type": "string"]],
            ],
        ],
    ]
}
