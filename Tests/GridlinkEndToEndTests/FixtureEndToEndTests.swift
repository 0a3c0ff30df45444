import Foundation
import GridlinkCore
import Testing

@Suite("Sandbox fixtures through the binary (--sandbox-fixture)")
struct FixtureEndToEndTests {
    /// The answers of the sandbox `GET` routes for the world's client, parsed as JSON.
    private func answers(_ world: E2EWorld) async throws -> [String: JSONValue] {
        let devices = try await world.sandboxDeviceIds()
        var answers: [String: JSONValue] = [:]
        for path in ["/sandbox/accounts", "/sandbox/devices", "/sandbox/faults", "/sandbox/clock", "/sandbox/export"] + devices.map({ "/sandbox/devices/\($0)" }) {
            let reply = try await world.call(.GET, path)
            #expect(reply.status == 200, "\(path): \(reply.body)")
            answers[path] = try JSONDecoder().decode(JSONValue.self, from: Data(reply.body.utf8))
        }
        return answers
    }

    @Test("export from one server, start a fresh one with --sandbox-fixture: the sandbox routes answer the same")
    func startFromFixture() async throws {
        let fixture = FileManager.default.temporaryDirectory.appendingPathComponent("gridlink-fixture-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: fixture) }
        let original: [String: JSONValue]
        do {
            let world = try await E2EWorld.start()
            defer { world.finish() }
            try await world.call(.PATCH, "/sandbox/clock", #"{"isPaused":true,"timing":"ideal"}"#)
            let account = try await world.object(.POST, "/sandbox/accounts", #"{"vendor":"KIA","siteId":"home","devices":[{"type":"vehicle"}]}"#)
            try await world.call(.POST, "/sandbox/accounts", #"{"vendor":"EASEE","siteId":"home","devices":[{"type":"charger"}]}"#)
            let car = try #require((account["deviceIds"] as? [String])?.first)
            try await world.call(.PATCH, "/sandbox/devices/\(car)", #"{"batteryLevel":22,"outdoorTemperature":-5}"#)
            try await world.call(.POST, "/sandbox/faults", #"{"kind":"outage","scope":{"vendor":"EASEE"}}"#)
            try await world.call(.POST, "/sandbox/clock/advance", #"{"seconds":900}"#)
            original = try await answers(world)
            try (try await world.call(.GET, "/sandbox/export").body).write(to: fixture, atomically: true, encoding: .utf8)
        }
        let restored = try await E2EWorld.start(["--sandbox-fixture", fixture.path])
        defer { restored.finish() }
        #expect(restored.server.log.contains("Loaded sandbox fixture"))
        let again = try await answers(restored)
        #expect(Set(again.keys) == Set(original.keys))
        for (path, answer) in original { #expect(again[path] == answer, "\(path)") }
    }

    @Test("a fixture that is not one stops the start with a message")
    func refusesBadFixture() async throws {
        let fixture = FileManager.default.temporaryDirectory.appendingPathComponent("gridlink-fixture-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: fixture) }
        try #"{"format":"gridlink-sandbox-fixture/1"}"#.write(to: fixture, atomically: true, encoding: .utf8)
        await #expect(throws: E2EFailure.self) { _ = try await E2EWorld.start(["--sandbox-fixture", fixture.path]) }
    }
}
