import Foundation
import GridlinkCore
import GridlinkStore
import Hummingbird

/// `/vehicles/{vehicleId}/smart-charging-policy|status|plans`, and the vehicle and charger smart overrides
/// (`external-start` before 2023-03-01).
struct SmartChargingController: Sendable {
    let store: Store
    let clock: any GridClock
    let runner: SmartChargingRunner

    private static let tag = "Vehicles"
    private static let policySchema = OpenAPISchemas.ref("SmartChargingPolicy")

    /// Adds the smart-charging routes.
    func register(in registry: RouteRegistry) {
        registry.add(.get, "/vehicles/{vehicleId}/smart-charging-policy", operation: .init(
            "getVehicleSmartChargingPolicy", summary: "Get a vehicle's smart-charging policy", tag: Self.tag,
            responses: [200: .init("The policy", schema: Self.policySchema)])
        ) { _, context in
            try JSONCoding.response(SmartChargingPolicy(body: try await vehicle(context).body).json)
        }
        registry.add(.put, "/vehicles/{vehicleId}/smart-charging-policy", operation: .init(
            "updateVehicleSmartChargingPolicy", summary: "Update a vehicle's smart-charging policy (enabling disables its schedules)", tag: Self.tag,
            requestBody: ("application/json", OpenAPISchemas.ref("SmartChargingPolicyUpdate")),
            responses: [200: .init("The policy", schema: Self.policySchema), 400: .problem("The policy cannot be applied")])
        ) { request, context in
            let clientId = try context.requireClient().id
            let vehicleId = try context.parameters.require("vehicleId")
            let body = try await JSONBody.decode(JSONValue.self, from: request)
            let policy = try await store.write { [now = clock.now(), version = context.apiVersion] in
                try await SmartChargingPolicies.update(vehicleId: vehicleId, clientId: clientId, with: body, version: version, at: now, in: $0)
            }
            await runner.refresh(clientId: clientId, vehicleId: vehicleId)
            return try JSONCoding.response(policy.json)
        }
        registry.add(.get, "/vehicles/{vehicleId}/smart-charging-status", operation: .init(
            "getVehicleSmartChargingStatus", summary: "Get a vehicle's smart-charging status", tag: Self.tag,
            responses: [200: .init("The status", schema: OpenAPISchemas.ref("SmartChargingStatus"))])
        ) { _, context in
            let vehicle = try await vehicle(context)
            let record = try await store.read { try await $0.smartChargingRecord(vehicleId: vehicle.id) }
            let status = record?["status"].flatMap { $0 == .null ? nil : $0 } ?? SmartChargingViews.disabledStatus(vehicle: vehicle, now: clock.now())
            return try SmartChargingViews.statusRendering.response(status, for: context.apiVersion)
        }
        registry.add(.get, "/vehicles/{vehicleId}/smart-charging-plans/{smartChargingPlanId}", versions: VersionRange(removed: .v2024_10_01),
                     operation: .init(
            "getVehicleSmartChargingPlan", summary: "Get a smart-charging plan, or the latest with `latest`", tag: Self.tag,
            responses: [200: .init("The plan", schema: OpenAPISchemas.ref("SmartChargingPlan"))])
        ) { _, context in
            let vehicle = try await vehicle(context)
            let planId = try context.parameters.require("smartChargingPlanId")
            guard let plan = try await store.read({ try await $0.smartChargingPlan(clientId: vehicle.clientId, vehicleId: vehicle.id, id: planId) }) else {
                throw Problem.notFound("Smart-charging plan \(planId) not found", title: "Entity Not Found")
            }
            return try SmartChargingViews.planRendering.response(plan, for: context.apiVersion)
        }
        for (type, segment, idName) in [(VendorType.vehicle, "vehicles", "vehicleId"), (.charger, "chargers", "chargerId")] {
            for (path, versions) in [("smart-override", VersionRange(introduced: .v2023_03_01)), ("external-start", VersionRange(removed: .v2023_03_01))] {
                registerOverride(registry, type: type, path: "/\(segment)/{\(idName)}/\(path)", idName: idName, versions: versions,
                                 name: path == "external-start" ? "ExternalStart" : "SmartOverride")
            }
        }
    }

    private func registerOverride(_ registry: RouteRegistry, type: VendorType, path: String, idName: String, versions: VersionRange, name: String) {
        let noun = type == .vehicle ? "Vehicle" : "Charger"
        let overrides = SmartOverrides(store: store, clock: clock, actions: runner.actions)
        let schema = OpenAPISchemas.ref("SmartOverride")
        registry.add(.post, path, versions: versions, operation: .init(
            "\(noun.lowercased())Create\(name)", summary: "Charge now while a schedule or smart charging controls the \(type.rawValue)", tag: noun + "s",
            responses: [200: .init("The smart override", schema: schema)])
        ) { _, context in
            try await respond(context, type: type, idName: idName) { try await overrides.create(clientId: $0, type: type, targetId: $1) }
        }
        registry.add(.delete, path, versions: versions, operation: .init(
            "\(noun.lowercased())End\(name)", summary: "End the active smart override; control returns to the schedule or smart charging",
            tag: noun + "s", responses: [200: .init("The ended smart override", schema: schema), 404: .problem("No smart override exists")])
        ) { _, context in
            try await respond(context, type: type, idName: idName) { try await overrides.end(clientId: $0, type: type, targetId: $1) }
        }
    }

    /// Runs an override change for the route's target, refreshes a vehicle's smart-charging status and answers the override.
    private func respond(_ context: GridlinkRequestContext, type: VendorType, idName: String,
                         _ change: (String, String) async throws -> JSONValue) async throws -> Response {
        let clientId = try context.requireClient().id
        let targetId = try context.parameters.require(idName)
        let override = try await change(clientId, targetId)
        if type == .vehicle { await runner.refresh(clientId: clientId, vehicleId: targetId) }
        return try JSONCoding.response(override)
    }

    private func vehicle(_ context: GridlinkRequestContext) async throws -> AssetRecord {
        let clientId = try context.requireClient().id
        return try await store.requireAsset(clientId: clientId, type: .vehicle, id: try context.parameters.require("vehicleId"))
    }
}
