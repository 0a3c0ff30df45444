import Foundation
import GridlinkCore
import GridlinkSandbox
import Hummingbird

/// `POST /sandbox/links`: links a sandbox vendor account to a user in one call, without the Link UI.
struct SandboxLinkController: Sendable {
    let linking: SandboxLinking

    /// Adds the headless linking route.
    func register(in registry: RouteRegistry) {
        registry.add(.post, "/sandbox/links", operation: .init(
            "createSandboxLink", summary: "Link a virtual vendor account to a user as a completed Link UI session would", tag: "Sandbox",
            requestBody: ("application/json", Self.requestSchema),
            responses: [
                200: .init("What was linked", schema: Self.responseSchema),
                400: .problem("A field is missing or invalid (the detail names it)"),
                403: .problem("Connections limit reached, or a sandbox quota is used up"),
                404: .problem("Unknown virtual account (or a production client)"),
                409: .problem("The sandbox vendor refused the sign-in"),
                422: .problem("The new account asks for more devices than a sandbox limit allows"),
                424: .problem("The vendor has an outage"),
            ])
        ) { request, context in
            let clientId = try SandboxController.clientId(context)
            let body = try await JSONBody.decode(LinkAccountRequest.self, from: request)
            let linked = try await linking.link(clientId: clientId, userId: body.userId, account: try body.account(), scopes: body.scopes)
            return try JSONCoding.response(Self.view(linked))
        }
    }

    /// The answer: the user, the vendor account, the granted scopes, the asset ids by type and each sandbox device's asset.
    static func view(_ linked: SandboxLinking.Linked) -> JSONValue {
        let types = VendorType.allCases.filter { linked.scopes[$0] != nil }
        return [
            "userId": .string(linked.userId), "vendor": .string(linked.vendor), "accountId": .string(linked.accountId),
            "scopes": .array(types.flatMap { linked.scopes[$0] ?? [] }.map { .string($0) }),
            "assetIds": .object(Dictionary(uniqueKeysWithValues: types.map { type in
                (type.rawValue, JSONValue.array((linked.assetIds[type] ?? []).map { .string($0) }))
            })),
            "devices": .array(linked.devices.map { ["deviceId": .string($0.deviceId), "type": .string($0.type.rawValue), "assetId": .string($0.assetId)] }),
        ]
    }

    private static let string: JSONValue = ["type": "string"]
    private static let strings: JSONValue = ["type": "array", "items": string]

    private static let requestSchema: JSONValue = [
        "type": "object",
        "properties": [
            "userId": string, "accountId": string, "vendor": OpenAPISchemas.ref("Vendor"), "siteId": string,
            "devices": ["type": "array", "items": OpenAPISchemas.ref("SandboxDeviceSpec")],
            "scopes": ["type": "array", "items": ["type": "string", "enum": .array(LinkScope.allCases.map { .string($0.rawValue) })]],
        ],
        "required": ["userId"],
    ]

    private static let responseSchema: JSONValue = [
        "type": "object",
        "properties": [
            "userId": string, "vendor": string, "accountId": string, "scopes": strings,
            "assetIds": ["type": "object", "additionalProperties": strings],
            "devices": ["type": "array", "items": [
                "type": "object", "properties": ["deviceId": string, "type": OpenAPISchemas.ref("VendorType"), "assetId": string],
                "required": ["deviceId", "type", "assetId"],
            ]],
        ],
        "required": ["userId", "vendor", "accountId", "scopes", "assetIds", "devices"],
    ]
}

/// `POST /sandbox/links` body: the user, and either an existing virtual account or a vendor with devices to create one.
struct LinkAccountRequest: Decodable {
    let userId: String
    let accountId: String?
    let vendor: String?
    let siteId: String?
    let devices: [DeviceSpecRequest]?
    let scopes: [String]?

    /// The account to link; a 400 problem when the body names both or neither kind.
    func account() throws(Problem) -> SandboxLinking.Account {
        switch (accountId, vendor) {
        case (let id?, nil):
            guard siteId == nil, devices == nil else { throw .badRequest("\"siteId\" and \"devices\" go with \"vendor\", not with \"accountId\"") }
            return .existing(id: id)
        case (nil, let vendor?):
            return .new(vendor: vendor, siteId: siteId, devices: (devices ?? []).map(\.spec))
        case (.some, .some): throw .badRequest("\"accountId\" and \"vendor\" exclude each other: link an existing account or create one")
        case (nil, nil): throw .badRequest("\"accountId\" or \"vendor\" (with \"devices\") is required")
        }
    }
}
