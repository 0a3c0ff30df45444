import NIOCore
import Synchronization

/// Knows which clients have gone away mid-request, so long work done for them can stop.
///
/// Hummingbird finishes a handler even when its client has disconnected. ``ConnectionDeadlineHandler`` reports here when a
/// connection's input closes or the connection closes while a request is being worked on; ``run(for:_:)`` cancels the work
/// it wraps at that moment. HTTP/1.1 clients do not half-close while waiting for an answer, so a closed input means the
/// caller has left.
public final class ClientDepartures: Sendable {
    private struct Watch {
        var departed = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let watches = Mutex<(next: UInt64, byChannel: [ObjectIdentifier: Watch])>((0, [:]))

    /// Nobody has left yet.
    public init() {}

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

    /// Forgets a closed connection (after ``departed(_:)``).
    func closed(_ channel: ObjectIdentifier) {
        departed(channel)
        watches.withLock { _ = $0.byChannel.removeValue(forKey: channel) }
    }

    /// Runs `work` for the client on `channel` and cancels it (it then throws `CancellationError`) if the client leaves first.
    func run<T: Sendable>(for channel: any Channel, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let id = ObjectIdentifier(channel)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                await self.departure(of: id, isOpen: { channel.isActive })
                throw CancellationError()
            }
            defer { group.cancelAll() }
            guard let result = try await group.next(), let value = result else { throw CancellationError() }
            return value
        }
    }

    /// Returns when the client of `channel` has gone (already closed: at once), or when the waiting task is cancelled.
    private func departure(of channel: ObjectIdentifier, isOpen: @escaping @Sendable () -> Bool) async {
        let key = watches.withLock { state -> UInt64 in
            state.next += 1
            return state.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let alreadyGone = watches.withLock { state -> Bool in
                    // Cancelled before this registration: the cancellation handler found nothing to resume.
                    // A connection closed before the work started has had its watch removed already.
                    if Task.isCancelled || !isOpen() || state.byChannel[channel]?.departed == true { return true }
                    state.byChannel[channel, default: Watch()].waiters[key] = continuation
                    return false
                }
                if alreadyGone { continuation.resume() }
            }
        } onCancel: {
            let waiter = watches.withLock { state -> CheckedContinuation<Void, Never>? in
                let waiter = state.byChannel[channel]?.waiters.removeValue(forKey: key)
                if let watch = state.byChannel[channel], watch.waiters.isEmpty, !watch.departed { state.byChannel[channel] = nil }
                return waiter
            }
            waiter?.resume()
        }
    }
}
