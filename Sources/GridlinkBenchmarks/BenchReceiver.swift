import Foundation
import Hummingbird
import Logging
import Synchronization

/// What the receiver saw of one event.
struct ReceivedEvent: Sendable {
    /// When the batch holding it arrived first (wall clock).
    let firstReceipt: Date
    /// How many times it arrived.
    var count: Int
    /// The event's `createdAt`.
    let createdAt: String
    /// The event's `id`, when the server sends one.
    let id: String?
}

/// A webhook receiver on 127.0.0.1 that answers 200 at once and records, per event, when it first arrived.
///
/// Events are keyed by ``BenchEventKey``: the `benchMark` the benchmark writes into its own events, else the
/// event name, asset id and `createdAt`.
final class BenchReceiver: Sendable {
    private let events = Mutex<[String: ReceivedEvent]>([:])
    private let posts = Mutex(0)
    private let sample = Mutex<String?>(nil)
    private let port = Mutex<Int?>(nil)

    /// Events received so far, by key.
    var received: [String: ReceivedEvent] { events.withLock { $0 } }
    /// POSTs received so far.
    var postCount: Int { posts.withLock { $0 } }
    /// The first vehicle object received, as JSON text (the template of the benchmark's own events).
    var vehicleSample: String? { sample.withLock { $0 } }

    /// Runs the receiver around `body`, passing the hook URL; returns what `body` returns.
    func run<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/hook") { [self] request, _ -> HTTPResponse.Status in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 24)
            record(Data(buffer: buffer), at: Date())
            return .ok
        }
        var logger = Logger(label: "bench-receiver")
        logger.logLevel = .critical
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                      onServerRunning: { [self] channel in bound(channel.localAddress?.port) }, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.runService() }
            var bound: Int?
            for _ in 0..<200 where bound == nil {
                try await Task.sleep(for: .milliseconds(10))
                bound = port.withLock { $0 }
            }
            guard let bound else { throw BenchFailure("the receiver did not start") }
            let result = try await body("http://127.0.0.1:\(bound)/hook")
            group.cancelAll()
            return result
        }
    }

    private func bound(_ value: Int?) { port.withLock { $0 = value } }

    private func record(_ body: Data, at receipt: Date) {
        posts.withLock { $0 += 1 }
        guard let batch = try? JSONSerialization.jsonObject(with: body) as? [[String: Any]] else { return }
        for event in batch {
            guard let key = BenchEventKey.of(event) else { continue }
            if let vehicle = event["vehicle"], sample.withLock({ $0 == nil }), let json = try? JSONSerialization.data(withJSONObject: vehicle) {
                sample.withLock { $0 = String(decoding: json, as: UTF8.self) }
            }
            events.withLock { events in
                if events[key] == nil {
                    events[key] = ReceivedEvent(firstReceipt: receipt, count: 1, createdAt: event["createdAt"] as? String ?? "",
                                                id: event["id"] as? String)
                } else {
                    events[key]?.count += 1
                }
            }
        }
    }
}

/// The identity the benchmark gives an event, computable both from a received event and from its outbox row.
enum BenchEventKey {
    /// Asset keys an event payload may carry.
    static let assetKeys = ["vehicle", "charger", "hvac", "inverter", "battery", "meter"]

    /// The key of a received or stored event object; nil for events that are not outbox events (heartbeats, tests).
    static func of(_ event: [String: Any]) -> String? {
        if let mark = event["benchMark"] as? String { return mark }
        guard let name = event["event"] as? String, name.hasPrefix("user:") else { return nil }
        let assetId = assetKeys.lazy.compactMap { (event[$0] as? [String: Any])?["id"] as? String }.first ?? ""
        return "\(name)|\(assetId)|\(event["createdAt"] as? String ?? "")"
    }
}
