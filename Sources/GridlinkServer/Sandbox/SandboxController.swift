import Foundation
import GridlinkCore
import GridlinkSandbox
import Hummingbird

/// `/sandbox/*`: the control API of the simulated world, for sandbox-environment clients only.
struct SandboxController: Sendable {
    let sandbox: SandboxRuntime
    /// One pass of the clock-driven background services, run after each step of a stepped advance.
    let backgroundRound: BackgroundRound
    /// Stops an advance whose caller has gone.
    let departures: ClientDepartures

    private static let tag = "Sandbox"
    private static func ref(_ name: String) -> JSONValue { OpenAPISchemas.ref(name) }
    private static func json(_ schema: String) -> (contentType: String, schema: JSONValue) { ("application/json", ref(schema)) }

    /// Adds the sandbox routes.
    func register(in registry: RouteRegistry) {
        registerWorld(in: registry)
        registerAccounts(in: registry)
        registerDevices(in: registry)
        registerFaults(in: registry)
    }

    /// The calling client's id; production clients get 404 for every sandbox route.
    static func clientId(_ context: GridlinkRequestContext) throws -> String {
        let client = try context.requireClient()
        guard client.environment == .sandbox else {
            throw Problem.notFound("The sandbox control API is only available to sandbox-environment clients")
        }
        return client.id
    }

    private func registerWorld(in registry: RouteRegistry) {
        registry.add(.get, "/sandbox/catalogue", operation: .init(
            "getSandboxCatalogue", summary: "Simulated vendors, their models and traits", tag: Self.tag,
            responses: [200: .init("Catalogue", schema: ["type": "array", "items": Self.ref("SandboxCatalogueEntry")])])
        ) { _, context in
            _ = try Self.clientId(context)
            return try JSONCoding.response(SandboxViews.catalogue)
        }

        registry.add(.get, "/sandbox/clock", operation: .init(
            "getSandboxClock", summary: "Simulation time, speed, pause state and command timing", tag: Self.tag,
            responses: [200: .init("Clock", schema: Self.ref("SandboxClock"))])
        ) { _, context in
            _ = try Self.clientId(context)
            return try await clockResponse()
        }

        registry.add(.patch, "/sandbox/clock", operation: .init(
            "updateSandboxClock", summary: "Pause, resume, set speed or command timing", tag: Self.tag,
            requestBody: Self.json("SandboxClockRequest"), responses: [200: .init("Clock", schema: Self.ref("SandboxClock"))])
        ) { request, context in
            _ = try Self.clientId(context)
            let body = try await JSONBody.decode(ClockRequest.self, from: request)
            if let speed = body.speed, !(speed > 0 && speed <= 100_000) { throw Problem.badRequest("\"speed\" must be greater than 0 and at most 100000") }
            try await sandbox.mutate { [clock = sandbox.clock] engine in
                if let speed = body.speed { clock.setSpeed(speed) }
                if let isPaused = body.isPaused { isPaused ? clock.pause() : clock.resume() }
                if let timing = body.timing { engine.setTiming(timing) }
            }
            return try await clockResponse()
        }

        registry.add(.post, "/sandbox/clock/advance", operation: .init(
            "advanceSandboxClock", summary: "Advance simulation time, processing every tick and timer before answering", tag: Self.tag,
            requestBody: Self.json("SandboxAdvanceRequest"),
            responses: [200: .init("Clock after advancing", schema: Self.ref("SandboxClock")), 422: .problem("The advance exceeds the simulated work one request may cause")])
        ) { request, context in
            _ = try Self.clientId(context)
            let body = try await JSONBody.decode(AdvanceRequest.self, from: request)
            guard body.seconds > 0, body.seconds <= 31 * 86_400 else { throw Problem.badRequest("\"seconds\" must be greater than 0 and at most 2678400 (31 days)") }
            if let step = body.stepSeconds, !(step >= 1 && step <= 86_400 && body.seconds / step <= 100_000) {
                throw Problem.badRequest("\"stepSeconds\" must be from 1 to 86400 and give at most 100000 steps")
            }
            // The advance stops between slices or steps once its caller has gone (what was simulated stays).
            try await departures.run(for: context.channel) { [sandbox, backgroundRound] in
                guard let step = body.stepSeconds else { return try await sandbox.advance(by: body.seconds) }
                try await sandbox.checkAdvance(seconds: body.seconds)
                var remaining = body.seconds
                while remaining > 0 {
                    try Task.checkCancellation()
                    try await sandbox.advance(by: min(step, remaining))
                    try await backgroundRound.run()
                    remaining -= step
                }
            }
            return try await clockResponse()
        }

        registry.add(.post, "/sandbox/reset", operation: .init(
            "resetSandbox", summary: "Delete every virtual account, device and fault of this client", tag: Self.tag,
            responses: [204: .init("Reset")])
        ) { _, context in
            let clientId = try Self.clientId(context)
            try await sandbox.mutate { $0.reset(clientId: clientId) }
            return Response(status: .noContent)
        }
    }

    private func clockResponse() async throws -> Response {
        // Read the setting after the world: on a shared database the read picks up another process's clock change.
        try JSONCoding.response(try await sandbox.read { [clock = sandbox.clock] in SandboxViews.clock(clock.setting, engine: $0) })
    }

    private func registerAccounts(in registry: RouteRegistry) {
        registry.add(.get, "/sandbox/accounts", operation: .init(
            "listSandboxAccounts", summary: "List virtual vendor accounts", tag: Self.tag, parameters: OpenAPISchemas.pageParameters,
            responses: [200: .init("Accounts, newest first", schema: OpenAPISchemas.paginated(Self.ref("SandboxAccount")))])
        ) { request, context in
            let clientId = try Self.clientId(context)
            let engine = try await sandbox.read { $0 }
            return try await ListRendering.respond(to: request, context: context, rendering: nil) { page in
                Page.slice(engine.accounts.filter { $0.clientId == clientId }, request: page, position: \.ordinal)
            } render: { SandboxViews.account($0, in: engine) }
        }

        registry.add(.post, "/sandbox/accounts", operation: .init(
            "createSandboxAccount", summary: "Create a virtual vendor account with devices", tag: Self.tag,
            requestBody: Self.json("SandboxAccountRequest"),
            responses: [
                200: .init("The account", schema: Self.ref("SandboxAccount")), 403: .problem("The client's quota of accounts or devices is used up"),
                409: .problem("An account with this vendor and username exists"), 422: .problem("The request asks for more devices than a limit allows"),
            ])
        ) { request, context in
            let clientId = try Self.clientId(context)
            let body = try await JSONBody.decode(CreateAccountRequest.self, from: request)
            let view = try await sandbox.mutate { engine in
                let account = try engine.createAccount(
                    clientId: clientId, vendor: body.vendor, username: body.username, password: body.password,
                    siteId: body.siteId, devices: (body.devices ?? []).map(\.spec), limits: sandbox.limits)
                return SandboxViews.account(account, in: engine)
            }
            return try JSONCoding.response(view)
        }

        registry.add(.get, "/sandbox/accounts/{accountId}", operation: .init(
            "getSandboxAccount", summary: "Get a virtual vendor account", tag: Self.tag,
            responses: [200: .init("The account", schema: Self.ref("SandboxAccount"))])
        ) { _, context in
            let clientId = try Self.clientId(context)
            let id = try context.parameters.require("accountId")
            return try JSONCoding.response(try await sandbox.read { engine in
                guard let account = engine.account(id), account.clientId == clientId else { throw SandboxEngine.accountNotFound(id) }
                return SandboxViews.account(account, in: engine)
            })
        }

        registry.add(.delete, "/sandbox/accounts/{accountId}", operation: .init(
            "deleteSandboxAccount", summary: "Delete a virtual vendor account and its devices", tag: Self.tag,
            responses: [204: .init("Deleted")])
        ) { _, context in
            let clientId = try Self.clientId(context)
            let id = try context.parameters.require("accountId")
            try await sandbox.mutate { try $0.deleteAccount(id, clientId: clientId) }
            return Response(status: .noContent)
        }

        registry.add(.post, "/sandbox/accounts/{accountId}/devices", operation: .init(
            "addSandboxDevice", summary: "Add a device to a virtual account", tag: Self.tag,
            requestBody: Self.json("SandboxDeviceSpec"),
            responses: [200: .init("The device", schema: Self.ref("SandboxDevice")), 403: .problem("The account's or the client's quota of devices is used up")])
        ) { request, context in
            let clientId = try Self.clientId(context)
            let id = try context.parameters.require("accountId")
            let body = try await JSONBody.decode(DeviceSpecRequest.self, from: request)
            return try JSONCoding.response(try await sandbox.mutate { engine in
                engine.view(of: try engine.addDevice(accountId: id, clientId: clientId, spec: body.spec, limits: sandbox.limits))
            })
        }
    }

    private func registerDevices(in registry: RouteRegistry) {
        registry.add(.get, "/sandbox/devices", operation: .init(
            "listSandboxDevices", summary: "List simulated devices with their state", tag: Self.tag, parameters: OpenAPISchemas.pageParameters,
            responses: [200: .init("Devices, newest first", schema: OpenAPISchemas.paginated(Self.ref("SandboxDevice")))])
        ) { request, context in
            let clientId = try Self.clientId(context)
            let engine = try await sandbox.read { $0 }
            return try await ListRendering.respond(to: request, context: context, rendering: nil) { page in
                Page.slice(engine.devices.filter { $0.clientId == clientId }, request: page, position: \.ordinal)
            } render: { engine.view(of: $0) }
        }

        registry.add(.get, "/sandbox/devices/{deviceId}", operation: deviceOperation("getSandboxDevice", "Get a simulated device and its state")) { _, context in
            let clientId = try Self.clientId(context)
            let id = try context.parameters.require("deviceId")
            return try JSONCoding.response(try await sandbox.read { engine in
                guard let device = engine.device(id), device.clientId == clientId else { throw SandboxEngine.deviceNotFound(id) }
                return engine.view(of: device)
            })
        }

        registry.add(.patch, "/sandbox/devices/{deviceId}",
                     operation: deviceOperation("updateSandboxDevice", "Set device and site state", body: "SandboxDevicePatch")) { request, context in
            let patch = try await JSONBody.decode(DevicePatch.self, from: request)
            return try await changeDevice(context) { engine, clientId, id in try engine.update(id, clientId: clientId, patch: patch) }
        }

        registry.add(.delete, "/sandbox/devices/{deviceId}", operation: .init(
            "deleteSandboxDevice", summary: "Remove a device from its virtual account", tag: Self.tag, responses: [204: .init("Removed")])
        ) { _, context in
            let clientId = try Self.clientId(context)
            let id = try context.parameters.require("deviceId")
            try await sandbox.mutate { try $0.removeDevice(id, clientId: clientId) }
            return Response(status: .noContent)
        }

        registry.add(.post, "/sandbox/devices/{deviceId}/plug",
                     operation: deviceOperation("plugSandboxDevice", "Plug a vehicle in (optionally into a sandbox charger), or a car into a charger", body: "SandboxPlugRequest")) { request, context in
            let body = try await JSONBody.decode(PlugRequest.self, from: request, allowEmpty: true)
            return try await changeDevice(context) { engine, clientId, id in
                if engine.device(id)?.type == .charger {
                    try engine.plugCharger(id, clientId: clientId)
                } else {
                    try engine.plug(vehicleId: id, chargerId: body.chargerId, clientId: clientId)
                }
            }
        }

        registry.add(.post, "/sandbox/devices/{deviceId}/unplug", operation: deviceOperation("unplugSandboxDevice", "Unplug a vehicle or charger")) { _, context in
            try await changeDevice(context) { engine, clientId, id in try engine.unplug(id, clientId: clientId) }
        }

        registry.add(.post, "/sandbox/devices/{deviceId}/trips",
                     operation: deviceOperation("startSandboxTrip", "Drive a vehicle: unplugs it, uses energy, moves it", body: "SandboxTripRequest")) { request, context in
            let body = try await JSONBody.decode(TripRequest.self, from: request)
            let trip = Trip(remainingKm: body.distanceKm, speedKmh: body.speedKmh ?? 50, headingDegrees: body.headingDegrees ?? 0)
            return try await changeDevice(context) { engine, clientId, id in try engine.startTrip(vehicleId: id, clientId: clientId, trip: trip) }
        }

        registry.add(.put, "/sandbox/devices/{deviceId}/capabilities/{capability}",
                     operation: deviceOperation("setSandboxCapability", "Switch a capability off (with interventions) or on", body: "SandboxCapabilityRequest")) { request, context in
            let body = try await JSONBody.decode(CapabilityRequest.self, from: request)
            let capability = try context.parameters.require("capability")
            return try await changeDevice(context) { engine, clientId, id in
                try engine.setCapability(capability, deviceId: id, clientId: clientId, isCapable: body.isCapable, interventionIds: body.interventionIds)
            }
        }

        registry.add(.post, "/sandbox/devices/{deviceId}/commands", operation: .init(
            "sendSandboxCommand", summary: "Send a command through the simulated vendor (latency and faults apply)", tag: Self.tag,
            requestBody: Self.json("SandboxCommandRequest"), responses: [200: .init("What the vendor did with it", schema: Self.ref("SandboxCommandResult"))])
        ) { request, context in
            let clientId = try Self.clientId(context)
            let id = try context.parameters.require("deviceId")
            let command = try await JSONBody.decode(CommandRequest.self, from: request).deviceCommand()
            let outcome = try await sandbox.mutate(logging: SandboxConnector.logEntry(command, to: id, clientId: clientId, reference: nil, process: sandbox.holder)) {
                try $0.send(command, to: id, clientId: clientId)
            }
            return try JSONCoding.response(SandboxViews.outcome(outcome))
        }
    }

    private func deviceOperation(_ id: String, _ summary: String, body: String? = nil) -> OpenAPIOperation {
        OpenAPIOperation(id, summary: summary, tag: Self.tag, requestBody: body.map(Self.json),
                         responses: [200: .init("The device", schema: Self.ref("SandboxDevice")), 409: .problem("The change conflicts with the device's state")])
    }

    /// Applies a change to the device named in the path and answers with its new view.
    private func changeDevice(
        _ context: GridlinkRequestContext, _ change: @escaping @Sendable (inout SandboxEngine, String, String) throws -> Void
    ) async throws -> Response {
        let clientId = try Self.clientId(context)
        let id = try context.parameters.require("deviceId")
        return try JSONCoding.response(try await sandbox.mutate { engine in
            try change(&engine, clientId, id)
            guard let device = engine.device(id) else { throw SandboxEngine.deviceNotFound(id) }
            return engine.view(of: device)
        })
    }

    private func registerFaults(in registry: RouteRegistry) {
        registry.add(.get, "/sandbox/faults", operation: .init(
            "listSandboxFaults", summary: "List injected faults", tag: Self.tag, parameters: OpenAPISchemas.pageParameters,
            responses: [200: .init("Faults, newest first", schema: OpenAPISchemas.paginated(Self.ref("SandboxFault")))])
        ) { request, context in
            let clientId = try Self.clientId(context)
            let faults = try await sandbox.read { engine in engine.settings.faults.enumerated().filter { $0.element.clientId == clientId } }
            return try await ListRendering.respond(to: request, context: context, rendering: nil) { page in
                Page.slice(faults, request: page) { Int64($0.offset) }
            } render: { SandboxViews.fault($0.element) }
        }

        registry.add(.post, "/sandbox/faults", operation: .init(
            "createSandboxFault", summary: "Inject a fault for the next N commands or with a probability", tag: Self.tag,
            requestBody: Self.json("SandboxFaultRequest"), responses: [200: .init("The fault", schema: Self.ref("SandboxFault"))])
        ) { request, context in
            let clientId = try Self.clientId(context)
            let body = try await JSONBody.decode(FaultRequest.self, from: request)
            return try JSONCoding.response(try await sandbox.mutate { engine in
                SandboxViews.fault(try engine.addFault(
                    clientId: clientId, scope: body.scope ?? FaultScope(), kind: body.kind, count: body.count,
                    probability: body.probability, delaySeconds: body.delaySeconds))
            })
        }

        registry.add(.delete, "/sandbox/faults/{faultId}", operation: .init(
            "deleteSandboxFault", summary: "Remove an injected fault", tag: Self.tag, responses: [204: .init("Removed")])
        ) { _, context in
            let clientId = try Self.clientId(context)
            let id = try context.parameters.require("faultId")
            try await sandbox.mutate { try $0.removeFault(id, clientId: clientId) }
            return Response(status: .noContent)
        }
    }
}
