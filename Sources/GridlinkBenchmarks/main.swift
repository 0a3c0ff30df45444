import Foundation

/// Usage:
///   gridlink-bench [devices] [ticks]          sandbox simulation throughput (see SandboxBenchmark)
///   gridlink-bench webhooks [options]         webhook delivery through a running gridlink binary (see WebhookBenchmark)
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "webhooks" {
    do {
        try await WebhookBenchmark(arguments: Array(arguments.dropFirst())).run()
    } catch {
        say("benchmark failed: \(error)")
        exit(1)
    }
} else {
    try SandboxBenchmark.run(arguments)
}
