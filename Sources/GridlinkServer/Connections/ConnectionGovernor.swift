import Logging
import NIOCore
import Synchronization

/// Keeps the number of open connections under ``ConnectionLimits/maxConnections``: at the limit it closes the connection that
/// has waited longest without a request in progress, so idle or half-open connections cannot lock new clients out.
///
/// Connections register when they open and report when a request starts and ends (``ConnectionDeadlineHandler``). What it
/// does under pressure is logged once per condition and minute (``ConnectionWarnings``), never once per connection.
final class ConnectionGovernor: Sendable {
    /// Why a connection was closed by the server rather than by its client.
    enum Closing: String, Sendable, CaseIterable {
        case shedIdle = "the connection limit was reached: closing the longest-idle connections to admit new ones"
        case allBusy = "the connection limit was reached with every connection busy: new connections wait to be accepted"
        case idleTimeout = "closing connections idle longer than the idle timeout"
        case headerTimeout = "closing connections whose request head did not complete within the header timeout"
        case bodyTimeout = "closing connections whose request body stalled longer than the body timeout"
    }

    private struct Entry {
        let channel: any Channel
        /// When the connection last became idle; nil while a request is in progress.
        var idleSince: NIODeadline?
    }

    private struct State {
        var nextId: UInt64 = 0
        var open: [UInt64: Entry] = [:]
    }

    /// The limits the governor enforces.
    let limits: ConnectionLimits
    private let state = Mutex(State())
    private let warnings: ConnectionWarnings

    /// A governor enforcing `limits`, logging pressure to `logger`.
    init(limits: ConnectionLimits, logger: Logger) {
        self.limits = limits
        self.warnings = ConnectionWarnings(logger: logger, maxConnections: limits.maxConnections)
    }

    /// Open connections at which shedding starts: a few slots below the cap, so while idle connections can be closed the
    /// server never reaches the cap and never pauses accepting.
    var sheddingThreshold: Int { max(1, limits.maxConnections - max(1, limits.maxConnections / 64)) }

    /// Connections open now.
    var openConnections: Int { state.withLock { $0.open.count } }

    /// Records a new idle connection and returns its registration; at the limit, closes the longest-idle other connection.
    func opened(_ channel: any Channel, at now: NIODeadline) -> UInt64 {
        let (id, victim, full) = state.withLock { state -> (UInt64, (any Channel)?, Bool) in
            state.nextId += 1
            let id = state.nextId
            state.open[id] = Entry(channel: channel, idleSince: now)
            guard state.open.count >= sheddingThreshold else { return (id, nil, false) }
            var oldest: (id: UInt64, since: NIODeadline)?
            for (other, entry) in state.open where other != id {
                if let since = entry.idleSince, since < oldest?.since ?? .distantFuture { oldest = (other, since) }
            }
            guard let oldest else { return (id, nil, state.open.count >= limits.maxConnections) }
            return (id, state.open.removeValue(forKey: oldest.id)?.channel, true)
        }
        if let victim {
            victim.close(promise: nil)
            warnings.note(.shedIdle, at: now)
        } else if full {
            warnings.note(.allBusy, at: now)
        }
        return id
    }

    /// Marks connection `id` as busy with a request.
    func busy(_ id: UInt64) {
        state.withLock { $0.open[id]?.idleSince = nil }
    }

    /// Marks connection `id` as idle since `now`.
    func idle(_ id: UInt64, at now: NIODeadline) {
        state.withLock { $0.open[id]?.idleSince = now }
    }

    /// Forgets connection `id`, which has closed.
    func closed(_ id: UInt64) {
        state.withLock { $0.open[id] = nil }
    }

    /// Records that a connection was closed for `reason`.
    func timedOut(_ reason: Closing, at now: NIODeadline) {
        warnings.note(reason, at: now)
    }
}

/// Logs each ``ConnectionGovernor/Closing`` condition at most once a minute, with how often it happened since the last line.
final class ConnectionWarnings: Sendable {
    private struct Tally {
        var lastLogged: NIODeadline?
        var unlogged = 0
    }

    private let logger: Logger
    private let maxConnections: Int
    private let tallies = Mutex([ConnectionGovernor.Closing: Tally]())
    /// Shortest time between two lines about one condition.
    static let interval = TimeAmount.seconds(60)

    /// Warnings to `logger` about a server capped at `maxConnections`.
    init(logger: Logger, maxConnections: Int) {
        self.logger = logger
        self.maxConnections = maxConnections
    }

    /// Counts one occurrence of `condition`, logging a line if none was logged for it in the last minute.
    func note(_ condition: ConnectionGovernor.Closing, at now: NIODeadline) {
        let occurrences = tallies.withLock { tallies -> Int? in
            var tally = tallies[condition, default: Tally()]
            defer { tallies[condition] = tally }
            tally.unlogged += 1
            if let last = tally.lastLogged, now - last < Self.interval { return nil }
            tally.lastLogged = now
            defer { tally.unlogged = 0 }
            return tally.unlogged
        }
        guard let occurrences else { return }
        logger.warning(
            "Connections: \(condition.rawValue) (\(occurrences) time\(occurrences == 1 ? "" : "s") since the last report; limit \(maxConnections))")
    }
}
