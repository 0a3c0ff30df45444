import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A local HTTP receiver on 127.0.0.1 that records every body, can hold its answer for a while and can answer a failure status.
final class LocalReceiver: Sendable {
    private let state = Mutex<(bodies: [String], signatures: [String], deliveryIds: [String], delay: Duration, status: Int, epoch: Int, epochs: [Int])>(
        ([], [], [], .zero, 200, 0, []))
    private let port = Mutex<Int?>(nil)

    /// Bodies received so far.
    var bodies: [String] { state.withLock { $0.bodies } }
    /// `x-enode-signature` headers received so far.
    var signatures: [String] { state.withLock { $0.signatures } }
    /// `x-enode-delivery` headers received so far.
    var deliveryIds: [String] { state.withLock { $0.deliveryIds } }
    /// Every event object of every body received so far, in arrival order.
    var events: [[String: Any]] {
        bodies.flatMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [[String: Any]]) ?? [] }
    }
    /// Holds each answer for `delay`.
    func delay(_ delay: Duration) { state.withLock { $0.delay = delay } }
    /// Answers every POST from now on with `status`.
    func answer(_ status: Int) { state.withLock { $0.status = status } }
    /// Starts a new epoch: ``bodiesSinceEpoch`` only counts what arrives from now on.
    func nextEpoch() { state.withLock { $0.epoch += 1 } }
    /// Bodies received in the current epoch.
    var bodiesSinceEpoch: [String] {
        state.withLock { current in zip(current.bodies, current.epochs).filter { $0.1 == current.epoch }.map(\.0) }
    }

    /// Runs the receiver around `body`, passing its URL.
    func run(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("/hook") { [self] request, _ -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 22)
            let (delay, status) = record(String(buffer: buffer), signature: request.headers[HTTPField.Name("x-enode-signature")!] ?? "",
                                         deliveryId: request.headers[HTTPField.Name("x-enode-delivery")!] ?? "")
            try await Task.sleep(for: delay)
            return Response(status: .init(code: status))
        }
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                      onServerRunning: { [self] channel in setPort(channel.localAddress?.port) })
        // Stopped by a graceful shutdown rather than cancellation, so a passing test prints no server errors.
        let services = ServiceGroup(services: [application], gracefulShutdownSignals: [], logger: Logger(label: "receiver"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var bound: Int?
            for _ in 0..<100 where bound == nil {
                try await Task.sleep(for: .milliseconds(20))
                bound = port.withLock { $0 }
            }
            do {
                try await body("http://127.0.0.1:\(bound ?? 0)/hook")
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
            await services.triggerGracefulShutdown()
        }
    }

    private func setPort(_ value: Int?) { port.withLock { $0 = value } }

    private func record(_ body: String, signature: String, deliveryId: String) -> (Duration, Int) {
        state.withLock { current in
            current.bodies.append(body)
            current.signatures.append(signature)
            current.deliveryIds.append(deliveryId)
            current.epochs.append(current.epoch)
            return (current.delay, current.status)
        }
    }
}
