import Foundation
import GridlinkCore
import GridlinkSandbox
import GridlinkStore
import Hummingbird

/// `GET /sandbox/export` and `POST /sandbox/import`: a client's sandbox as one fixture document (a Gridlink extension).
struct SandboxFixtureController: Sendable {
    let sandbox: SandboxRuntime
    let store: Store

    /// Adds the two routes.
    func register(in registry: RouteRegistry) {
        let fixture: JSONValue = OpenAPISchemas.ref("SandboxFixture")
        registry.add(.get, "/sandbox/export", operation: .init(
            "exportSandbox", summary: "The client's sandbox (accounts, devices, sites, faults, pending effects, uploaded prices) and the clock as one fixture document",
            tag: "Sandbox", responses: [200: .init("The fixture", schema: fixture)])
        ) { _, context in
            let clientId = try SandboxController.clientId(context)
            return try Self.response(try await SandboxFixtures(sandbox: sandbox, store: store).export(clientId: clientId))
        }

        registry.add(.post, "/sandbox/import", operation: .init(
            "importSandbox", summary: "Replace the client's sandbox and uploaded prices with a fixture's and set the world's clock; answers the resulting fixture",
            tag: "Sandbox", requestBody: (contentType: "application/json", schema: fixture),
            responses: [200: .init("The client's sandbox after the import", schema: fixture),
                        400: .problem("The fixture is invalid or out of bounds (the detail names the field)"),
                        409: .problem("An id or site belongs to another client's sandbox, or the clock would go back while other clients use the world"),
                        422: .problem("The fixture holds more accounts or devices than one client may")])
        ) { request, context in
            let clientId = try SandboxController.clientId(context)
            let body = try await JSONBody.decode(SandboxFixture.self, from: request, decoder: SandboxFixture.makeDecoder())
            return try Self.response(try await SandboxFixtures(sandbox: sandbox, store: store).load(body, clientId: clientId))
        }
    }

    /// A fixture as the JSON body of an answer, with its exact timestamps.
    private static func response(_ fixture: SandboxFixture) throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try SandboxFixture.makeEncoder().encode(fixture))))
    }
}

/// Exports and imports clients' sandboxes: the world's part through the runtime, keeping the simulation clock in step,
/// and the client's uploaded prices through the store.
struct SandboxFixtures: Sendable {
    /// The live world.
    let sandbox: SandboxRuntime
    /// Where uploaded prices live.
    let store: Store

    /// The client's part of the world now, with its uploaded prices.
    func export(clientId: String) async throws -> SandboxFixture {
        let prices = try await store.read { try await $0.uploadedPrices(clientId: clientId) }
            .mapValues { $0.map { FixturePrice(start: $0.start, end: $0.end, price: $0.price) } }
        return try await sandbox.read { [clock = sandbox.clock] in
            let setting = clock.setting
            return $0.fixture(of: clientId, speed: setting.speed, isPaused: setting.isPaused, prices: prices)
        }
    }

    /// Replaces the client's part of the world with `fixture` and its uploaded prices with the fixture's, moves the
    /// simulation clock to the world's new time and sets its speed and pause state, and answers the client's fixture as
    /// stored. All or nothing: the prices are written in the world save's transaction, and the clock changes only once
    /// that transaction commits.
    @discardableResult
    func load(_ fixture: SandboxFixture, clientId: String) async throws -> SandboxFixture {
        let prices = fixture.prices.mapValues { $0.map { PriceSlot(start: $0.start, end: $0.end, price: $0.price) } }
        _ = try await sandbox.mutate(alsoWriting: { session in
            try await session.deleteUploadedPrices(clientId: clientId)
            for (area, slots) in prices { try await session.savePrices(clientId: clientId, area: area, prices: slots) }
        }, settingClock: { time in
            SimulationClock.Setting(simulationTime: time, speed: fixture.clock.speed, isPaused: fixture.clock.isPaused)
        }) { [limits = sandbox.limits] engine in
            try engine.load(fixture, clientId: clientId, limits: limits)
            return engine.time
        }
        return try await export(clientId: clientId)
    }
}

/// A fixture file loaded into a client's sandbox when the server starts (`gridlink serve --sandbox-fixture`).
public struct SandboxFixtureFile: Sendable {
    /// Path of the fixture document.
    public let path: String
    /// The sandbox client it is for; nil means the database's only sandbox client.
    public let clientId: String?

    /// Names a fixture file and, optionally, its client.
    public init(path: String, clientId: String?) {
        self.path = path
        self.clientId = clientId
    }

    /// Reads the document and loads it into the client's sandbox; a missing file, an invalid document or an unknown
    /// or ambiguous client stops the start with a message saying which.
    public func load(into dependencies: ServerDependencies) async throws -> String {
        let fixtures = SandboxFixtures(sandbox: dependencies.sandbox, store: dependencies.store)
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw SandboxFixtureError("--sandbox-fixture: cannot read \(path): \(error.localizedDescription)")
        }
        let fixture: SandboxFixture
        do { fixture = try SandboxFixture.makeDecoder().decode(SandboxFixture.self, from: data) } catch let error as DecodingError {
            throw SandboxFixtureError("--sandbox-fixture: \(path) is not a sandbox fixture: \(JSONBody.describe(error))")
        }
        let sandboxClients = try await fixtures.store.read { try await $0.clients() }.filter { $0.environment == .sandbox }
        let client: APIClient
        if let clientId {
            guard let named = sandboxClients.first(where: { $0.id == clientId }) else {
                throw SandboxFixtureError("--fixture-client: no sandbox client \(clientId) in this database")
            }
            client = named
        } else {
            guard sandboxClients.count == 1, let only = sandboxClients.first else {
                throw SandboxFixtureError("--sandbox-fixture: the database has \(sandboxClients.count) sandbox clients; name one with --fixture-client")
            }
            client = only
        }
        do { try await fixtures.load(fixture, clientId: client.id) } catch let problem as Problem {
            throw SandboxFixtureError("--sandbox-fixture: \(path): \(problem.detail)")
        }
        return client.id
    }
}

/// Why a fixture file could not be loaded at start.
struct SandboxFixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
