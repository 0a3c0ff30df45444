import Foundation
import GridlinkCore
@testable import GridlinkServer
import GridlinkSandbox
import GridlinkStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// A response with its body parsed as JSON where possible.
struct TestReply: Sendable {
    let status: Int
    let headers: HTTPFields
    let body: String

    var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(body.utf8)) }
    var detail: String {
        if case .string(let detail) = json?["detail"] { detail } else { "" }
    }
    var contentType: String { headers[.contentType] ?? "" }
    var version: String? { headers[HTTPField.Name("Enode-Version")!] }
    var isProblem: Bool {
        contentType == "application/problem+json" && json?["type"] != nil && json?["title"] != nil && json?["detail"] != nil
    }
}

/// Drives the real router and store in process.
struct TestServer: Sendable {
    let client: any TestClientProtocol
    let store: Store
    let clock: ManualClock
    let dependencies: ServerDependencies

    /// Runs `body` against a fresh application on a temporary SQLite file (or `databasePath` to share one), whose
    /// links start with `publicURL` when it is set, with the sandbox's `limits`.
    static func run(
        clock: ManualClock = ManualClock(), databasePath: String? = nil, connectionLimit: Int = 10_000, publicURL: PublicURL? = nil,
        limits: SandboxLimits = SandboxLimits(),
        _ body: @Sendable (TestServer) async throws -> Void
    ) async throws {
        let path = databasePath ?? FileManager.default.temporaryDirectory.appendingPathComponent("gridlink-\(UUID().uuidString).sqlite").path
        defer {
            if databasePath == nil {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
        var logger = Logger(label: "test-server")
        logger.logLevel = .warning
        let store = Store(database: try SQLiteDatabase(path: path))
        let dependencies = ServerDependencies(
            store: store, wallClock: clock, simulation: SimulationOptions(speed: 1, seed: 1, start: clock.now(), limits: limits),
            connectionLimit: connectionLimit, publicURL: publicURL, logger: logger)
        // Background work is driven step by step by the tests, so nothing races them.
        let application = GridlinkApplication.build(
            configuration: .init(host: "127.0.0.1", port: 0), dependencies: dependencies, runsBackgroundWork: false)
        try await application.test(.router) { client in
            try await body(TestServer(client: client, store: store, clock: clock, dependencies: dependencies))
        }
    }

    /// Creates a client directly in the store and returns its id and secret.
    func createClient(version: APIVersion = .current, environment: ClientEnvironment = .sandbox) async throws -> (id: String, secret: String) {
        let id = "client-" + RandomToken.hex(bytes: 4)
        let secret = RandomToken.urlSafe(bytes: 32)
        let client = APIClient(id: id, name: "Test", environment: environment, apiVersion: version, createdAt: clock.now())
        try await store.write { try await $0.insertClient(client, secret: .make(secret: secret)) }
        return (id, secret)
    }

    /// A bearer token for a new client pinned to `version`.
    func clientToken(version: APIVersion = .current, environment: ClientEnvironment = .sandbox) async throws -> (clientId: String, token: String) {
        let credentials = try await createClient(version: version, environment: environment)
        return (credentials.id, try await token(id: credentials.id, secret: credentials.secret))
    }

    /// Exchanges credentials for a token over HTTP Basic.
    func token(id: String, secret: String) async throws -> String {
        let reply = try await send(.post, "/oauth2/token", headers: [.authorization: Self.basic(id, secret)],
                                   form: "grant_type=client_credentials")
        #expect(reply.status == 200, "token request failed: \(reply.body)")
        guard case .string(let token) = reply.json?["access_token"] else { throw TestFailure("no access_token in \(reply.body)") }
        return token
    }

    /// Creates a user for a client directly in the store.
    func createUser(_ userId: String, clientId: String) async throws {
        try await store.write { try await $0.ensureUser(clientId: clientId, userId: userId, at: clock.now()) }
    }

    /// Sends a JSON body.
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String?, headers: HTTPFields = [:], json: JSONValue) async throws -> TestReply {
        var headers = headers
        headers[.contentType] = "application/json"
        return try await send(method, uri, token: token, headers: headers, body: String(decoding: try JSONEncoder().encode(json), as: UTF8.self))
    }

    /// Sends a request with an optional bearer token, form body or raw body.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, headers: HTTPFields = [:],
        form: String? = nil, body: String? = nil
    ) async throws -> TestReply {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        var payload: ByteBuffer?
        if let form {
            headers[.contentType] = headers[.contentType] ?? "application/x-www-form-urlencoded"
            payload = ByteBuffer(string: form)
        } else if let body {
            payload = ByteBuffer(string: body)
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: payload) { response in
            TestReply(status: Int(response.status.code), headers: response.headers, body: String(buffer: response.body))
        }
    }

    static func basic(_ id: String, _ secret: String) -> String {
        "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
    }
}

/// A failed test precondition.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
