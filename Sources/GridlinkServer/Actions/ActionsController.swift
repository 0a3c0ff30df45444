import Foundation
import GridlinkCore
import Hummingbird

/// Control endpoints that create actions, and the per-type action read and cancel endpoints.
struct ActionsController: Sendable {
    let service: ActionService

    private static let actionSchema = OpenAPISchemas.ref("Action")
    private static func body(_ schema: String) -> (contentType: String, schema: JSONValue) { ("application/json", OpenAPISchemas.ref(schema)) }
    private static let created: [Int: OpenAPIOperation.ResponseSpec] = [
        200: .init("The action", schema: actionSchema), 403: .problem("The user has not granted control of this device"),
        422: .problem("The device is controlled by a schedule or smart charging"),
        424: .problem("The device's vendor is unavailable (an outage; see GET /health/{type})"),
    ]

    /// Adds the control and action routes of every controllable type.
    func register(in registry: RouteRegistry) {
        let kinds = AssetsController.Kind.all
        let vehicle = kinds[0], charger = kinds[1], hvac = kinds[2], battery = kinds[4]
        for kind in [vehicle, charger] {
            control(registry, kind, "charging", "Start or stop charging", body: "ChargingRequest") { request, _ in
                let body = try await JSONBody.decode(ChargingRequest.self, from: request)
                return .charging(start: body.action == .start)
            }
            control(registry, kind, "max-current", "Set the charging current limit", body: "MaxCurrentRequest") { request, _ in
                let body = try await JSONBody.decode(MaxCurrentRequest.self, from: request)
                guard body.maxCurrent >= 0, body.maxCurrent <= 500 else { throw Problem.badRequest("\"maxCurrent\" must be between 0 and 500") }
                return .maxCurrent(body.maxCurrent)
            }
        }
        // 2023-03-01 replaced Set Temperature by Set Permanent Hold and Follow Schedule.
        let since20230301 = VersionRange(introduced: .v2023_03_01)
        control(registry, hvac, "permanent-hold", "Hold a mode and setpoints", body: "PermanentHoldRequest", versions: since20230301) { request, _ in
            try await JSONBody.decode(PermanentHoldRequest.self, from: request).kind()
        }
        control(registry, hvac, "follow-schedule", "Return to the device's own schedule", body: nil, versions: since20230301) { _, _ in .followSchedule }
        control(
            registry, hvac, "temperature", "Set the target temperature (deprecated: a permanent hold in the unit's heating or cooling mode)",
            body: "TemperatureRequest", versions: VersionRange(removed: .v2023_03_01)
        ) { [service] request, target in
            let body = try await JSONBody.decode(TemperatureRequest.self, from: request)
            let hvac = try await service.store.read { try await $0.asset(clientId: target.clientId, type: .hvac, id: target.assetId) }
            return try body.kind(currentMode: hvac?.body["thermostatState"]?["mode"])
        }
        control(registry, battery, "operation-mode", "Set the operation mode", body: "OperationModeRequest") { request, _ in
            .operationMode(try await JSONBody.decode(OperationModeRequest.self, from: request).operationMode.rawValue)
        }
        for kind in [vehicle, charger, hvac, battery] { actions(registry, kind) }
    }

    /// The asset a control request names.
    struct ControlTarget {
        let clientId: String
        let assetId: String
    }

    private func control(
        _ registry: RouteRegistry, _ kind: AssetsController.Kind, _ path: String, _ summary: String, body: String?,
        versions: VersionRange = .always, _ parse: @escaping @Sendable (Request, ControlTarget) async throws -> ActionKind
    ) {
        let operationId = "post\(kind.name)\(path.split(separator: "-").map { $0.capitalized }.joined())"
        registry.add(.post, "/\(kind.segment)/{\(kind.idParameter)}/\(path)", versions: versions, operation: .init(
            operationId, summary: summary, tag: kind.name == "HVAC" ? "HVACs" : kind.name + "s", requestBody: body.map(Self.body), responses: Self.created)
        ) { request, context in
            let clientId = try context.requireClient().id
            let assetId = try context.parameters.require(kind.idParameter)
            let parsed = try await parse(request, ControlTarget(clientId: clientId, assetId: assetId))
            let action = try await service.create(clientId: clientId, type: kind.type, assetId: assetId, kind: parsed)
            return try ActionViews.rendering.response(ActionViews.view(action), for: context.apiVersion)
        }
    }

    private func actions(_ registry: RouteRegistry, _ kind: AssetsController.Kind) {
        let tag = kind.name == "HVAC" ? "HVACs" : kind.name + "s"
        registry.add(.get, "/\(kind.segment)/actions/{actionId}", operation: .init(
            "get\(kind.name)Action", summary: "Get an action", tag: tag, responses: [200: .init("The action", schema: Self.actionSchema)])
        ) { _, context in
            let clientId = try context.requireClient().id
            let id = try context.parameters.require("actionId")
            guard let action = try await service.store.read({ try await $0.action(clientId: clientId, targetType: kind.type, id: id) }) else {
                throw Problem.notFound("Action \(id) not found", title: "Entity Not Found")
            }
            return try ActionViews.rendering.response(ActionViews.view(action), for: context.apiVersion)
        }
        registry.add(.post, "/\(kind.segment)/actions/{actionId}/cancel", operation: .init(
            "cancel\(kind.name)Action", summary: "Cancel a pending action", tag: tag,
            responses: [200: .init("The cancelled action", schema: Self.actionSchema), 409: .init("The action had already finished", schema: Self.actionSchema)])
        ) { _, context in
            let clientId = try context.requireClient().id
            let (action, wasFinal) = try await service.cancel(clientId: clientId, type: kind.type, actionId: try context.parameters.require("actionId"))
            return try ActionViews.rendering.response(ActionViews.view(action), for: context.apiVersion, status: wasFinal ? .conflict : .ok)
        }
    }
}
