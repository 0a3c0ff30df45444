import Foundation
import GridlinkCore
import GridlinkStore

/// Webhook delivery through a running `gridlink` binary to a real receiver on 127.0.0.1: change-to-receipt
/// latency, sustained events per second, and a check that every outbox event arrived at least once.
///
/// 1. In-server changes: sandbox vehicles are linked through the Link UI; each login commits a
///    `user:vehicle:discovered` event. Latency is receipt minus the event's `createdAt` on the wall clock
///    (the simulation runs at speed 1; its offset from the wall clock is measured through `GET /sandbox/clock`).
/// 2. Sparse: single events 2.1-2.6 s apart, so each can find the dispatcher idle (unless a sandbox device
///    changed meanwhile), written as in 3.
/// 3. Sustained rate: the benchmark appends `user:vehicle:updated` events (a real vehicle body) to the server's
///    outbox with the store's own `appendEvent`, a few per transaction, at a fixed rate, as a second server
///    process writing the shared database would. Latency is receipt minus the commit's wall time.
/// 4. Burst: as many events as fast as possible, to see the most the dispatcher sustains.
///
/// With `--baseline PATH` the same phases run first against that binary, and the figures are compared as ratios.
///
/// Usage: gridlink-bench webhooks [--binary PATH] [--baseline PATH] [--links N] [--sparse N] [--rate EVENTS_PER_S]
///        [--seconds S] [--per-transaction N] [--burst N] [--users N]
struct WebhookBenchmark {
    let binary: String
    let baseline: String?
    let links: Int
    let sparse: Int
    let rate: Double
    let seconds: Double
    let perTransaction: Int
    let burst: Int
    let users: Int

    /// Reads `--name value` options.
    init(arguments: [String]) {
        var options: [String: String] = [:]
        for index in stride(from: 0, to: arguments.count - 1, by: 2) where arguments[index].hasPrefix("--") {
            options[String(arguments[index].dropFirst(2))] = arguments[index + 1]
        }
        binary = options["binary"] ?? ".build/release/gridlink"
        baseline = options["baseline"]
        links = Int(options["links"] ?? "") ?? 50
        sparse = Int(options["sparse"] ?? "") ?? 20
        rate = Double(options["rate"] ?? "") ?? 2000
        seconds = Double(options["seconds"] ?? "") ?? 10
        perTransaction = max(1, Int(options["per-transaction"] ?? "") ?? 4)
        burst = Int(options["burst"] ?? "") ?? 20_000
        users = max(1, Int(options["users"] ?? "") ?? 200)
    }

    /// The figures of one binary.
    struct Figures: Sendable {
        var latency: [String: (p50: Double, p99: Double)] = [:]
        var rate: [String: Double] = [:]
    }

    /// Measures the baseline (if any), then the binary, and compares them.
    func run() async throws {
        guard let baseline else {
            _ = try await measure(binary)
            return
        }
        let before = try await measure(baseline)
        let after = try await measure(binary)
        say("comparison: \(binary) against the baseline \(baseline)")
        for (phase, old) in before.latency.sorted(by: { $0.key < $1.key }) {
            guard let new = after.latency[phase] else { continue }
            say(String(format: "  %@ latency: p50 %.1f → %.1f ms (%.2f×), p99 %.1f → %.1f ms (%.2f×)",
                       phase, old.p50, new.p50, old.p50 / new.p50, old.p99, new.p99, old.p99 / new.p99))
        }
        for (phase, old) in before.rate.sorted(by: { $0.key < $1.key }) {
            guard let new = after.rate[phase] else { continue }
            say(String(format: "  %@ throughput: %.0f → %.0f events/s (%.2f×)", phase, old, new, new / old))
        }
    }

    /// Runs every phase against `binary` and prints the figures.
    private func measure(_ binary: String) async throws -> Figures {
        say("binary: \(binary)")
        let server = try await BenchServer.start(binary: binary)
        defer { server.stop() }
        say("server pid \(server.pid) at \(server.baseURL)")
        let receiver = BenchReceiver()
        return try await receiver.run { url in
            let secret = String(repeating: "be", count: 20)
            let created = try await server.call(.POST, "/webhooks", #"{"url":"\#(url)","secret":"\#(secret)","events":["*"]}"#)
            guard created.status == 200 else { throw BenchFailure("webhook not created: \(created.body)") }

            let offset = try await server.simulationOffset()
            for index in 0..<links { try await server.linkVehicle(user: "link-\(index)", vendor: "BMW") }
            try await waitFor(receiver, timeout: 60) { $0.keys.filter { $0.hasPrefix("user:vehicle:discovered") }.count >= links }
            let inServer = receiver.received.filter { $0.key.hasPrefix("user:vehicle:discovered") }.values.compactMap { event in
                BenchTime.parse(event.createdAt).map { event.firstReceipt.timeIntervalSince($0.addingTimeInterval(offset)) }
            }
            let inServerLatency = report("in-server changes (Link UI logins, \(inServer.count) discovered events)", latencies: inServer)

            guard let vehicle = receiver.vehicleSample else { throw BenchFailure("no vehicle event arrived") }
            let store = Store(database: try SQLiteDatabase(path: server.database))
            var figures = try await store.whileRunning { store in
                var figures = Figures()
                var idle: [String: Date] = [:]
                for index in 0..<sparse {
                    // A random gap, so events do not fall at the same point of the dispatcher's polling cycle each time.
                    try await Task.sleep(for: .milliseconds(Int.random(in: 2100...2600)))
                    let single = try await write(store, clientId: server.clientId, vehicle: vehicle, prefix: "sparse-\(index)", count: 1, perTransaction: 1, rate: nil)
                    try await waitFor(receiver, timeout: 10) { received in single.keys.allSatisfy { received[$0] != nil } }
                    idle.merge(single) { $1 }
                }
                figures.latency["sparse"] = summarize("sparse: \(sparse) single events 2.1-2.6 s apart (the dispatcher may be idle before each)", commits: idle, receiver: receiver, showsRate: false).latency

                let steady = try await write(store, clientId: server.clientId, vehicle: vehicle, prefix: "steady", count: Int(rate * seconds), perTransaction: perTransaction, rate: rate)
                try await waitFor(receiver, timeout: 120) { received in steady.keys.allSatisfy { received[$0] != nil } }
                let sustained = summarize("sustained \(Int(rate)) events/s offered for \(seconds) s, \(perTransaction) per transaction", commits: steady, receiver: receiver)
                figures.latency["sustained"] = sustained.latency
                figures.rate["sustained"] = sustained.rate

                let burstCommits = try await write(store, clientId: server.clientId, vehicle: vehicle, prefix: "burst", count: burst, perTransaction: 100, rate: nil)
                try await waitFor(receiver, timeout: 300) { received in burstCommits.keys.allSatisfy { received[$0] != nil } }
                figures.rate["burst"] = summarize("burst of \(burst) events, 100 per transaction, written as fast as possible", commits: burstCommits, receiver: receiver).rate

                try await verify(store, clientId: server.clientId, receiver: receiver)
                return figures
            }
            figures.latency["in-server"] = inServerLatency
            return figures
        }
    }

    /// Appends `count` events, `perTransaction` per transaction, at `rate` per second (nil: as fast as possible),
    /// and returns each event's mark with the wall time its transaction committed.
    private func write(_ store: Store, clientId: String, vehicle: String, prefix: String, count: Int, perTransaction: Int, rate: Double?)
        async throws -> [String: Date]
    {
        var commits: [String: Date] = [:]
        let started = Date()
        var written = 0
        while written < count {
            if let rate, Double(written) >= Date().timeIntervalSince(started) * rate {
                try await Task.sleep(for: .microseconds(500))
                continue
            }
            let marks = (written..<min(count, written + perTransaction)).map { "\(prefix)-\($0)" }
            try await store.write { [first = written, users] session in
                for (offset, mark) in marks.enumerated() {
                    let user = "bench-\((first + offset) % users)"
                    let payload = #"{"benchMark":"\#(mark)","updatedFields":["chargeState.batteryLevel"],"user":{"id":"\#(user)"},"vehicle":\#(vehicle)}"#
                    try await session.appendEvent(NewOutboxEvent(clientId: clientId, userId: user, name: "user:vehicle:updated", payload: payload), at: Date())
                }
            }
            let committed = Date()
            for mark in marks { commits[mark] = committed }
            written += marks.count
        }
        return commits
    }

    /// Waits until `condition` holds for the received events, polling every 10 ms.
    private func waitFor(_ receiver: BenchReceiver, timeout: TimeInterval, _ condition: ([String: ReceivedEvent]) -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition(receiver.received) {
            guard Date() < deadline else {
                throw BenchFailure("events still missing after \(Int(timeout)) s (\(receiver.postCount) POSTs, \(receiver.received.count) events received)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Prints latency and rate figures of events written at `commits`; returns p50 and p99 (ms) and events per second.
    @discardableResult
    private func summarize(_ title: String, commits: [String: Date], receiver: BenchReceiver, showsRate: Bool = true)
        -> (latency: (p50: Double, p99: Double), rate: Double)
    {
        let received = receiver.received
        let latencies = commits.compactMap { mark, committed in received[mark].map { $0.firstReceipt.timeIntervalSince(committed) } }
        let latency = report(title, latencies: latencies)
        guard showsRate, let first = commits.values.min(), let last = commits.keys.compactMap({ received[$0]?.firstReceipt }).max() else {
            return (latency, .nan)
        }
        let span = last.timeIntervalSince(first)
        say(String(format: "  delivered: %d events in %.2f s (first commit to last receipt) = %.0f events/s", latencies.count, span, Double(latencies.count) / span))
        return (latency, Double(latencies.count) / span)
    }

    /// Prints count, p50, p99 and max of latencies given in seconds; returns p50 and p99 in milliseconds.
    @discardableResult
    private func report(_ title: String, latencies: [TimeInterval]) -> (p50: Double, p99: Double) {
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? .nan : sorted[Int((p * Double(sorted.count - 1)).rounded())] * 1000 }
        say(title)
        say(String(format: "  change-to-receipt latency over %d events: p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                   sorted.count, percentile(0.5), percentile(0.99), (sorted.last ?? .nan) * 1000))
        return (percentile(0.5), percentile(0.99))
    }

    /// Checks every event of the client's outbox against what the receiver got: none missing, and how many twice.
    private func verify(_ store: Store, clientId: String, receiver: BenchReceiver) async throws {
        let outbox = try await store.read { try await $0.outboxEvents(clientId: clientId) }
        let pending = try await store.read { try await $0.pendingEventCount() }
        let received = receiver.received
        var missing = 0
        for event in outbox {
            var object = (try? JSONSerialization.jsonObject(with: Data(event.payload.utf8)) as? [String: Any]) ?? [:]
            object["event"] = event.name
            object["createdAt"] = Timestamp.format(event.createdAt)
            if let key = BenchEventKey.of(object), received[key] == nil { missing += 1 }
        }
        let duplicates = received.values.reduce(0) { $0 + $1.count - 1 }
        let ids = Set(received.values.compactMap(\.id))
        say("outbox check: \(outbox.count) events in the outbox, \(pending) not yet fanned out, \(missing) never received, "
              + "\(duplicates) received more than once, \(receiver.postCount) POSTs; "
              + (ids.isEmpty ? "events carry no id" : "\(ids.count) distinct event ids for \(received.count) events"))
        if missing > 0 || pending > 0 { throw BenchFailure("events were lost") }
    }
}

/// Writes a line to standard output at once (output is followed live, also through a pipe).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
