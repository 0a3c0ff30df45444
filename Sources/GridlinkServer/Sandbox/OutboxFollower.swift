import Foundation
import GridlinkCore
import GridlinkStore

/// Follows one client's outbox events as they are committed, by whichever process writes them.
///
/// Sequence numbers are handed out before commit, so on PostgreSQL a lower number can become visible after a higher
/// one. The follower therefore keeps re-reading from the highest sequence it has seen for at least
/// ``commitWindow`` (wall time) and hands out each event once, the late one as soon as it shows.
struct OutboxFollower: Sendable {
    let store: Store
    let clientId: String
    let wallClock: any GridClock
    /// How long a sequence number below a visible one may still commit; store transactions take milliseconds.
    static let commitWindow: TimeInterval = 10
    /// Most events one read returns.
    static let readLimit = 1_000
    /// Most reads one call makes while they come back full, so a burst is handed out at once but in bounded chunks.
    static let readsPerCall = 10

    /// Every event at or below this sequence has been handed out or can no longer appear.
    private(set) var floor: Int64
    /// Events above ``floor`` already handed out, with the wall time they were first seen.
    private var handedOut: [Int64: Date] = [:]

    /// Starts after `sequence`: events with a higher sequence are handed out.
    init(store: Store, clientId: String, wallClock: any GridClock, after sequence: Int64) {
        self.store = store
        self.clientId = clientId
        self.wallClock = wallClock
        self.floor = sequence
    }

    /// The client's events committed since the last call (and not handed out before), in sequence order.
    mutating func next() async throws -> [OutboxEvent] {
        let now = wallClock.now()
        let (clientId, floor) = (self.clientId, self.floor)
        var visible: [OutboxEvent] = []
        var after = floor
        for _ in 0..<Self.readsPerCall {
            let page = try await store.read { [after] in try await $0.outboxEvents(clientId: clientId, after: after, limit: Self.readLimit) }
            visible += page
            // A full page may hide newer events behind ones already handed out: read on after it.
            guard page.count == Self.readLimit, let last = page.last?.sequence else { break }
            after = last
        }
        let fresh = visible.filter { handedOut[$0.sequence] == nil }
        for event in fresh { handedOut[event.sequence] = now }
        if let settled = handedOut.filter({ now.timeIntervalSince($0.value) >= Self.commitWindow }).keys.max() {
            self.floor = settled
            handedOut = handedOut.filter { $0.key > settled }
        }
        return fresh
    }
}
