import Foundation

/// Usage:
///   gridlink-bench [devices] [ticks]          sandbox simulation throughput (see SandboxBenchmark)
///   gridlink-bench webhooks [options]         webhook delivery through a running gridlink binary (see WebhookBenchmark)
///   gridlink-bench smart-charging [options]   a night of smart charging per fleet size (see SmartChargingBenchmark)
let arguments = Array(CommandLine.arguments.dropFirst())

/// Runs an asynchronous benchmark, exiting with status 1 when it cannot run.
func runOrExit(_ benchmark: () async throws -> Void) async {
    do {
        try await benchmark()
    } catch {
        say("benchmark failed: \(error)")
        exit(1)
    }
}

switch arguments.first {
case "webhooks": await runOrExit { try await WebhookBenchmark(arguments: Array(arguments.dropFirst())).run() }
case "smart-charging": await runOrExit { try await SmartChargingBenchmark(arguments: Array(arguments.dropFirst())).run() }
default: try SandboxBenchmark.run(arguments)
}
