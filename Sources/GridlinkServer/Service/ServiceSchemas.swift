import GridlinkCore

/// Component schemas of the interventions, health and integrations routes (ENUMS.md §2.9).
enum ServiceSchemas {
    private static let string: JSONValue = ["type": "string"]
    private static let nullableString: JSONValue = ["type": ["string", "null"]]
    private static let healthStatus: JSONValue = ["type": "string", "enum": .array(VendorHealthStatus.allCases.map { .string($0.rawValue) })]

    private static func enumeration(_ values: [String]) -> JSONValue {
        ["type": "string", "enum": .array(values.map { .string($0) })]
    }

    private static func object(_ properties: [String: JSONValue]) -> JSONValue {
        ["type": "object", "required": .array(properties.keys.sorted().map { .string($0) }), "additionalProperties": false, "properties": .object(properties)]
    }

    /// The schemas, by name.
    static let components: [String: JSONValue] = [
        "Intervention": object([
            "id": ["type": "string", "format": "uuid"],
            "vendor": ["anyOf": [OpenAPISchemas.ref("Vendor"), ["type": "null"]]],
            "vendorType": ["anyOf": [OpenAPISchemas.ref("VendorType"), ["type": "null"]]],
            "brand": nullableString,
            "introducedAt": ["type": "string", "format": "date-time"],
            "domain": enumeration(InterventionDomain.allCases.map(\.rawValue)),
            "resolution": object([
                "title": string, "description": string,
                "access": enumeration(ResolutionAccess.allCases.map(\.rawValue)),
                "agent": enumeration(ResolutionAgent.allCases.map(\.rawValue)),
                "action": ["type": ["string", "null"], "enum": ["Link", .null]],
            ]),
        ]),
        "VendorHealth": object([
            "vendor": OpenAPISchemas.ref("Vendor"), "displayName": string, "status": healthStatus, "portalName": string,
            "linkingStatus": healthStatus,
        ]),
        "Integration": object([
            "vendor": OpenAPISchemas.ref("Vendor"), "displayName": string,
            "assetTypes": ["type": "array", "items": OpenAPISchemas.ref("VendorType")],
            "scopes": ["type": "array", "items": enumeration(LinkScope.allCases.map(\.rawValue))],
            "status": healthStatus, "portalName": string, "linkingStatus": healthStatus,
        ]),
    ]
}
