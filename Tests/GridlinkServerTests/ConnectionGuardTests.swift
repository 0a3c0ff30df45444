import Foundation
@testable import GridlinkServer
import GridlinkStore
import Logging
import NIOCore
import NIOEmbedded
import Testing

@Suite("Connection guard: cap, eviction of the longest-idle connection, timeouts; process identity")
struct ConnectionGuardTests {
    private let logger = Logger(label: "connection-guard-test")

    private func channel() async throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get()
        return channel
    }

    @Test("at the cap the longest-idle connection is closed to admit a new one; busy connections are kept")
    func evictsLongestIdle() async throws {
        // Shedding starts a slot below the cap of 5, so the server never stops accepting while a connection is idle.
        let governor = ConnectionGovernor(limits: ConnectionLimits(maxConnections: 5), logger: logger)
        let start = NIODeadline.now()
        let (busy, oldIdle, newIdle, incoming) = (try await channel(), try await channel(), try await channel(), try await channel())
        let busyId = governor.opened(busy, at: start)
        governor.busy(busyId)
        _ = governor.opened(oldIdle, at: start + .seconds(1))
        _ = governor.opened(newIdle, at: start + .seconds(2))
        #expect(oldIdle.isActive && newIdle.isActive)
        _ = governor.opened(incoming, at: start + .seconds(3))
        #expect(!oldIdle.isActive)
        #expect(busy.isActive && newIdle.isActive && incoming.isActive)
        #expect(governor.openConnections == 3)
    }

    @Test("the default cap leaves a quarter of the descriptors (at least 128) for the database and outgoing sockets")
    func defaultCap() {
        #expect(ConnectionLimits.defaultMaxConnections(fileLimit: 1_024) == 768)
        #expect(ConnectionLimits.defaultMaxConnections(fileLimit: 256) == 128)
        #expect(ConnectionLimits.defaultMaxConnections(fileLimit: 100) == 16)
        #expect(ConnectionLimits.defaultMaxConnections(fileLimit: 65_536) == 49_152)
    }

    @Test("a connection that sends half a request head is closed at the header timeout, an idle one at the idle timeout")
    func deadlines() async throws {
        let governor = ConnectionGovernor(
            limits: ConnectionLimits(maxConnections: 10, idleTimeout: .milliseconds(300), headerTimeout: .milliseconds(100)), logger: logger)
        let idle = EmbeddedChannel(handler: ConnectionDeadlineHandler(governor: governor, departures: ClientDepartures()), loop: EmbeddedEventLoop())
        let halfHead = EmbeddedChannel(handler: ConnectionDeadlineHandler(governor: governor, departures: ClientDepartures()), loop: EmbeddedEventLoop())
        for channel in [idle, halfHead] { try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get() }
        try halfHead.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\n"))
        for channel in [idle, halfHead] { (channel.eventLoop as? EmbeddedEventLoop)?.advanceTime(by: .milliseconds(150)) }
        #expect(!halfHead.isActive)
        #expect(idle.isActive)
        (idle.eventLoop as? EmbeddedEventLoop)?.advanceTime(by: .milliseconds(200))
        #expect(!idle.isActive)
        #expect(governor.openConnections == 0)
    }

    @Test("work run for a client is cancelled when the client leaves, and finishes normally while it stays")
    func departures() async throws {
        let departures = ClientDepartures()
        let staying = try await channel()
        #expect(try await departures.run(for: staying) { 42 } == 42)
        let leaving = try await channel()
        let started = ContinuousClock.now
        let work = Task {
            try await departures.run(for: leaving) {
                try await Task.sleep(for: .seconds(30))
                return 1
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        departures.departed(ObjectIdentifier(leaving))
        await #expect(throws: CancellationError.self) { try await work.value }
        // Gone before the work starts: cancelled at once too.
        await #expect(throws: CancellationError.self) {
            try await departures.run(for: leaving) {
                try await Task.sleep(for: .seconds(30))
                return 1
            }
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test("an ended earlier process on this host is recognised by its holder name; running and foreign ones are not")
    func processIdentity() throws {
        let me = ProcessIdentity(host: "h", boot: "b", pid: 10, started: "500", nonce: "n1")
        #expect(ProcessIdentity(holderName: me.holderName) == me)
        #expect(ProcessIdentity(holderName: "gridlink-abcdef") == nil)
        let running: (Int32) -> String? = { $0 == 10 ? "500" : $0 == 11 ? "600" : nil }
        // The same pid with another start time: an earlier incarnation (a restarted container's pid 1).
        #expect(me.hasOutlived(ProcessIdentity(host: "h", boot: "b", pid: 10, started: "400", nonce: "n0"), startTime: running))
        #expect(me.hasOutlived(ProcessIdentity(host: "h", boot: "b", pid: 12, started: "450", nonce: "n2"), startTime: running))
        // Still running (another server in this process, or another process), another host, another boot: kept.
        #expect(!me.hasOutlived(ProcessIdentity(host: "h", boot: "b", pid: 10, started: "500", nonce: "n3"), startTime: running))
        #expect(!me.hasOutlived(ProcessIdentity(host: "h", boot: "b", pid: 11, started: "600", nonce: "n4"), startTime: running))
        #expect(!me.hasOutlived(ProcessIdentity(host: "other", boot: "b", pid: 12, started: "450", nonce: "n5"), startTime: running))
        #expect(!me.hasOutlived(ProcessIdentity(host: "h", boot: "b2", pid: 12, started: "450", nonce: "n6"), startTime: running))
        #expect(ProcessIdentity.startTime(of: getpid()) == ProcessIdentity.forThisProcess().started)
    }
}
