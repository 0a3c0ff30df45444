import Foundation
import GridlinkCore
import GridlinkSandbox

/// Simulation throughput: how long one 1-second physics tick takes for N devices, and memory per device.
enum SandboxBenchmark {
    /// Runs the benchmark. Arguments: [devices] [ticks].
    static func run(_ arguments: [String]) throws {
        let deviceCount = arguments.count > 0 ? Int(arguments[0]) ?? 100_000 : 100_000
        let ticks = arguments.count > 1 ? Int(arguments[1]) ?? 60 : 60

        /// Resident set size of this process in bytes, from /proc/self/statm.
        func residentBytes() -> Int {
            guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
            let fields = text.split(separator: " ")
            return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
        }

        /// A household mix: every account is one home with a car, a charger, an HVAC, solar, a battery and a meter.
        let household: [(String, [VendorType])] = [
            ("TESLA", [.vehicle, .inverter, .battery, .meter]), ("EASEE", [.charger]), ("DAIKIN", [.hvac]),
        ]

        let start = Date(timeIntervalSince1970: 1_782_000_000)
        let before = residentBytes()
        var engine = SandboxEngine(settings: WorldSettings(start: start, seed: 1, timing: .ideal))
        var created = 0
        var home = 0
        while created < deviceCount {
            let site = "home-\(home)"
            home += 1
            var vehicleId: String?
            var chargerId: String?
            for (vendor, types) in household where created < deviceCount {
                let specs = types.prefix(deviceCount - created).map { DeviceSpec(type: $0) }
                let account = try engine.createAccount(clientId: "bench", vendor: vendor, username: "\(vendor)-\(home)", password: "x", siteId: site, devices: specs, limits: nil)
                created += specs.count
                for device in engine.devices.suffix(specs.count) where device.accountId == account.id {
                    if device.type == .vehicle { vehicleId = device.id }
                    if device.type == .charger { chargerId = device.id }
                }
            }
            if let vehicleId { try engine.plug(vehicleId: vehicleId, chargerId: chargerId, clientId: "bench") }
        }
        let setupBytes = residentBytes() - before

        // Baseline: visit every device and write its state back unchanged, the memory traffic of a tick without physics.
        func baselineTick(_ devices: inout [SimDevice]) {
            for index in devices.indices {
                let state = devices[index].state
                devices[index].state = state
            }
        }
        var copy = engine.devices
        let baselineStart = ContinuousClock.now
        for _ in 0..<ticks { baselineTick(&copy) }
        let baselineSeconds = (ContinuousClock.now - baselineStart) / .seconds(1) / Double(ticks)

        let tickStart = ContinuousClock.now
        engine.advance(to: start.addingTimeInterval(Double(ticks)))
        let tickSeconds = (ContinuousClock.now - tickStart) / .seconds(1) / Double(ticks)

        print("devices: \(engine.devices.count) in \(home) homes")
        print(String(format: "memory: %.1f MB resident for the world, %.0f bytes per device", Double(setupBytes) / 1e6, Double(setupBytes) / Double(engine.devices.count)))
        print(String(format: "tick (1 s of simulation): %.2f ms → %.0f device-ticks per second on one core", tickSeconds * 1000, Double(engine.devices.count) / tickSeconds))
        print(String(format: "baseline tick (state copy only): %.2f ms; physics costs %.1f× the baseline", baselineSeconds * 1000, tickSeconds / baselineSeconds))
        print(String(format: "real-time headroom at a 1 s tick: %.1f× (%@)", 1 / tickSeconds, tickSeconds < 1 ? "keeps up" : "falls behind"))
    }
}
