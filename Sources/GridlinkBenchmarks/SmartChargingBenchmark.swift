import Foundation

/// `gridlink-bench smart-charging [--binary PATH] [--vehicles 1,20,100]`: for each fleet size, a fresh
/// `gridlink serve` with that many plugged-in sandbox cars, each its own user at its own location, advanced 13
/// simulated hours in 5-minute steps (`POST /sandbox/clock/advance` with `stepSeconds`, which runs device sync,
/// actions, schedules and smart charging after every step). The same fleet is run twice: without smart charging
/// (the baseline) and with a 07:00 policy on every car; the figures are wall time per step and the ratio.
struct SmartChargingBenchmark {
    let binary: String
    let fleets: [Int]

    /// Parses the options.
    init(arguments: [String]) throws {
        var binary = FileManager.default.currentDirectoryPath + "/.build/release/gridlink"
        var fleets = [1, 20, 100]
        var index = 0
        while index < arguments.count {
            let value = index + 1 < arguments.count ? arguments[index + 1] : ""
            switch arguments[index] {
            case "--binary": binary = value
            case "--vehicles": fleets = value.split(separator: ",").compactMap { Int($0) }
            default: throw BenchFailure("unknown option \(arguments[index])")
            }
            index += 2
        }
        self.binary = binary
        self.fleets = fleets
    }

    /// Runs every fleet size with and without smart charging and prints the figures.
    func run() async throws {
        say("smart charging: 13 simulated hours in 156 steps of 5 minutes; binary \(binary)")
        say("vehicles | baseline ms/step | smart ms/step | ratio | plans made")
        for fleet in fleets {
            let baseline = try await measure(vehicles: fleet, smart: false)
            let smart = try await measure(vehicles: fleet, smart: true)
            say(String(format: "%8d | %16.1f | %13.1f | %5.2f | %d", fleet, baseline.msPerStep, smart.msPerStep, smart.msPerStep / baseline.msPerStep, smart.plans))
        }
    }

    /// One run: wall time per step, and how many cars ended up with a plan.
    private func measure(vehicles: Int, smart: Bool) async throws -> (msPerStep: Double, plans: Int) {
        let server = try await BenchServer.start(binary: binary)
        defer { server.stop() }
        try await server.call(.PATCH, "/sandbox/clock", #"{"isPaused":true,"timing":"ideal"}"#)
        for index in 0..<vehicles {
            try await server.linkVehicle(user: "u\(index)", vendor: "KIA", scopes: ["vehicle:read:data", "vehicle:read:location", "vehicle:control:charging"])
        }
        var devices: [[String: Any]] = []
        var after: String? = ""
        while let cursor = after {
            let page = try BenchHTTP.object(try await server.call(.GET, "/sandbox/devices?pageSize=100" + (cursor.isEmpty ? "" : "&after=\(cursor)")).body)
            devices += page["data"] as? [[String: Any]] ?? []
            after = (page["pagination"] as? [String: Any])?["after"] as? String
        }
        for device in devices {
            guard let id = device["id"] as? String else { continue }
            try await server.call(.PATCH, "/sandbox/devices/\(id)", #"{"batteryLevel":30,"chargeLimit":90}"#)
            try await server.call(.POST, "/sandbox/devices/\(id)/plug", "{}")
        }
        for index in 0..<vehicles {
            let list = try BenchHTTP.object(try await server.call(.GET, "/users/u\(index)/vehicles").body)["data"] as? [[String: Any]] ?? []
            guard let vehicle = list.first, let id = vehicle["id"] as? String, let position = vehicle["location"] as? [String: Any] else { continue }
            try await server.call(.POST, "/users/u\(index)/locations",
                #"{"name":"Home","latitude":\#(position["latitude"] ?? 0),"longitude":\#(position["longitude"] ?? 0),"timezoneName":"Europe/Oslo"}"#)
            if smart { try await server.call(.PUT, "/vehicles/\(id)/smart-charging-policy", #"{"isEnabled":true,"deadline":"07:00"}"#) }
        }
        let clock = ContinuousClock()
        let began = clock.now
        // An hour per call, so no single answer waits long.
        for _ in 0..<13 {
            let reply = try await server.call(.POST, "/sandbox/clock/advance", #"{"seconds":3600,"stepSeconds":300}"#, timeout: 600)
            guard reply.status == 200 else { throw BenchFailure("advance answered \(reply.status): \(reply.body)") }
        }
        let elapsed = clock.now - began
        var plans = 0
        if smart {
            for index in 0..<vehicles {
                let list = try BenchHTTP.object(try await server.call(.GET, "/users/u\(index)/vehicles").body)["data"] as? [[String: Any]] ?? []
                guard let id = list.first?["id"] as? String else { continue }
                let status = try BenchHTTP.object(try await server.call(.GET, "/vehicles/\(id)/smart-charging-status").body)
                if (status["state"] as? String)?.hasPrefix("PLAN:") == true { plans += 1 }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (seconds * 1000 / 156, plans)
    }
}
