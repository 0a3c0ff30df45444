import GridlinkCore
import Hummingbird

/// `GET /health/{chargers,vehicles,batteries,inverters,hvacs,meters}` and `GET /integrations`: every vendor with its
/// status as the client's connector sees it (a sandbox outage fault shows as `OUTAGE`); without a token, the
/// client-independent view (every vendor `READY`), so Enode's SDK can call them as it does Enode's.
struct HealthController: Sendable {
    let connector: any VendorConnector

    private static let tag = "Service health"

    /// Adds the six health lists and the integrations list.
    func register(in registry: RouteRegistry) {
        for type in VendorType.allCases {
            let name = type == .hvac ? "HVAC" : type.rawValue
            registry.add(.get, "/health/\(type.pathSegment)", access: .optionalClient, operation: .init(
                "getHealth\(type == .hvac ? "Hvac" : type.rawValue.capitalized)Vendors", summary: "Check available \(name) vendors", tag: Self.tag,
                responses: [200: .init("Every \(name) vendor and its status", schema: ["type": "array", "items": OpenAPISchemas.ref("VendorHealth")])])
            ) { _, context in
                let statuses = try await statuses(context, vendors: VendorCatalogue.vendors(of: type))
                return try JSONCoding.response(JSONValue.array(VendorCatalogue.vendors(of: type).map { vendor in
                    let status = statuses[vendor] ?? .ready
                    return [
                        "vendor": .string(vendor), "displayName": .string(BrandNames.brand(of: vendor)), "status": .string(status.rawValue),
                        "portalName": .string(VendorPortals.portalName(of: vendor)), "linkingStatus": .string(status.rawValue),
                    ]
                }))
            }
        }

        registry.add(.get, "/integrations", access: .optionalClient, versions: VersionRange(introduced: .v2024_10_01), operation: .init(
            "getIntegrations", summary: "List integrations: every vendor with its asset types, scopes and status", tag: Self.tag,
            parameters: [.query("assetTypes", "Comma-separated asset types (default: all six)", schema: ["type": "string", "default": "vehicle,charger,hvac,inverter,battery,meter"])],
            responses: [200: .init("The integrations", schema: ["type": "array", "items": OpenAPISchemas.ref("Integration")])])
        ) { request, context in
            let types = try Self.assetTypes(request.uri.queryParameters["assetTypes"].map(String.init))
            let offered = VendorCatalogue.all.map { vendor in (vendor, types.filter { VendorCatalogue.vendors(of: $0).contains(vendor) }) }.filter { !$0.1.isEmpty }
            let statuses = try await statuses(context, vendors: offered.map(\.0))
            return try JSONCoding.response(JSONValue.array(offered.map { vendor, assetTypes in
                let status = statuses[vendor] ?? .ready
                let scopes = LinkScope.allCases.map(\.rawValue).filter { scope in assetTypes.contains { scope.hasPrefix($0.rawValue + ":") } }
                return [
                    "vendor": .string(vendor), "displayName": .string(BrandNames.brand(of: vendor)),
                    "assetTypes": .array(assetTypes.map { .string($0.rawValue) }), "scopes": .array(scopes.map { .string($0) }),
                    "status": .string(status.rawValue), "portalName": .string(VendorPortals.portalName(of: vendor)),
                    "linkingStatus": .string(status.rawValue),
                ]
            }))
        }
    }

    /// The statuses the calling client sees; none (every vendor ready) for a call without a token.
    private func statuses(_ context: GridlinkRequestContext, vendors: [String]) async throws -> [String: VendorHealthStatus] {
        guard let client = context.client else { return [:] }
        return try await connector.vendorStatuses(clientId: client.id, vendors: vendors)
    }

    /// The asset types of an `assetTypes` value, in the API's order; all six when absent or empty.
    static func assetTypes(_ value: String?) throws -> [VendorType] {
        let names = (value ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { return VendorType.allCases }
        let types = try names.map { name in
            guard let type = VendorType(rawValue: name) else {
                throw Problem.badRequest("\"assetTypes\" must list values of [\(VendorType.allCases.map(\.rawValue).joined(separator: ", "))]; got \"\(name)\"")
            }
            return type
        }
        return VendorType.allCases.filter(types.contains)
    }
}
