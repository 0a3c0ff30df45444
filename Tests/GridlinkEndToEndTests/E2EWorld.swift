import AsyncHTTPClient
import Foundation
import GridlinkCore
import GridlinkStore
import Logging
import NIOCore
import NIOHTTP1
import Testing

/// A fresh database with one sandbox client, a running `gridlink serve`, and the client's bearer token.
struct E2EWorld: Sendable {
    let database: String
    let credentials: [String: String]
    private(set) var server: GridlinkProcess
    let token: String
    let arguments: [String]

    /// Creates the database and client, starts the server with `arguments`, and fetches a token.
    static func start(_ arguments: [String] = [], fileLimit: Int? = nil) async throws -> E2EWorld {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("gridlink-e2e-\(UUID().uuidString).sqlite").path
        let created = try GridlinkProcess.command(["clients", "create", "--name", "e2e", "--json", "--database", database])
        let credentials = try JSONDecoder().decode([String: String].self, from: Data(created.utf8))
        return try await start(database: database, credentials: credentials, arguments: arguments, fileLimit: fileLimit)
    }

    /// Starts a server on an existing `database` (a SQLite path or PostgreSQL URL) whose client has `credentials`, and fetches a token.
    static func start(database: String, credentials: [String: String], arguments: [String], fileLimit: Int? = nil) async throws -> E2EWorld {
        let server = try await GridlinkProcess(database: database, extraArguments: arguments, fileLimit: fileLimit)
        let basic = "Basic " + Data("\(credentials["clientId"] ?? ""):\(credentials["clientSecret"] ?? "")".utf8).base64EncodedString()
        let reply = try await E2EHTTP.send(.POST, server.baseURL + "/oauth2/token",
            headers: [("Authorization", basic), ("Content-Type", "application/x-www-form-urlencoded")], body: "grant_type=client_credentials")
        let token = (try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])?["access_token"] as? String ?? ""
        return E2EWorld(database: database, credentials: credentials, server: server, token: token, arguments: arguments)
    }

    /// Kills the server with SIGKILL and starts a new one on the same database.
    mutating func crashAndRestart() async throws {
        server.kill()
        server = try await GridlinkProcess(database: database, extraArguments: arguments)
    }

    /// Stops the server and deletes the database.
    func finish() {
        server.stop()
        for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: database + suffix) }
    }

    /// An authenticated JSON call with extra `headers` (e.g. `Enode-Version`); returns status, body and the answer's `Enode-Version`.
    @discardableResult
    func call(_ method: HTTPMethod, _ path: String, _ body: String? = nil, headers: [(String, String)] = []) async throws -> (status: Int, body: String, version: String?) {
        let reply = try await E2EHTTP.send(
            method, server.baseURL + path, headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")] + headers, body: body)
        return (reply.status, reply.body, reply.headers.first(name: "Enode-Version"))
    }

    /// An authenticated JSON call whose answer is a JSON object.
    func object(_ method: HTTPMethod, _ path: String, _ body: String? = nil, headers: [(String, String)] = []) async throws -> [String: Any] {
        try E2EHTTP.object(try await call(method, path, body, headers: headers).body)
    }

    /// A form post to an absolute URL (the Link UI).
    func form(_ url: String, _ body: String) async throws -> (status: Int, body: String) {
        let reply = try await E2EHTTP.send(.POST, url, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: body)
        return (reply.status, reply.body)
    }

    /// Starts a link session for `user` and returns its `linkUrl`.
    func linkURL(user: String, type: String, vendor: String? = nil, scopes: [String]) async throws -> String {
        let vendorField = vendor.map { #","vendor":"\#($0)""# } ?? ""
        let scopeList = scopes.map { "\"\($0)\"" }.joined(separator: ",")
        let body = #"{"vendorType":"\#(type)"\#(vendorField),"scopes":[\#(scopeList)],"language":"en-US","redirectUri":"https://app.example.com/linked"}"#
        return try #require(try await object(.POST, "/users/\(user)/link", body)["linkUrl"] as? String)
    }

    /// Links a magic sandbox account (one device of `type`) for `user` and returns the new asset's id.
    func linkMagic(user: String, vendor: String, type: String, segment: String, scopes: [String]) async throws -> String {
        let link = try await linkURL(user: user, type: type, vendor: vendor, scopes: scopes)
        _ = try await form(link + "/consent", "decision=accept")
        _ = try await form(link + "/login", "username=\(user)&password=gridlink")
        let list = try await object(.GET, "/users/\(user)/\(segment)")
        return try #require((list["data"] as? [[String: Any]])?.first?["id"] as? String)
    }

    /// Links a KIA car that may be controlled for `user`, stops its charging at 20 %, plugs it in and advances until the
    /// API shows it plugged in; returns the vehicle's id.
    func pluggedInVehicle(user: String) async throws -> String {
        let vehicle = try await linkMagic(user: user, vendor: "KIA", type: "vehicle", segment: "vehicles",
                                          scopes: ["vehicle:read:data", "vehicle:control:charging"])
        let deviceId = try #require(try await sandboxDeviceIds().first)
        try await call(.PATCH, "/sandbox/devices/\(deviceId)", #"{"chargingEnabled":false,"batteryLevel":20}"#)
        try await call(.POST, "/sandbox/devices/\(deviceId)/plug", "{}")
        func plugged() async throws -> Bool {
            (try await object(.GET, "/vehicles/\(vehicle)")["chargeState"] as? [String: Any])?["isPluggedIn"] as? Bool == true
        }
        #expect(try await advance(seconds: 600, steps: 8, until: plugged))
        return vehicle
    }

    /// Runs `body` with `receiver` and a world started with `arguments` whose simulation clock is paused, in which a
    /// webhook for `events` points at the receiver; passes the world and the webhook's id.
    static func withWebhook(
        to receiver: LocalReceiver, events: [String], arguments: [String], _ body: @Sendable (E2EWorld, String) async throws -> Void
    ) async throws {
        try await receiver.run { url in
            let world = try await E2EWorld.start(arguments)
            defer { world.finish() }
            try await world.call(.PATCH, "/sandbox/clock", #"{"isPaused":true,"timing":"ideal"}"#)
            try await body(world, try await world.createWebhook(url: url, events: events))
        }
    }

    /// Subscribes `url` to `events` and returns the new webhook's id.
    func createWebhook(url: String, events: [String], secret: String = String(repeating: "5eed", count: 10)) async throws -> String {
        let names = events.map { "\"\($0)\"" }.joined(separator: ",")
        let created = try await call(.POST, "/webhooks", #"{"url":"\#(url)","secret":"\#(secret)","events":[\#(names)]}"#)
        return try #require(try E2EHTTP.object(created.body)["id"] as? String, "\(created.body)")
    }

    /// The ids of the client's sandbox devices.
    func sandboxDeviceIds() async throws -> [String] {
        (try await object(.GET, "/sandbox/devices")["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    /// Until `done` holds, at most `steps` times: advances the (paused) simulation clock by `seconds` and gives the
    /// server's background work `pause` of real time. Returns whether `done` held.
    func advance(seconds: Int, steps: Int, pause: Duration = .milliseconds(250), until done: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<steps {
            if try await done() { return true }
            try await call(.POST, "/sandbox/clock/advance", #"{"seconds":\#(seconds)}"#)
            try await Task.sleep(for: pause)
        }
        return try await done()
    }

    /// Every event in the outbox, read from the database the server writes.
    func outbox() async throws -> [OutboxEvent] {
        try await readStore { [clientId = credentials["clientId"] ?? ""] in try await $0.outboxEvents(clientId: clientId) }
    }

    /// Runs a read on the database the server writes, through a store of the test's own.
    func readStore<T: Sendable>(_ body: @escaping @Sendable (StoreSession) async throws -> T) async throws -> T {
        try await Store.open(url: database, logger: Logger(label: "e2e-store")).whileRunning { try await $0.read(body) }
    }
}

/// HTTP over loopback with AsyncHTTPClient.
enum E2EHTTP {
    static func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: String? = nil)
        async throws -> (status: Int, headers: HTTPHeaders, body: String)
    {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 1 << 22)
        return (Int(response.status.code), response.headers, String(buffer: buffer))
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text.prefix(200))")
    }
}
