import Foundation
import Testing

/// Python with a package our tests use as a peer: `GRIDLINK_TEST_PYTHON` (CI sets its venv), else `python3`.
enum PythonPeer {
    static var interpreter: String { ProcessInfo.processInfo.environment["GRIDLINK_TEST_PYTHON"] ?? "/usr/bin/env python3" }
    /// CI sets `GRIDLINK_REQUIRE_PYTHON_PEERS=1`: there a missing package fails the test instead of skipping the check.
    static var isRequired: Bool { ProcessInfo.processInfo.environment["GRIDLINK_REQUIRE_PYTHON_PEERS"] == "1" }

    /// Runs `script` with `input` on standard input; nil when the interpreter or `module` is missing.
    static func run(_ script: String, module: String, input: String) throws -> (status: Int32, output: String)? {
        let parts = interpreter.split(separator: " ").map(String.init)
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: parts[0])
        probe.arguments = Array(parts.dropFirst()) + ["-c", "import \(module)"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return nil }
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: parts[0])
        process.arguments = Array(parts.dropFirst()) + ["-c", script]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}

extension GridlinkBinaryTests {
    /// The value of the sample `name{labels}` in a Prometheus text exposition (labels as written, in order).
    private static func sample(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test("GET /metrics: off without a token, 401 with a wrong one; after a scripted run the counters match what happened")
    func metricsAfterAScriptedRun() async throws {
        let receiver = LocalReceiver()
        let metricsToken = "scrape-" + UUID().uuidString
        try await receiver.run { url in
            let world = try await E2EWorld.start(["--metrics-token", metricsToken, "--seed", "31", "--sim-start", "2026-07-02T19:00:00Z"])
            defer { world.finish() }
            try await world.call(.PATCH, "/sandbox/clock", #"{"isPaused":true,"timing":"ideal"}"#)
            _ = try await world.createWebhook(url: url, events: ["user:vendor-action:updated"])
            let vehicle = try await world.pluggedInVehicle(user: "m1")
            let action = try #require(try await world.object(.POST, "/vehicles/\(vehicle)/charging", #"{"action":"START"}"#)["id"] as? String)
            func confirmed() async throws -> Bool {
                try await world.object(.GET, "/vehicles/actions/\(action)")["state"] as? String == "CONFIRMED"
            }
            #expect(try await world.advance(seconds: 5, steps: 120, until: confirmed))
            for _ in 0..<80 where receiver.bodies.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            for _ in 0..<3 { #expect(try await world.call(.GET, "/users").status == 200) }
            #expect(try await world.call(.GET, "/users/nobody").status == 404)

            let scrape = world.server.baseURL + "/metrics"
            #expect(try await E2EHTTP.send(.GET, scrape).status == 401)
            #expect(try await E2EHTTP.send(.GET, scrape, headers: [("Authorization", "Bearer wrong")]).status == 401)
            let reply = try await E2EHTTP.send(.GET, scrape, headers: [("Authorization", "Bearer \(metricsToken)")])
            #expect(reply.status == 200)
            #expect(reply.headers.first(name: "Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = reply.body
            #expect(Self.sample(text, #"gridlink_http_requests_total{method="GET",route="/users",status_class="2xx"}"#) == 3)
            #expect(Self.sample(text, #"gridlink_http_requests_total{method="GET",route="/users/{userId}",status_class="4xx"}"#) == 1)
            #expect(Self.sample(text, #"gridlink_actions{kind="START",state="CONFIRMED"}"#) == 1)
            #expect(Self.sample(text, #"gridlink_actions{kind="START",state="PENDING"}"#) == 0, "a state with no actions shows 0")
            // Heartbeats are not event deliveries.
            let eventBatches = receiver.bodies.filter { !$0.contains("system:heartbeat") }.count
            #expect(Self.sample(text, #"gridlink_webhook_deliveries_total{outcome="delivered"}"#) == Double(eventBatches))
            #expect((Self.sample(text, #"gridlink_device_syncs_total{outcome="ok"}"#) ?? 0) >= 1)
            #expect((Self.sample(text, "gridlink_http_open_connections") ?? 0) >= 1)
            #expect(Self.sample(text, "gridlink_outbox_backlog_events") == 0)
            #expect(text.contains(#"gridlink_background_round_duration_seconds_bucket{service="Device sync""#))
            #expect(text.contains("gridlink_sandbox_tick_duration_seconds_count"))
            #expect((Self.sample(text, #"gridlink_database_wait_seconds_count{access="write"}"#) ?? 0) > 10)

            // A real parser accepts the exposition (prometheus_client, installed in CI's venv).
            let parse = """
                import sys
                from prometheus_client.parser import text_string_to_metric_families
                families = {f.name: f for f in text_string_to_metric_families(sys.stdin.read())}
                requests = families["gridlink_http_requests"]
                total = sum(s.value for s in requests.samples if s.name == "gridlink_http_requests_total" and s.labels["route"] == "/users")
                print(len(families), total)
                """
            if let parsed = try PythonPeer.run(parse, module: "prometheus_client", input: text) {
                #expect(parsed.status == 0, "\(parsed.output)")
                let figures = parsed.output.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
                #expect(figures.count == 2 && figures[0] > 10 && figures[1] == 3, "\(parsed.output)")
            } else {
                #expect(!PythonPeer.isRequired, "prometheus_client is required here but not installed")
                print("MetricsEndToEndTests: skipped the prometheus_client parse (python3 with prometheus_client not found)")
            }
        }
    }
}

extension GridlinkBinaryTests {
    @Test("--log-format json: one JSON object per line; a request's line carries its X-Request-Id, which is answered and put in problems")
    func jsonLogsAndRequestIds() async throws {
        let world = try await E2EWorld.start(["--log-format", "json"])
        defer { world.finish() }
        let traced = try await E2EHTTP.send(
            .GET, world.server.baseURL + "/users/nobody", headers: [("Authorization", "Bearer \(world.token)"), ("X-Request-Id", "trace-42")])
        #expect(traced.headers.first(name: "X-Request-Id") == "trace-42")
        #expect(try E2EHTTP.object(traced.body)["requestId"] as? String == "trace-42")
        let fresh = try await E2EHTTP.send(.GET, world.server.baseURL + "/health/ready", headers: [("X-Request-Id", "not ok; <script>")])
        let freshId = try #require(fresh.headers.first(name: "X-Request-Id"))
        #expect(freshId != "not ok; <script>" && freshId.count == 16)
        try await Task.sleep(for: .milliseconds(200))
        // The start-up guide is plain text on standard error (the test reads both streams); every other line is JSON.
        let lines = world.server.log.split(separator: "\n").filter { !$0.hasPrefix("Next: ") }
        let records = lines.map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] }
        #expect(!records.isEmpty && records.allSatisfy { $0 != nil }, "\(world.server.log)")
        let line = records.compactMap { $0 }.first { $0["request_id"] == "trace-42" }
        #expect(line?["message"]?.hasPrefix("GET /users/nobody 404") == true)
        #expect(line?["level"] == "info" && line?["time"] != nil)
    }
}
