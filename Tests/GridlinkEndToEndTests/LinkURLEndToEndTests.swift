import AsyncHTTPClient
import Foundation
import Testing

@Suite("End to end: link URLs come from the listening address or --public-url, never from Host")
struct LinkURLEndToEndTests {
    private static let linkBody = #"{"vendorType":"vehicle","scopes":["vehicle:read:data"],"language":"en-US","redirectUri":"https://app.example.com/linked"}"#

    @Test("without --public-url the link names the port actually bound (started on port 0), whatever Host the request sends")
    func listeningAddress() async throws {
        let world = try await E2EWorld.start()
        defer { world.finish() }
        #expect(!world.server.baseURL.hasSuffix(":0"))
        let forged = try await world.object(.POST, "/users/h/link", Self.linkBody, headers: [("Host", "evil.example")])
        let url = try #require(forged["linkUrl"] as? String)
        #expect(url.hasPrefix(world.server.baseURL + "/link/"), "\(url)")
        #expect(try await E2EHTTP.send(.GET, url).status == 200)
        // The token is a secret: the request log names the route instead.
        let token = try #require(url.split(separator: "/").last.map(String.init))
        _ = try await BackgroundCommand.wait(seconds: 2) { world.server.log.contains("GET /link/{token} 200") }
        #expect(world.server.log.contains("GET /link/{token} 200"), "\(world.server.log)")
        #expect(!world.server.log.contains(token))
    }

    @Test("--public-url sets the links' base; an invalid one is refused at start-up")
    func configuredPublicURL() async throws {
        let world = try await E2EWorld.start(["--public-url", "https://link.example.com"])
        defer { world.finish() }
        let reply = try await world.object(.POST, "/users/p/link", Self.linkBody, headers: [("Host", "evil.example")])
        let token = try #require(reply["linkToken"] as? String)
        #expect(reply["linkUrl"] as? String == "https://link.example.com/link/\(token)")

        for invalid in ["ftp://link.example.com", "https://link.example.com/base?x=1"] {
            #expect(throws: E2EFailure.self, "\(invalid)") {
                try GridlinkProcess.command(["serve", "--port", "0", "--database", world.database, "--public-url", invalid])
            }
        }
        let help = try GridlinkProcess.command(["serve", "--help"])
        #expect(help.contains("--public-url") && help.contains("GRIDLINK_PUBLIC_URL"))
    }
}
