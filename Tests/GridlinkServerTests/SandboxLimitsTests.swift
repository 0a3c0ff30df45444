import Foundation
import GridlinkCore
import GridlinkSandbox
@testable import GridlinkServer
import HTTPTypes
import Testing

@Suite("Sandbox limits")
struct SandboxLimitsTests {
    private static func vehicles(_ count: Int) -> JSONValue {
        .array(Array(repeating: ["type": "vehicle"], count: count))
    }

    private static func account(_ server: TestServer, token: String, vendor: String, devices: Int) async throws -> TestReply {
        try await server.send(.post, "/sandbox/accounts", token: token, json: ["vendor": .string(vendor), "devices": Self.vehicles(devices)])
    }

    @Test("the documented defaults: 100 accounts and 500 devices per client, 50 devices per account")
    func defaults() {
        let limits = SandboxLimits()
        #expect(limits.accountsPerClient == 100 && limits.devicesPerAccount == 50 && limits.devicesPerClient == 500)
        #expect(limits.advanceWork == 50_000_000)
    }

    @Test("quotas per client: 403 once used up, 422 when one request asks for too much, each naming the limit; other clients keep theirs")
    func quotas() async throws {
        try await TestServer.run(limits: SandboxLimits(accountsPerClient: 2, devicesPerAccount: 3, devicesPerClient: 4)) { server in
            let (_, token) = try await server.clientToken()
            let tooBig = try await Self.account(server, token: token, vendor: "TESLA", devices: 4)
            #expect(tooBig.status == 422 && tooBig.isProblem && tooBig.detail.contains("devicesPerAccount"), "\(tooBig.body)")

            let first = try await Self.account(server, token: token, vendor: "TESLA", devices: 3)
            #expect(first.status == 200, "\(first.body)")
            let firstId = first.json?["id"]?.string ?? ""
            let fullAccount = try await server.send(.post, "/sandbox/accounts/\(firstId)/devices", token: token, json: ["type": "vehicle"])
            #expect(fullAccount.status == 403 && fullAccount.isProblem && fullAccount.detail.contains("devicesPerAccount"), "\(fullAccount.body)")

            let overClient = try await Self.account(server, token: token, vendor: "KIA", devices: 2)
            #expect(overClient.status == 403 && overClient.detail.contains("devicesPerClient"), "\(overClient.body)")
            let second = try await Self.account(server, token: token, vendor: "KIA", devices: 1)
            #expect(second.status == 200, "\(second.body)")
            let secondId = second.json?["id"]?.string ?? ""
            let clientFull = try await server.send(.post, "/sandbox/accounts/\(secondId)/devices", token: token, json: ["type": "vehicle"])
            #expect(clientFull.status == 403 && clientFull.detail.contains("devicesPerClient"), "\(clientFull.body)")
            let third = try await Self.account(server, token: token, vendor: "BMW", devices: 0)
            #expect(third.status == 403 && third.detail.contains("accountsPerClient"), "\(third.body)")
            #expect(try await server.send(.get, "/sandbox/devices", token: token).json?["data"]?.array?.count == 4)

            let (_, other) = try await server.clientToken()
            #expect(try await Self.account(server, token: other, vendor: "TESLA", devices: 3).status == 200)

            #expect(try await server.send(.delete, "/sandbox/accounts/\(firstId)", token: token).status == 204)
            #expect(try await server.send(.post, "/sandbox/accounts/\(secondId)/devices", token: token, json: ["type": "vehicle"]).status == 200)
        }
    }

    @Test("a Link UI login that would create a magic account past the quota is the 403 problem naming accountsPerClient")
    func magicLogin() async throws {
        try await TestServer.run(limits: SandboxLimits(accountsPerClient: 1)) { server in
            let (_, token) = try await server.clientToken()
            #expect(try await Self.account(server, token: token, vendor: "TESLA", devices: 0).status == 200)
            let session = try await server.send(.post, "/users/lina/link", token: token, json: [
                "vendorType": "vehicle", "vendor": "KIA", "scopes": ["vehicle:read:data"], "language": "en-US", "redirectUri": "https://app.example.com"])
            let url = session.json?["linkUrl"]?.string ?? ""
            let path = String(url[try #require(url.range(of: "/link/"), "\(session.body)").lowerBound...])
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            _ = try await server.send(.post, path + "/consent", headers: form, body: "decision=accept")
            let login = try await server.send(.post, path + "/login", headers: form, body: "username=lina&password=gridlink")
            #expect(login.status == 403 && login.isProblem && login.detail.contains("accountsPerClient"), "\(login.body)")
            #expect(try await server.send(.get, "/sandbox/accounts", token: token).json?["data"]?.array?.count == 1)
        }
    }

    @Test("an advance whose work (devices in the world × seconds) exceeds advanceWork is 422 naming it, stepped or not, and time stays")
    func advanceWork() async throws {
        try await TestServer.run(limits: SandboxLimits(advanceWork: 1_000)) { server in
            let token = try await server.pausedClientToken()
            #expect(try await Self.account(server, token: token, vendor: "TESLA", devices: 2).status == 200)
            let before = try await server.send(.get, "/sandbox/clock", token: token).json?["time"]
            for body: JSONValue in [["seconds": 600], ["seconds": 600, "stepSeconds": 60]] {
                let reply = try await server.send(.post, "/sandbox/clock/advance", token: token, json: body)
                #expect(reply.status == 422 && reply.isProblem && reply.detail.contains("advanceWork"), "\(reply.body)")
            }
            #expect(try await server.send(.get, "/sandbox/clock", token: token).json?["time"] == before)
            #expect(try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 500]).status == 200)
        }
    }

    @Test("a long advance is done in slices that let other requests see the world in between")
    func slices() async throws {
        try await TestServer.run(limits: SandboxLimits(sliceWork: 120)) { server in
            let token = try await server.pausedClientToken()
            #expect(try await Self.account(server, token: token, vendor: "TESLA", devices: 2).status == 200)
            let runtime = server.dependencies.sandbox
            let start = try await runtime.read { $0.time }
            let end = start.addingTimeInterval(3_600)
            let advance = Task { try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 3_600]) }
            var seen: Set<Date> = []
            for _ in 0..<1_000_000 {
                let time = try await runtime.read { $0.time }
                if time >= end { break }
                seen.insert(time)
                await Task.yield()
            }
            #expect(try await advance.value.status == 200)
            #expect(seen.contains { $0 > start && $0 < end }, "only saw \(seen)")
        }
    }

    @Test("an advance stops between slices when its task is cancelled, keeping the slices done")
    func cancellation() async throws {
        try await TestServer.run(limits: SandboxLimits(sliceWork: 120)) { server in
            let token = try await server.pausedClientToken()
            #expect(try await Self.account(server, token: token, vendor: "TESLA", devices: 2).status == 200)
            let runtime = server.dependencies.sandbox
            let start = try await runtime.read { $0.time }
            let cancelled = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                try await runtime.advance(by: 3_600)
            }
            await #expect(throws: CancellationError.self) { try await cancelled.value }
            #expect(try await runtime.read { $0.time } == start)

            let midway = Task { try await runtime.advance(by: 86_400) }
            for _ in 0..<1_000_000 {
                if try await runtime.read({ $0.time }) > start { break }
                await Task.yield()
            }
            midway.cancel()
            await #expect(throws: CancellationError.self) { try await midway.value }
            let stopped = try await runtime.read { $0.time }
            #expect(stopped > start && stopped < start.addingTimeInterval(86_400), "stopped at \(stopped)")
            #expect(runtime.clock.now() == stopped)
        }
    }
}
