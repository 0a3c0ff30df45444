import AsyncHTTPClient
import Foundation
import GridlinkCore
import NIOCore
import NIOHTTP1
import Testing

/// A long-running `gridlink` command (not the server) whose output is collected while it runs.
final class BackgroundCommand: Sendable {
    private let process: Process
    private let output = OutputBuffer()

    /// Starts `gridlink arguments…` with `environment` added to this process's and waits until its output contains `ready`.
    init(_ arguments: [String], environment: [String: String] = [:], waitingFor ready: String) async throws {
        let process = Process()
        process.executableURL = GridlinkProcess.executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        _ = output.collect(from: process)
        try process.run()
        self.process = process
        guard try await Self.wait(seconds: 10, until: { [output] in output.text.contains(ready) }) else {
            process.terminate()
            process.waitUntilExit()
            throw E2EFailure("gridlink \(arguments.first ?? "") did not print \"\(ready)\": \(output.text)")
        }
    }

    /// Everything the command printed so far.
    var log: String { output.text }

    /// Stops the command with SIGTERM and waits for it to exit.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// Polls `condition` every 50 ms for at most `seconds`; whether it held.
    static func wait(seconds: Double, until condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }
}

@Suite("Events to a laptop (GET /sandbox/events, gridlink sandbox listen)", .serialized)
struct ListenEndToEndTests {
    @Test("listen prints the client's events and forwards each batch, signed with its secret, to a local receiver")
    func listenForwards() async throws {
        let receiver = LocalReceiver()
        try await receiver.run { url in
            let world = try await E2EWorld.start()
            defer { world.finish() }
            let secret = String(repeating: "c0ffee", count: 6)
            let listen = try await BackgroundCommand(
                ["sandbox", "listen", "--forward-to", url, "--secret", secret, "--url", world.server.baseURL,
                 "--client-id=\(world.credentials["clientId"] ?? "")", "--client-secret=\(world.credentials["clientSecret"] ?? "")"],
                waitingFor: "Ready!")
            defer { listen.stop() }
            #expect(listen.log.contains("signing secret: \(secret)"))

            _ = try await world.linkMagic(user: "lena", vendor: "EASEE", type: "charger", segment: "chargers", scopes: ["charger:read:data"])
            let arrived = try await BackgroundCommand.wait(seconds: 10) { receiver.events.contains { $0["event"] as? String == "user:charger:discovered" } }
            #expect(arrived, "receiver got: \(receiver.bodies); listen printed: \(listen.log)")
            let discovered = try #require(try await world.outbox().first { $0.name == "user:charger:discovered" })
            let event = try #require(receiver.events.first { $0["event"] as? String == "user:charger:discovered" })
            #expect(event["id"] as? String == "evt_\(discovered.sequence)" && event["version"] as? String == "2024-10-01")
            #expect((event["charger"] as? [String: Any])?["id"] != nil, "the same JSON as a webhook event: \(event)")
            for (body, signature) in zip(receiver.bodies, receiver.signatures) {
                #expect(signature == WebhookSignatureCheck.sign(body: body, secret: secret))
            }
            #expect(receiver.deliveryIds.allSatisfy { !$0.isEmpty })
            let printed = try await BackgroundCommand.wait(seconds: 5) { listen.log.contains("POST \(url) [200]") }
            #expect(printed && listen.log.contains("user:charger:discovered  evt_\(discovered.sequence)"), "\(listen.log)")
        }
    }

    @Test("the stream answers text/event-stream with id: lines and resumes after Last-Event-ID; 400, 406 and 401 otherwise")
    func streamResumes() async throws {
        let world = try await E2EWorld.start()
        defer { world.finish() }
        _ = try await world.linkMagic(user: "mo", vendor: "ZAPTEC", type: "charger", segment: "chargers", scopes: ["charger:read:data"])
        let events = try await world.outbox()
        let first = try #require(events.first)
        var request = HTTPClientRequest(url: world.server.baseURL + "/sandbox/events")
        request.headers.add(name: "Authorization", value: "Bearer \(world.token)")
        request.headers.add(name: "Accept", value: "text/event-stream")
        request.headers.add(name: "Last-Event-ID", value: "evt_\(first.sequence - 1)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        #expect(response.status == .ok && response.headers.first(name: "content-type") == "text/event-stream")
        var text = ""
        for try await chunk in response.body {
            text += String(buffer: chunk)
            if events.allSatisfy({ text.contains("id: evt_\($0.sequence)\n") }) { break }
        }
        #expect(text.hasPrefix("retry: 1000\n"))
        for event in events { #expect(text.contains("id: evt_\(event.sequence)\ndata: {"), "\(text)") }

        let bad = try await world.call(.GET, "/sandbox/events", headers: [("Accept", "text/event-stream"), ("Last-Event-ID", "yesterday")])
        #expect(bad.status == 400)
        #expect(try await world.call(.GET, "/sandbox/events", headers: [("Accept", "application/json")]).status == 406)
        let unauthenticated = try await E2EHTTP.send(.GET, world.server.baseURL + "/sandbox/events")
        #expect(unauthenticated.status == 401)
    }
}
