import Foundation
import GridlinkCore
@testable import GridlinkServer
import GridlinkStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("API versions and problems")
struct VersionAndProblemTests {
    @Test("the Enode-Version header overrides the client's pinned version; every response carries the version")
    func versionResolution() async throws {
        try await TestServer.run { server in
            let (_, current) = try await server.clientToken()
            let (legacyClient, legacy) = try await server.clientToken(version: .v2023_02_01)
            try await server.createUser("carol", clientId: legacyClient)

            #expect(try await server.send(.get, "/users", token: current).version == "2024-10-01")
            #expect(try await server.send(.get, "/users", token: current, headers: [.enodeVersion: "2024-01-01"]).version == "2024-01-01")

            // Pinned to 2023-02-01: /users does not exist yet, /me does.
            let gated = try await server.send(.get, "/users", token: legacy)
            #expect(gated.status == 404)
            #expect(gated.version == "2023-02-01")
            #expect(gated.detail == "GET /users is not available in API version 2023-02-01")
            let me = try await server.send(.get, "/me", token: legacy, headers: [.enodeUserId: "carol"])
            #expect(me.status == 200)
            #expect(me.json == ["id": "carol", "linkedVendors": []])

            // The same legacy client asking for 2023-08-01 gets the new routes and loses /me.
            let upgraded: HTTPFields = [.enodeVersion: "2023-08-01"]
            #expect(try await server.send(.get, "/users", token: legacy, headers: upgraded).status == 200)
            #expect(try await server.send(.get, "/me", token: legacy, headers: upgraded).status == 404)
            // And the Enode-User-Id header is rejected from 2023-08-01 on.
            let rejected = try await server.send(.get, "/users", token: legacy, headers: [.enodeVersion: "2023-08-01", .enodeUserId: "carol"])
            #expect(rejected.status == 400)
            #expect(rejected.detail.contains("\"Enode-User-Id\""))
            #expect(try await server.send(.get, "/me", token: legacy).status == 400)
        }
    }

    @Test("an unknown Enode-Version is a 400 problem naming the header")
    func unknownVersion() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            for value in ["2022-01-01", "latest", ""] {
                let reply = try await server.send(.get, "/users", token: token, headers: [.enodeVersion: value])
                #expect(reply.status == 400, "\(value)")
                #expect(reply.isProblem)
                #expect(reply.detail.contains("\"Enode-Version\""))
                #expect(reply.version == "2024-10-01")
            }
        }
    }

    @Test("unknown routes are 404 and wrong methods 405 problems, with Allow")
    func routingProblems() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let missing = try await server.send(.get, "/no/such/route", token: token)
            #expect(missing.status == 404)
            #expect(missing.isProblem)
            #expect(missing.json?["title"] == "Not Found")
            let wrongMethod = try await server.send(.put, "/users/alice", token: token)
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.isProblem)
            #expect(wrongMethod.headers[.allow] == "GET, DELETE")
            #expect(try await server.send(.post, "/health/ready").status == 405)
        }
    }

    @Test("bodies over 1 MiB get 413")
    func oversizedBody() async throws {
        try await TestServer.run { server in
            let big = String(repeating: "a", count: ServerLimits.maxBodySize + 1)
            let reply = try await server.send(.post, "/oauth2/token", form: "grant_type=client_credentials&pad=" + big)
            #expect(reply.status == 413)
            #expect(reply.isProblem)
        }
    }

    @Test("garbage to every registered route never produces a 5xx, and every error is a problem")
    func garbageNeverCrashes() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let (_, table) = GridlinkApplication.makeRouter(dependencies: server.dependencies)
            let values = ["x", "%00", "..%2F..", String(repeating: "z", count: 500), "%F0%9F%92%A5", "'%20OR%201=1--", "-1"]
            let bodies: [String?] = [nil, "{", "[]", "null", "{\"a\":", "\u{0}\u{1}", "grant_type=client_credentials&client_id=%ZZ"]
            let headerSets: [HTTPFields] = [
                [.authorization: "Bearer \(token)"],
                [.authorization: "Bearer \(token)", .enodeVersion: "2023-02-01", .enodeUserId: "x"],
                [.authorization: "Bearer \(token)", .contentType: "application/json"],
                [.contentType: "application/x-www-form-urlencoded"],
            ]
            var requests = 0
            for route in table.routes {
                for (index, value) in values.enumerated() {
                    let path = route.path.split(separator: "/").map { $0.hasPrefix("{") ? value : String($0) }.joined(separator: "/")
                    for method in [route.method, .patch] {
                        let reply = try await server.send(
                            method, "/" + path + "?pageSize=\(value)&after=\(value)", headers: headerSets[index % headerSets.count],
                            body: bodies[index % bodies.count])
                        requests += 1
                        #expect(reply.status < 500, "\(method) /\(path) → \(reply.status) \(reply.body.prefix(200))")
                        if reply.status >= 400 && route.path != "/oauth2/token" {
                            // The Link UI is a browser flow: its errors are explanatory HTML pages.
                            let isPage = route.path.hasPrefix("/link/") && reply.contentType.hasPrefix("text/html")
                            #expect(reply.isProblem || isPage, "\(method) /\(path): \(reply.body.prefix(200))")
                        }
                        #expect(reply.version != nil)
                    }
                }
            }
            #expect(requests >= table.routes.count * values.count)
        }
    }

    @Test("the served OpenAPI document lists exactly the router's routes")
    func openAPIMatchesRouter() async throws {
        try await TestServer.run { server in
            let (router, _) = GridlinkApplication.makeRouter(dependencies: server.dependencies)
            let served = try await server.send(.get, "/openapi.json")
            #expect(served.status == 200)
            #expect(served.json?["openapi"] == "3.1.0")
            guard case .object(let paths) = served.json?["paths"] else { throw TestFailure("no paths") }
            var documented = Set<String>()
            for (path, item) in paths {
                guard case .object(let operations) = item else { continue }
                for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
            }
            let routed = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
            #expect(documented == routed)
            #expect(documented.contains("GET /users/{userId}"))
        }
    }

    @Test("a paginated route answers a bare array of every item to versions before 2023-08-01")
    func listTransformEndToEnd() async throws {
        let clock = ManualClock()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gridlink-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = Store(database: try SQLiteDatabase(path: path))
        let dependencies = ServerDependencies(store: store, wallClock: clock, logger: Logger(label: "test"))
        // A route shaped like the pre-2023-08-01 asset lists, registered through the real registry.
        let router = Router(context: GridlinkRequestContext.self)
        let registry = RouteRegistry(router: router, authenticator: Authenticator(dependencies: dependencies), dependencies: dependencies)
        TokenController(dependencies: dependencies).register(in: registry)
        registry.add(.get, "/legacy-users", operation: .init("legacyUsers", summary: "test", tag: "test", responses: [:])) { request, context in
            let clientId = try context.requireClient().id
            return try await ListRendering.respond(to: request, context: context) { page in
                try await dependencies.store.read { try await $0.users(clientId: clientId, page: page) }
            } render: { ["id": $0.id] }
        }
        let application = Application(router: router, services: [store.database])
        try await application.test(.router) { client in
            try await store.migrate(at: clock.now())
            let server = TestServer(client: client, store: store, clock: clock, dependencies: dependencies)
            let (clientId, token) = try await server.clientToken()
            for index in 0..<(PageRequest.maximumSize + 5) { try await server.createUser("u\(index)", clientId: clientId) }

            let legacy = try await server.send(.get, "/legacy-users?pageSize=2", token: token, headers: [.enodeVersion: "2023-05-01"])
            guard case .array(let all) = legacy.json else { throw TestFailure("expected a bare array: \(legacy.body.prefix(80))") }
            #expect(all.count == PageRequest.maximumSize + 5)
            #expect(all.first == ["id": "u104"])

            let current = try await server.send(.get, "/legacy-users?pageSize=2", token: token)
            guard case .array(let page) = current.json?["data"] else { throw TestFailure("expected an envelope") }
            #expect(page == [["id": "u104"], ["id": "u103"]])
        }
    }
}
