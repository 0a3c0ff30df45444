import Foundation
import GridlinkCore
import GridlinkStore
import HTTPTypes
import Testing

@Suite("OAuth tokens and bearer authentication")
struct AuthTests {
    @Test("token with HTTP Basic credentials has the documented shape")
    func tokenWithBasic() async throws {
        try await TestServer.run { server in
            let credentials = try await server.createClient()
            let reply = try await server.send(.post, "/oauth2/token", headers: [.authorization: TestServer.basic(credentials.id, credentials.secret)],
                                              form: "grant_type=client_credentials")
            #expect(reply.status == 200)
            #expect(reply.json?["expires_in"] == 3599)
            #expect(reply.json?["scope"] == "")
            #expect(reply.json?["token_type"] == "bearer")
            #expect(reply.headers[.cacheControl] == "no-store")
            guard case .string(let token) = reply.json?["access_token"] else { Issue.record("no token"); return }
            #expect(try await server.send(.get, "/users", token: token).status == 200)
        }
    }

    @Test("token with client_id and client_secret form fields")
    func tokenWithForm() async throws {
        try await TestServer.run { server in
            let credentials = try await server.createClient()
            let secret = credentials.secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let reply = try await server.send(.post, "/oauth2/token",
                                              form: "grant_type=client_credentials&client_id=\(credentials.id)&client_secret=\(secret)")
            #expect(reply.status == 200)
            #expect(reply.json?["token_type"] == "bearer")
        }
    }

    @Test("token endpoint errors use the OAuth 2.0 error form")
    func tokenErrors() async throws {
        try await TestServer.run { server in
            let credentials = try await server.createClient()
            let basic: HTTPFields = [.authorization: TestServer.basic(credentials.id, credentials.secret)]
            let cases: [(HTTPFields, String?, String?, Int, String)] = [
                (basic, "grant_type=password", nil, 400, "unsupported_grant_type"),
                (basic, "", nil, 400, "invalid_request"),
                ([:], "grant_type=client_credentials", nil, 401, "invalid_client"),
                ([.authorization: TestServer.basic(credentials.id, "wrong")], "grant_type=client_credentials", nil, 401, "invalid_client"),
                ([.authorization: TestServer.basic("nobody", "x")], "grant_type=client_credentials", nil, 401, "invalid_client"),
                ([.authorization: "Basic !!!"], "grant_type=client_credentials", nil, 400, "invalid_request"),
                ([.authorization: TestServer.basic(credentials.id, credentials.secret), .contentType: "application/json"], nil, "{\"grant_type\":\"client_credentials\"}", 400, "invalid_request"),
            ]
            for (headers, form, body, status, error) in cases {
                let reply = try await server.send(.post, "/oauth2/token", headers: headers, form: form, body: body)
                #expect(reply.status == status, "\(headers) \(form ?? body ?? "")")
                #expect(reply.json?["error"] == .string(error))
                #expect(reply.json?["error_description"] != nil)
            }
        }
    }

    @Test("every way of failing bearer authentication is a 401 problem")
    func unauthorizedPaths() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let attempts: [HTTPFields] = [
                [:],
                [.authorization: "Token \(token)"],
                [.authorization: "Bearer"],
                [.authorization: "Bearer not-a-token"],
                [.authorization: TestServer.basic("a", "b")],
            ]
            for headers in attempts {
                let reply = try await server.send(.get, "/users", headers: headers)
                #expect(reply.status == 401, "\(headers)")
                #expect(reply.isProblem)
                #expect(reply.headers[.wwwAuthenticate] == "Bearer")
                #expect(reply.version == "2024-10-01")
            }
        }
    }

    @Test("tokens expire after an hour on the injected clock")
    func tokenExpiry() async throws {
        let clock = ManualClock()
        try await TestServer.run(clock: clock) { server in
            let (_, token) = try await server.clientToken()
            clock.advance(by: 3599)
            #expect(try await server.send(.get, "/users", token: token).status == 200)
            clock.advance(by: 1)
            let reply = try await server.send(.get, "/users", token: token)
            #expect(reply.status == 401)
            #expect(reply.json?["detail"] == "The access token is invalid or expired; request a new one from /oauth2/token")
        }
    }

    @Test("a rotated secret keeps working for the grace period, then stops")
    func secretRotationGrace() async throws {
        let clock = ManualClock()
        try await TestServer.run(clock: clock) { server in
            let credentials = try await server.createClient()
            let newSecret = "new-secret-value"
            let graceUntil = clock.now().addingTimeInterval(ClientCredentials.rotationGracePeriod)
            try await server.store.write { _ = try await $0.rotateSecret(clientId: credentials.id, to: .make(secret: newSecret), graceUntil: graceUntil) }
            _ = try await server.token(id: credentials.id, secret: credentials.secret)
            _ = try await server.token(id: credentials.id, secret: newSecret)
            clock.advance(by: ClientCredentials.rotationGracePeriod)
            let reply = try await server.send(.post, "/oauth2/token", headers: [.authorization: TestServer.basic(credentials.id, credentials.secret)],
                                              form: "grant_type=client_credentials")
            #expect(reply.status == 401)
            _ = try await server.token(id: credentials.id, secret: newSecret)
        }
    }

    @Test("tokens survive a restart: a new application on the same database accepts them")
    func tokensSurviveRestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gridlink-restart-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let clock = ManualClock()
        let box = TokenBox()
        try await TestServer.run(clock: clock, databasePath: path) { server in
            await box.set(try await server.clientToken().token)
        }
        try await TestServer.run(clock: clock, databasePath: path) { server in
            let token = try #require(await box.token)
            #expect(try await server.send(.get, "/users", token: token).status == 200)
        }
    }
}

/// Carries a token from one application run to the next.
actor TokenBox {
    var token: String?
    func set(_ token: String) { self.token = token }
}
