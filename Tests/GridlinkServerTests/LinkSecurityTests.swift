import Foundation
import GridlinkCore
@testable import GridlinkServer
import GridlinkStore
import HTTPTypes
import Synchronization
import Testing

@Suite("The Link UI's front door: tokens and passwords at rest, redirect URIs, the public URL")
struct LinkSecurityTests {
    private static let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// Starts a 2024-10-01 link session with `redirectUri` and returns the whole reply.
    private func link(_ server: TestServer, token: String, user: String, vendor: String = "VOLVO", redirectUri: String = "https://app.example.com/done",
                      headers: HTTPFields = [:]) async throws -> TestReply {
        try await server.send(.post, "/users/\(user)/link", token: token, headers: headers, json: [
            "vendorType": "vehicle", "vendor": .string(vendor), "scopes": ["vehicle:read:data"], "language": "en-US",
            "redirectUri": .string(redirectUri),
        ])
    }

    /// The Link UI path and token of a new session.
    private func session(_ server: TestServer, token: String, user: String, redirectUri: String = "https://app.example.com/done") async throws
        -> (path: String, linkToken: String)
    {
        let reply = try await link(server, token: token, user: user, redirectUri: redirectUri)
        #expect(reply.status == 200, "\(reply.body)")
        let linkToken = try #require(reply.json?["linkToken"]?.string)
        return ("/link/\(linkToken)", linkToken)
    }

    /// Every text column of every stored link session.
    private func storedSessions(_ store: Store) async throws -> [[String]] {
        try await store.database.read { connection in
            try await connection.query("SELECT token_digest, client_id, user_id, body FROM link_sessions", []).map { row in
                try ["token_digest", "client_id", "user_id", "body"].map { try row.string($0) }
            }
        }
    }

    @Test("link tokens are stored as SHA-256 digests, and a password waiting for its one-time code is never written to the database")
    func nothingSecretAtRest() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let (path, linkToken) = try await session(server, token: token, user: "ola")
            _ = try await server.send(.post, path + "/consent", headers: Self.formType, body: "decision=accept")
            #expect(try await server.send(.post, path + "/login", headers: Self.formType, body: "username=ola&password=gridlink-otp").status == 303)
            #expect(try await server.send(.get, path).body.contains("id=\"code\""))

            let rows = try await storedSessions(server.store)
            #expect(rows.count == 1)
            #expect(rows.first?.first == LinkTokenDigest.of(linkToken))
            for column in rows.joined() {
                #expect(!column.contains("gridlink-otp"), "the vendor password is at rest: \(column)")
                #expect(!column.contains(linkToken), "the link token is at rest: \(column)")
            }
            // The code still completes the sign-in from memory.
            #expect(try await server.send(.post, path + "/otp", headers: Self.formType, body: "code=123456").status == 200)
            #expect(try await server.send(.get, "/users/ola/vehicles", token: token).json?["data"]?.array?.count == 1)
        }
    }

    @Test("a sign-in waits 10 minutes for its code; after that the user signs in again")
    func pendingSignInExpires() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let (path, _) = try await session(server, token: token, user: "ola")
            _ = try await server.send(.post, path + "/consent", headers: Self.formType, body: "decision=accept")
            #expect(try await server.send(.post, path + "/login", headers: Self.formType, body: "username=ola&password=gridlink-otp").status == 303)
            server.clock.advance(by: 9 * 60)
            #expect(try await server.send(.get, path).body.contains("id=\"code\""))
            server.clock.advance(by: 2 * 60)

            let again = try await server.send(.get, path)
            #expect(again.status == 200 && again.body.contains("id=\"password\"") && again.body.contains("Please sign in again"))
            let late = try await server.send(.post, path + "/otp", headers: Self.formType, body: "code=123456")
            #expect(late.status == 303 && late.headers[.location] == path)
            #expect(try await server.send(.post, path + "/login", headers: Self.formType, body: "username=ola&password=gridlink-otp").status == 303)
            #expect(try await server.send(.post, path + "/otp", headers: Self.formType, body: "code=123456").status == 200)
        }
    }

    @Test("a restart forgets a sign-in waiting for its code: the user signs in again")
    func restartForgetsPendingSignIn() async throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("gridlink-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) } }
        let clock = ManualClock()
        let started = Mutex<(token: String, path: String)?>(nil)
        try await TestServer.run(clock: clock, databasePath: database) { server in
            let (_, token) = try await server.clientToken()
            let (path, _) = try await session(server, token: token, user: "ola")
            _ = try await server.send(.post, path + "/consent", headers: Self.formType, body: "decision=accept")
            #expect(try await server.send(.post, path + "/login", headers: Self.formType, body: "username=ola&password=gridlink-otp").status == 303)
            started.withLock { $0 = (token, path) }
        }
        let saved = try #require(started.withLock { $0 })
        try await TestServer.run(clock: clock, databasePath: database) { server in
            let page = try await server.send(.get, saved.path)
            #expect(page.body.contains("Please sign in again"))
            #expect(try await server.send(.post, saved.path + "/login", headers: Self.formType, body: "username=ola&password=gridlink-otp").status == 303)
            #expect(try await server.send(.post, saved.path + "/otp", headers: Self.formType, body: "code=123456").status == 200)
            #expect(try await server.send(.get, "/users/ola/vehicles", token: saved.token).json?["data"]?.array?.count == 1)
        }
    }

    @Test("used and expired sessions are purged an hour later on the wall clock; live and recently used ones stay")
    func purge() async throws {
        try await TestServer.run { server in
            // Access tokens last an hour: a fresh one for every session.
            let client = try await server.createClient()
            let (used, _) = try await session(server, token: try await server.token(id: client.id, secret: client.secret), user: "a")
            #expect(try await server.send(.get, used + "/close").status == 303)
            let (expired, _) = try await session(server, token: try await server.token(id: client.id, secret: client.secret), user: "b")
            server.clock.advance(by: 23 * 3600)
            let (live, _) = try await session(server, token: try await server.token(id: client.id, secret: client.secret), user: "c")
            server.clock.advance(by: 1.5 * 3600)
            let (recent, _) = try await session(server, token: try await server.token(id: client.id, secret: client.secret), user: "d")
            #expect(try await server.send(.get, recent + "/close").status == 303)
            server.clock.advance(by: 0.5 * 3600 + 1)

            #expect(try await server.send(.get, used).status == 410)
            #expect(try await server.send(.get, expired).status == 410)
            #expect(try await server.dependencies.linkSessionPurger.purge() == 2)
            #expect(try await server.send(.get, used).status == 404)
            #expect(try await server.send(.get, expired).status == 404)
            #expect(try await server.send(.get, live).status == 200)
            #expect(try await server.send(.get, recent).status == 410)
            #expect(try await storedSessions(server.store).count == 2)
        }
    }

    @Test("javascript:, data:, vbscript: and file: redirect URIs are refused (link, legacy link, relink) with a problem naming redirectUri; http, https and app schemes pass")
    func dangerousRedirects() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            for uri in ["javascript:alert(1)", "JavaScript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
                        "file:///etc/passwd", "java\tscript:alert(1)", " javascript:alert(1)", "https://", "no-scheme", "1ab://x"] {
                let reply = try await link(server, token: token, user: "r", redirectUri: uri)
                #expect(reply.status == 400 && reply.isProblem && reply.detail.contains("redirectUri"), "\(uri): \(reply.status) \(reply.body)")
            }
            let legacy = try await server.send(.post, "/users/r/link", token: token, headers: [.enodeVersion: "2023-08-01"],
                                               json: ["redirectUri": "javascript:alert(1)"])
            #expect(legacy.status == 400 && legacy.detail.contains("redirectUri"), "\(legacy.body)")
            for uri in ["https://app.example.com/done?state=1", "http://localhost:3000/cb", "myapp://linked", "com.example.app:/oauth"] {
                #expect(try await link(server, token: token, user: "r", redirectUri: uri).status == 200, "\(uri)")
            }
            let (assetId, _) = try await server.linkSandbox(token: token, user: "r", vendor: "KIA", type: "vehicle", segment: "vehicles")
            let relink = try await server.send(.post, "/assets/\(assetId)/relink", token: token, json: ["language": "en-US", "redirectUri": "data:text/html,x"])
            #expect(relink.status == 400 && relink.isProblem && relink.detail.contains("redirectUri"), "\(relink.body)")
        }
    }

    @Test("the success page percent-encodes and escapes the redirect URI in its link and refresh")
    func successPageEscapesTheRedirect() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let (path, _) = try await session(server, token: token, user: "esc", redirectUri: #"https://app.example.com/cb?x="><script>alert(1)</script>&y='z'"#)
            _ = try await server.send(.post, path + "/consent", headers: Self.formType, body: "decision=accept")
            let success = try await server.send(.post, path + "/login", headers: Self.formType, body: "username=esc&password=gridlink")
            #expect(success.status == 200, "\(success.body)")
            let target = "https://app.example.com/cb?x=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&amp;y=&#39;z&#39;"
            #expect(success.body.contains("href=\"\(target)\""), "\(success.body)")
            #expect(success.body.contains("content=\"5; url=\(target)\""))
            #expect(!success.body.contains("<script>"))
        }
    }

    @Test("linkUrl starts with the configured public URL, whatever Host the request names")
    func publicURL() async throws {
        try await TestServer.run(publicURL: try PublicURL(validating: "https://link.example.com/")) { server in
            let (_, token) = try await server.clientToken()
            let reply = try await link(server, token: token, user: "h", headers: [HTTPField.Name("Host")!: "evil.example"])
            let linkToken = try #require(reply.json?["linkToken"]?.string)
            #expect(reply.json?["linkUrl"]?.string == "https://link.example.com/link/\(linkToken)")
        }
    }

    @Test("public URLs must be absolute http or https origins")
    func publicURLValidation() throws {
        #expect(try PublicURL(validating: "https://Link.example.com:8443").description == "https://Link.example.com:8443")
        #expect(try PublicURL(validating: "HTTP://127.0.0.1:9000/").description == "http://127.0.0.1:9000")
        for text in ["link.example.com", "ftp://link.example.com", "https://", "https://link.example.com/base", "https://link.example.com?x=1",
                     "https://link.example.com#top", "https://user:pw@link.example.com", "javascript:alert(1)"] {
            #expect(throws: PublicURLError.self, "\(text)") { try PublicURL(validating: text) }
        }
        #expect(PublicURL(listeningOn: "::1", port: 8080).description == "http://[::1]:8080")
    }
}
