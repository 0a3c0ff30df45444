import GridlinkCore
import Hummingbird

/// `GET /interventions` and `GET /interventions/{interventionId}`: the intervention catalogue, localized.
struct InterventionsController: Sendable {
    /// The `language` values the reference lists (ENUMS InterventionLanguage); others fall back to English too.
    static let languages = [
        "en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "ja-JP", "pt-PT", "lv-LV", "lt-LT", "nl-NL", "nl-BE", "nb-NO", "pl-PL",
        "sv-SE", "da-DK", "fi-FI", "ro-RO",
    ]
    private static let tag = "Interventions"
    private static let parameters: [OpenAPIOperation.Parameter] = [
        .query("language", "Language of resolution.title/description (BCP 47). English, Norwegian and German text exists; "
            + "other or missing values use Accept-Language, then en-US", schema: ["type": "string", "enum": .array(languages.map { .string($0) })]),
        .query("vendorType", "Only interventions for this asset type (and those for every type)", schema: OpenAPISchemas.ref("VendorType")),
        .query("vendor", "Only interventions for this vendor (and those for every vendor)", schema: OpenAPISchemas.ref("Vendor")),
    ]

    /// Adds the two routes.
    func register(in registry: RouteRegistry) {
        registry.add(.get, "/interventions", operation: .init(
            "listInterventions", summary: "List interventions", tag: Self.tag, parameters: Self.parameters,
            responses: [200: .init("Every intervention matching the filters", schema: ["type": "array", "items": OpenAPISchemas.ref("Intervention")])])
        ) { request, context in
            _ = try context.requireClient()
            let query = try InterventionQuery(request)
            let matching = InterventionCatalogue.all.filter { $0.matches(vendor: query.vendor, type: query.vendorType) }
            return try Self.localized(.array(matching.map { $0.json(in: query.language) }), query.language)
        }

        registry.add(.get, "/interventions/{interventionId}", operation: .init(
            "getIntervention", summary: "Get intervention", tag: Self.tag, parameters: Self.parameters,
            responses: [200: .init("The intervention", schema: OpenAPISchemas.ref("Intervention")), 404: .problem("Intervention not found")])
        ) { request, context in
            _ = try context.requireClient()
            let query = try InterventionQuery(request)
            let id = try context.parameters.require("interventionId")
            guard let intervention = InterventionCatalogue.intervention(id: id), intervention.matches(vendor: query.vendor, type: query.vendorType) else {
                throw Problem.notFound("Intervention \(id) not found", title: "Intervention not found")
            }
            return try Self.localized(intervention.json(in: query.language), query.language)
        }
    }

    private static func localized(_ body: JSONValue, _ language: TextLanguage) throws -> Response {
        var response = try JSONCoding.response(body)
        response.headers[.contentLanguage] = language.rawValue
        response.headers[.vary] = "Accept-Language"
        return response
    }
}

/// The validated query of the intervention routes.
struct InterventionQuery {
    /// Language of the resolution text.
    let language: TextLanguage
    /// Vendor filter.
    let vendor: String?
    /// Asset type filter.
    let vendorType: VendorType?

    /// Reads `language` (else `Accept-Language`, else English), `vendor` and `vendorType`; unknown filters are 400.
    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        if let tag = query["language"].map(String.init), let language = TextLanguage(tag: tag) {
            self.language = language
        } else {
            self.language = request.headers[.acceptLanguage].flatMap { TextLanguage.preferred(acceptLanguage: $0) } ?? .english
        }
        vendor = try query["vendor"].map(String.init).map { vendor in
            guard VendorCatalogue.all.contains(vendor) else { throw Problem.badRequest("\"vendor\" must be a known vendor; got \"\(vendor)\"") }
            return vendor
        }
        vendorType = try query["vendorType"].map(String.init).map { raw in
            guard let type = VendorType(rawValue: raw) else {
                throw Problem.badRequest("\"vendorType\" must be one of [\(VendorType.allCases.map(\.rawValue).joined(separator: ", "))]; got \"\(raw)\"")
            }
            return type
        }
    }
}
