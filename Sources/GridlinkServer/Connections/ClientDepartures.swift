import NIOCore
import Synchronization

/// Knows which clients have gone away mid-request, so long work done for them can stop.
///
/// Hummingbird finishes a handler even when its client has disconnected. ``ConnectionDeadlineHandler`` reports here when a
/// connection opens, when its input closes and when it closes; ``run(for:_:)`` cancels the work it wraps at that moment,
/// or at once when the client left before the work started. HTTP/1.1 clients do not half-close while waiting for an
/// answer, so a closed input means the caller has left.
public final class ClientDepartures: Sendable {
    private struct Watch {
        var departed = false
        /// When the connection closed; its watch is kept a while so work starting late still sees the departure.
        var closedAt: NIODeadline?
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let watches = Mutex<(next: UInt64, byChannel: [ObjectIdentifier: Watch])>((0, [:]))
    /// How long a closed connection's watch is kept.
    static let closedRetention = TimeAmount.seconds(10)

    /// Nobody has left yet.
    public init() {}

    /// Starts watching a new connection (a new channel may reuse a closed one's identity: its watch starts afresh).
    func opened(_ channel: ObjectIdentifier) {
        watches.withLock { $0.byChannel[channel] = Watch() }
    }

    /// Records that the client of `channel` has gone: wakes the work waiting on it.
    func departed(_ channel: ObjectIdentifier) {
        let waiters = watches.withLock { state -> [CheckedContinuation<Void, Never>] in
            var watch = state.byChannel[channel, default: Watch()]
            watch.departed = true
            defer { watch.waiters = [:]; state.byChannel[channel] = watch }
            return Array(watch.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Records that `channel` closed at `now`, and forgets connections closed longer than ``closedRetention`` ago.
    func closed(_ channel: ObjectIdentifier, at now: NIODeadline) {
        departed(channel)
        watches.withLock { state in
            state.byChannel[channel]?.closedAt = now
            state.byChannel = state.byChannel.filter { entry in entry.value.closedAt.map { now - $0 < Self.closedRetention } ?? true }
        }
    }

    /// Runs `work` for the client on `channel` and cancels it (it then throws `CancellationError`) if the client leaves first.
    func run<T: Sendable>(for channel: any Channel, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let id = ObjectIdentifier(channel)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                await self.departure(of: id)
                throw CancellationError()
            }
            defer { group.cancelAll() }
            guard let result = try await group.next(), let value = result else { throw CancellationError() }
            return value
        }
    }

    /// Returns when the client of `channel` has gone (already gone: at once), or when the waiting task is cancelled.
    private func departure(of channel: ObjectIdentifier) async {
        let key = watches.withLock { state -> UInt64 in
            state.next += 1
            return state.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let alreadyGone = watches.withLock { state -> Bool in
                    // Cancelled before this registration: the cancellation handler found nothing to resume.
                    if Task.isCancelled || state.byChannel[channel]?.departed == true { return true }
                    state.byChannel[channel, default: Watch()].waiters[key] = continuation
                    return false
                }
                if alreadyGone { continuation.resume() }
            }
        } onCancel: {
            let waiter = watches.withLock { $0.byChannel[channel]?.waiters.removeValue(forKey: key) }
            waiter?.resume()
        }
    }
}
