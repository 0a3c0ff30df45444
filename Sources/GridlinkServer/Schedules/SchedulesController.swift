import Foundation
import GridlinkCore
import GridlinkStore
import Hummingbird

/// `/users/{userId}/schedules` (2023-08-01 on), `/schedules` before it, and `/schedules/{scheduleId}[/status]`.
struct SchedulesController: Sendable {
    let store: Store
    let clock: any GridClock
    let runner: ScheduleRunner

    private static let tag = "Schedules"
    private static let schema = OpenAPISchemas.ref("Schedule")

    /// Adds the schedule routes.
    func register(in registry: RouteRegistry) {
        let since20230801 = VersionRange(introduced: .v2023_08_01)
        let before20230801 = VersionRange(removed: .v2023_08_01)
        let createBody = (contentType: "application/json", schema: OpenAPISchemas.ref("ScheduleCreatePayload"))

        registry.add(.get, "/users/{userId}/schedules", versions: since20230801, operation: .init(
            "getSchedules", summary: "List a user's schedules", tag: Self.tag, parameters: OpenAPISchemas.pageParameters,
            responses: [200: .init("The user's schedules, newest first", schema: OpenAPISchemas.paginated(Self.schema))])
        ) { request, context in
            try await list(request, context, userId: try context.parameters.require("userId"))
        }
        registry.add(.post, "/users/{userId}/schedules", versions: since20230801, operation: .init(
            "createSchedule", summary: "Create a charge or temperature schedule", tag: Self.tag, requestBody: createBody,
            responses: [200: .init("The schedule", schema: Self.schema)])
        ) { request, context in
            try await create(request, context, userId: try context.parameters.require("userId"))
        }
        registry.add(.get, "/schedules", versions: before20230801, operation: .init(
            "getSchedulesDeprecated", summary: "List the Enode-User-Id user's schedules (deprecated)", tag: Self.tag,
            parameters: [UserHeader.parameter], responses: [200: .init("The user's schedules", schema: ["type": "array", "items": Self.schema])])
        ) { request, context in
            try await list(request, context, userId: try request.headerUserId())
        }
        registry.add(.post, "/schedules", versions: before20230801, operation: .init(
            "createScheduleDeprecated", summary: "Create a schedule for the Enode-User-Id user (deprecated)", tag: Self.tag,
            parameters: [UserHeader.parameter], requestBody: createBody, responses: [200: .init("The schedule", schema: Self.schema)])
        ) { request, context in
            try await create(request, context, userId: try request.headerUserId())
        }

        registry.add(.get, "/schedules/{scheduleId}", operation: .init(
            "getSchedule", summary: "Get a schedule", tag: Self.tag, responses: [200: .init("The schedule", schema: Self.schema)])
        ) { _, context in
            try ScheduleViews.rendering.response(ScheduleViews.schedule(try await find(context)), for: context.apiVersion)
        }
        registry.add(.put, "/schedules/{scheduleId}", operation: .init(
            "updateSchedule", summary: "Update a schedule (every field optional)", tag: Self.tag,
            requestBody: (contentType: "application/json", schema: OpenAPISchemas.ref("ScheduleUpdatePayload")),
            responses: [200: .init("The schedule", schema: Self.schema)])
        ) { request, context in
            let existing = try await find(context)
            let body = try await JSONBody.decode(JSONValue.self, from: request)
            let schedule = try ScheduleInput(body: body, version: context.apiVersion).updated(existing)
            try await save(schedule) { try await $0.updateSchedule(schedule) }
            return try ScheduleViews.rendering.response(ScheduleViews.schedule(schedule), for: context.apiVersion)
        }
        registry.add(.delete, "/schedules/{scheduleId}", operation: .init(
            "deleteSchedule", summary: "Delete a schedule", tag: Self.tag, responses: [204: .init("Deleted")])
        ) { _, context in
            let schedule = try await find(context)
            _ = try await store.write { try await $0.deleteSchedule(clientId: schedule.clientId, id: schedule.id) }
            return Response(status: .noContent)
        }
        registry.add(.get, "/schedules/{scheduleId}/status", operation: .init(
            "getScheduleStatus", summary: "Get a schedule's execution status", tag: Self.tag,
            responses: [200: .init("The status", schema: OpenAPISchemas.ref("ScheduleStatus"))])
        ) { _, context in
            let schedule = try await find(context)
            // The controller keeps the status current (and every save refreshes it); only a schedule it has not
            // seen yet is evaluated here.
            let status: JSONValue
            if let stored = try await store.read({ try await $0.scheduleStatus(id: schedule.id) }) {
                status = ScheduleRunner.publicStatus(stored)
            } else {
                status = try await runner.evaluate(schedule, issuingCommands: false)
            }
            return try ScheduleViews.statusRendering.response(status, for: context.apiVersion)
        }
    }

    private func list(_ request: Request, _ context: GridlinkRequestContext, userId: String) async throws -> Response {
        let clientId = try context.requireClient().id
        try await store.requireUser(clientId: clientId, userId: userId)
        let rendering = VersionedRendering(VersionedRendering.lists.transforms + ScheduleViews.rendering.transforms)
        return try await ListRendering.respond(to: request, context: context, rendering: rendering) { page in
            try await store.read { try await $0.schedules(clientId: clientId, userId: userId, page: page) }
        } render: { ScheduleViews.schedule($0) }
    }

    private func create(_ request: Request, _ context: GridlinkRequestContext, userId: String) async throws -> Response {
        let clientId = try context.requireClient().id
        let body = try await JSONBody.decode(JSONValue.self, from: request)
        let schedule = try ScheduleInput(body: body, version: context.apiVersion)
            .created(id: UUID().uuidString.lowercased(), clientId: clientId, userId: userId, at: clock.now())
        try await store.requireUser(clientId: clientId, userId: userId)
        try await save(schedule) { try await $0.insertSchedule(schedule) }
        return try ScheduleViews.rendering.response(ScheduleViews.schedule(schedule), for: context.apiVersion)
    }

    /// Checks the schedule's target and location against the user's data, writes it and records its status;
    /// enabling a schedule disables the target's other enabled schedule for the same location and, on a vehicle,
    /// smart charging (one controller per device and place).
    private func save(_ schedule: Schedule, _ write: @escaping @Sendable (StoreSession) async throws -> Void) async throws {
        try await store.write { session in
            guard let target = try await session.asset(clientId: schedule.clientId, type: schedule.targetType, id: schedule.targetId),
                  target.userId == schedule.userId else {
                throw Problem.badRequest("\"targetId\" must be the id of one of the user's \(schedule.targetType.rawValue)s")
            }
            if let locationId = schedule.locationId {
                guard try await session.location(clientId: schedule.clientId, id: locationId)?.userId == schedule.userId else {
                    throw Problem.badRequest("\"locationId\" must be the id of one of the user's locations")
                }
            }
            try await write(session)
            guard schedule.isEnabled else { return }
            if schedule.targetType == .vehicle {
                try await SmartChargingPolicies.disable(vehicleId: schedule.targetId, clientId: schedule.clientId, at: clock.now(), in: session)
            }
            for var other in try await session.enabledSchedules(clientId: schedule.clientId, targetId: schedule.targetId)
            where other.id != schedule.id && other.locationId == schedule.locationId {
                other.isEnabled = false
                try await session.updateSchedule(other)
            }
        }
        try await runner.evaluate(schedule, issuingCommands: false)
    }

    private func find(_ context: GridlinkRequestContext) async throws -> Schedule {
        let clientId = try context.requireClient().id
        let id = try context.parameters.require("scheduleId")
        guard let schedule = try await store.read({ try await $0.schedule(clientId: clientId, id: id) }) else {
            throw Problem.notFound("Schedule \(id) not found", title: "Entity Not Found")
        }
        return schedule
    }
}
