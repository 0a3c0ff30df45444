import AsyncHTTPClient
import Foundation
import GridlinkCore
import GridlinkStore
import NIOCore
import NIOHTTP1
import Synchronization

/// A `gridlink serve` child process on 127.0.0.1 over a fresh SQLite file, with one sandbox client and its token.
final class BenchServer: Sendable {
    /// `http://127.0.0.1:<port>`.
    let baseURL: String
    /// The SQLite file the server writes.
    let database: String
    /// The sandbox client's id.
    let clientId: String
    /// A bearer token of the client.
    let token: String
    private let process: Process
    private let output: Pipe

    private init(baseURL: String, database: String, clientId: String, token: String, process: Process, output: Pipe) {
        self.baseURL = baseURL
        self.database = database
        self.clientId = clientId
        self.token = token
        self.process = process
        self.output = output
    }

    /// Creates the database with a sandbox client through the store, starts `binary serve` and fetches a token.
    static func start(binary: String) async throws -> BenchServer {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("gridlink-bench-\(UUID().uuidString).sqlite").path
        let clientId = "bench-" + RandomToken.hex(bytes: 4), secret = RandomToken.urlSafe(bytes: 32)
        try await Store(database: try SQLiteDatabase(path: database)).whileRunning { store in
            try await store.migrate(at: Date())
            let client = APIClient(id: clientId, name: "bench", environment: .sandbox, apiVersion: .current, createdAt: Date())
            try await store.write { try await $0.insertClient(client, secret: .make(secret: secret)) }
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        // One bench client links every car: lift the per-client sandbox quotas above any benchmark size.
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--database", database,
                             "--sandbox-accounts-per-client", "1000000", "--sandbox-devices-per-client", "1000000"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        // The request log is read and dropped as it comes (a full pipe would stall the server); only the start-up line matters.
        let startLine = Mutex<String?>(nil)
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            guard let range = text.range(of: #"listening on http://127\.0\.0\.1:\d+"#, options: .regularExpression) else { return }
            startLine.withLock { $0 = String(text[range].dropFirst("listening on ".count)) }
        }
        try process.run()
        var url: String?
        for _ in 0..<400 where url == nil && process.isRunning {
            try await Task.sleep(for: .milliseconds(25))
            url = startLine.withLock { $0 }
        }
        guard let url else {
            process.terminate()
            throw BenchFailure("gridlink serve did not start")
        }
        let basic = "Basic " + Data("\(clientId):\(secret)".utf8).base64EncodedString()
        let reply = try await BenchHTTP.send(.POST, url + "/oauth2/token", headers: [("Authorization", basic),
            ("Content-Type", "application/x-www-form-urlencoded")], body: "grant_type=client_credentials")
        let token = try BenchHTTP.object(reply.body)["access_token"] as? String ?? ""
        return BenchServer(baseURL: url, database: database, clientId: clientId, token: token, process: process, output: pipe)
    }

    /// The process id of the server.
    var pid: Int32 { process.processIdentifier }

    /// Stops the server (SIGTERM), waits for it and deletes the database.
    func stop() {
        output.fileHandleForReading.readabilityHandler = nil
        process.terminate()
        process.waitUntilExit()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
    }

    /// An authenticated JSON call.
    @discardableResult
    func call(_ method: HTTPMethod, _ path: String, _ body: String? = nil, timeout: Int64 = 30) async throws -> (status: Int, body: String) {
        try await BenchHTTP.send(method, baseURL + path, headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")], body: body,
                                 timeout: timeout)
    }

    /// Links a magic sandbox account with one `vendor` vehicle for `user` through the Link UI; the login
    /// response returns once the server has discovered the vehicle and committed its event.
    func linkVehicle(user: String, vendor: String, scopes: [String] = ["vehicle:read:data"]) async throws {
        let scopeList = scopes.map { "\"\($0)\"" }.joined(separator: ",")
        let session = try await call(.POST, "/users/\(user)/link", #"{"vendorType":"vehicle","vendor":"\#(vendor)","scopes":[\#(scopeList)],"language":"en-US","redirectUri":"https://bench.example/linked"}"#)
        guard let link = try BenchHTTP.object(session.body)["linkUrl"] as? String else { throw BenchFailure("no link URL: \(session.body)") }
        let form = [("Content-Type", "application/x-www-form-urlencoded")]
        _ = try await BenchHTTP.send(.POST, link + "/consent", headers: form, body: "decision=accept")
        let login = try await BenchHTTP.send(.POST, link + "/login", headers: form, body: "username=\(user)&password=gridlink")
        guard login.status == 200, login.body.contains("id=\"success\"") else { throw BenchFailure("link login for \(user) answered \(login.status)") }
    }

    /// Wall time minus simulation time, measured around `GET /sandbox/clock` (its error is half the round trip).
    func simulationOffset() async throws -> TimeInterval {
        let before = Date()
        let reply = try await call(.GET, "/sandbox/clock")
        let after = Date()
        guard let text = try BenchHTTP.object(reply.body)["time"] as? String, let simulated = BenchTime.parse(text) else {
            throw BenchFailure("no clock time: \(reply.body)")
        }
        return before.addingTimeInterval(after.timeIntervalSince(before) / 2).timeIntervalSince(simulated)
    }
}

/// HTTP over loopback with the shared AsyncHTTPClient.
enum BenchHTTP {
    /// Sends a request and collects the answer.
    static func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: String? = nil,
                     timeout: Int64 = 30) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeout))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 22)))
    }

    /// A JSON object body.
    static func object(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { throw BenchFailure("not a JSON object: \(text.prefix(200))") }
        return object
    }
}

/// ISO 8601 timestamps as Gridlink writes them (with or without milliseconds).
enum BenchTime {
    /// Parses `2026-11-21T08:00:00.123Z`.
    static func parse(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) ?? (try? Date(text, strategy: .iso8601))
    }
}

/// A benchmark that could not run.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
