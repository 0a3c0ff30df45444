import Foundation
import GridlinkCore
import GridlinkStore
import Hummingbird

/// `/sandbox/prices` and `/sandbox/locations/{locationId}/prices`: read the sandbox market, replace it with uploaded
/// prices (seen by the uploading client only), and see the prices a location pays (what smart charging and statistics read).
struct SandboxPricesController: Sendable {
    let store: Store
    let clock: any GridClock
    let prices: PriceService
    let locations: LocationsController

    private static let tag = "Sandbox"
    /// Longest range one request may ask for.
    static let maximumRange: TimeInterval = 31 * 86_400
    private static let rangeParameters: [OpenAPIOperation.Parameter] = [
        .query("from", "Start (ISO 8601); default: the current simulated hour", schema: ["type": "string", "format": "date-time"]),
        .query("to", "End (ISO 8601, exclusive); default: 24 h after from", schema: ["type": "string", "format": "date-time"]),
        .query("resolution", "HOUR (default) or QUARTER_HOUR", schema: ["type": "string", "enum": ["HOUR", "QUARTER_HOUR"]]),
    ]

    /// Adds the price routes.
    func register(in registry: RouteRegistry) {
        let pricesSchema: JSONValue = [
            "type": "object", "required": ["area", "currency", "prices"],
            "properties": ["area": ["type": "string"], "currency": ["type": "string"], "prices": ["type": "array", "items": OpenAPISchemas.ref("PriceSlot")]],
        ]
        registry.add(.get, "/sandbox/prices", operation: .init(
            "getSandboxPrices", summary: "Spot prices of a bidding area (uploaded where provided, else the sandbox market)", tag: Self.tag,
            parameters: [.query("area", "Bidding area, e.g. NO1, SE3, DE-LU", schema: ["type": "string"], required: true)] + Self.rangeParameters,
            responses: [200: .init("Prices", schema: pricesSchema)])
        ) { request, context in
            let clientId = try SandboxController.clientId(context)
            let area = try Self.area(request.uri.queryParameters["area"].map(String.init))
            let (from, to, minutes) = try range(request)
            let slots = try await prices.marketPrices(clientId: clientId, area: area, from: from, to: to, slotMinutes: minutes)
            return try JSONCoding.response(["area": .string(area.code), "currency": .string(area.currency), "prices": .array(slots.map { Self.view($0) })] as JSONValue)
        }

        registry.add(.put, "/sandbox/prices/{area}", operation: .init(
            "putSandboxPrices", summary: "Upload this client's market prices for an area (replacing its slots with the same start)", tag: Self.tag,
            requestBody: (contentType: "application/json", schema: ["type": "object", "required": ["prices"], "properties": ["prices": ["type": "array", "items": OpenAPISchemas.ref("PriceSlot")]]]),
            responses: [204: .init("Stored")])
        ) { request, context in
            let clientId = try SandboxController.clientId(context)
            let area = try Self.area(context.parameters.get("area"))
            let body = try await JSONBody.decode(PriceUpload.self, from: request)
            try PriceUploadRules.checkCount(body.prices.count, field: "prices")
            let slots = try body.prices.enumerated().map { index, slot in
                try PriceUploadRules.slot(start: Timestamp.parseInput(slot.start), end: Timestamp.parseInput(slot.end), price: slot.price, field: "prices[\(index)]")
            }
            try await store.write { try await $0.savePrices(clientId: clientId, area: area.code, prices: slots) }
            return Response(status: .noContent)
        }

        registry.add(.delete, "/sandbox/prices/{area}", operation: .init(
            "deleteSandboxPrices", summary: "Remove this client's uploaded prices of an area in a range (the sandbox market applies again)", tag: Self.tag,
            parameters: Self.rangeParameters, responses: [204: .init("Removed")])
        ) { request, context in
            let clientId = try SandboxController.clientId(context)
            let area = try Self.area(context.parameters.get("area"))
            let (from, to, _) = try range(request)
            try await store.write { try await $0.deletePrices(clientId: clientId, area: area.code, from: from, to: to) }
            return Response(status: .noContent)
        }

        registry.add(.get, "/sandbox/locations/{locationId}/prices", operation: .init(
            "getSandboxLocationPrices", summary: "The prices a location pays: its tariff where linked, else its area's market", tag: Self.tag,
            parameters: Self.rangeParameters, responses: [200: .init("Prices", schema: pricesSchema)])
        ) { request, context in
            _ = try SandboxController.clientId(context)
            let location = try await locations.find(context, parameter: "locationId")
            let (from, to, minutes) = try range(request)
            let (area, slots) = try await prices.prices(for: location, from: from, to: to, slotMinutes: minutes)
            let items = slots.map { price -> JSONValue in
                var item = Self.view(price.slot)
                item["source"] = .string(price.source)
                item["rateName"] = price.rateName.map { .string($0) } ?? .null
                return item
            }
            return try JSONCoding.response([
                "locationId": .string(location.id), "area": .string(area.code), "currency": .string(area.currency), "prices": .array(items),
            ] as JSONValue)
        }
    }

    private func range(_ request: Request) throws -> (Date, Date, Int) {
        let query = request.uri.queryParameters
        let hour = (clock.now().timeIntervalSince1970 / 3600).rounded(.down) * 3600
        let from = try query["from"].map { text in
            guard let date = Timestamp.parseInput(String(text)) else { throw Problem.badRequest("\"from\" must be an ISO 8601 date-time \(Timestamp.inputRangeText)") }
            return date
        } ?? Date(timeIntervalSince1970: hour)
        let to = try query["to"].map { text in
            guard let date = Timestamp.parseInput(String(text)) else { throw Problem.badRequest("\"to\" must be an ISO 8601 date-time \(Timestamp.inputRangeText)") }
            return date
        } ?? from.addingTimeInterval(86_400)
        guard to > from, to.timeIntervalSince(from) <= Self.maximumRange else { throw Problem.badRequest("\"to\" must be after \"from\" and at most 31 days later") }
        switch query["resolution"].map(String.init) ?? "HOUR" {
        case "HOUR": return (from, to, 60)
        case "QUARTER_HOUR": return (from, to, 15)
        default: throw Problem.badRequest("\"resolution\" must be HOUR or QUARTER_HOUR")
        }
    }

    private static func area(_ code: String?) throws -> PriceArea {
        guard let code else { throw Problem.badRequest("\"area\" is required") }
        guard let area = PriceArea.named(code) else {
            throw Problem.badRequest("\"area\" must be one of \(PriceArea.all.map(\.code).joined(separator: ", "))")
        }
        return area
    }

    private static func view(_ slot: PriceSlot) -> JSONValue {
        ["start": .string(Timestamp.format(slot.start)), "end": .string(Timestamp.format(slot.end)), "price": .number(slot.price)]
    }
}

/// `PUT /sandbox/prices/{area}` body.
struct PriceUpload: Decodable {
    /// One uploaded slot.
    struct Slot: Decodable {
        let start: String
        let end: String
        let price: Double
    }

    let prices: [Slot]
}
