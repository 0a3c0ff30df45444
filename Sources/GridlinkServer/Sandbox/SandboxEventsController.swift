import Foundation
import GridlinkCore
import GridlinkStore
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import Synchronization

/// `GET /sandbox/events`: the calling sandbox client's outbox events as Server-Sent Events, each in the JSON a
/// webhook receives, read from the store so events written by any process arrive (a Gridlink extension).
struct SandboxEventsController: Sendable {
    let store: Store
    let wallClock: any GridClock
    /// The streams open now, at most ``EventStreamSlots/perClient`` per client.
    let slots = EventStreamSlots()

    /// Real time between reads of the outbox while a stream is open.
    static let pollInterval = Duration.milliseconds(100)
    /// Wall seconds without an event after which a comment line is sent, so proxies keep the stream and a gone
    /// client is noticed.
    static let keepAliveSeconds: TimeInterval = 15

    /// Adds the route.
    func register(in registry: RouteRegistry) {
        registry.add(.get, "/sandbox/events", operation: .init(
            "streamSandboxEvents",
            summary: "Live stream of the client's events as Server-Sent Events (Gridlink extension; `gridlink sandbox listen` reads it)",
            tag: "Sandbox",
            parameters: [.header("Last-Event-ID", "Resume after this event id (evt_<sequence>); without it the stream starts with the next event",
                                 schema: ["type": "string"])],
            responses: [200: .init("An endless text/event-stream: `id: evt_<sequence>` and `data: <event JSON>` per event",
                                   schema: ["type": "string"], contentType: "text/event-stream"),
                        406: .problem("The request's Accept header does not name text/event-stream, text/* or */*"),
                        429: .problem("The client already has the most event streams open (5)")])
        ) { request, context in
            let clientId = try SandboxController.clientId(context)
            try Self.requireEventStreamAccepted(request)
            guard let slot = slots.claim(clientId: clientId, at: wallClock.now()) else {
                throw Problem.tooManyRequests("At most \(EventStreamSlots.perClient) event streams may be open per client; close one first")
            }
            let version = context.apiVersion
            let start: Int64 = if let resume = try Self.resumeSequence(request) { resume } else {
                try await store.read { try await $0.latestEventSequence() }
            }
            let follower = OutboxFollower(store: store, clientId: clientId, wallClock: wallClock, after: start)
            let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
            return Response(status: .ok, headers: headers, body: ResponseBody { [wallClock, slots] writer in
                defer { slots.release(slot, clientId: clientId) }
                var follower = follower
                try await writer.write(ByteBuffer(string: ServerSentEvents.opening))
                var lastWrite = wallClock.now()
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    let events = try await follower.next()
                    if !events.isEmpty {
                        try await writer.write(ByteBuffer(string: try events.map { try ServerSentEvents.message($0, version: version) }.joined()))
                        lastWrite = wallClock.now()
                    } else if wallClock.now().timeIntervalSince(lastWrite) >= Self.keepAliveSeconds {
                        try await writer.write(ByteBuffer(string: ServerSentEvents.keepAlive))
                        lastWrite = wallClock.now()
                    }
                    slots.refresh(slot, clientId: clientId, at: wallClock.now())
                    try await Task.sleep(for: Self.pollInterval)
                }
                try await writer.finish(nil)
            })
        }
    }

    /// An endless stream is only for clients that ask for one: `Accept` must name `text/event-stream` (as EventSource
    /// sends) or a wildcard (curl's default); without it the answer is 406, so generic HTTP tools do not hang.
    static func requireEventStreamAccepted(_ request: Request) throws {
        let accept = request.headers[.accept]?.lowercased() ?? ""
        guard ["text/event-stream", "text/*", "*/*"].contains(where: accept.contains) else {
            throw Problem.notAcceptable("Send \"Accept: text/event-stream\": this route answers an endless Server-Sent Events stream")
        }
    }

    /// The sequence named by `Last-Event-ID` (`evt_<sequence>` or the bare number); nil without the header.
    static func resumeSequence(_ request: Request) throws -> Int64? {
        guard let value = request.headers[HTTPField.Name("Last-Event-ID")!] else { return nil }
        let digits = value.hasPrefix("evt_") ? String(value.dropFirst(4)) : value
        guard let sequence = Int64(digits), sequence >= 0 else {
            throw Problem.badRequest("\"Last-Event-ID\" must be an event id (evt_<sequence>); got \"\(value)\"")
        }
        return sequence
    }
}

/// The text of the event stream (WHATWG HTML, "Server-sent events").
enum ServerSentEvents {
    /// Sent first, so the client knows the stream is open; asks clients to reconnect after a second.
    static let opening = "retry: 1000\n: connected\n\n"
    /// A comment that keeps an idle stream alive.
    static let keepAlive = ": keep-alive\n\n"

    /// One outbox event as an SSE message: `id: evt_<sequence>` and the webhook event JSON on one `data:` line.
    static func message(_ event: OutboxEvent, version: APIVersion) throws -> String {
        let id = WebhookPayloads.eventId(sequence: event.sequence)
        let json = try WebhookPayloads.eventText(id: id, name: event.name, payload: event.payload, createdAt: event.createdAt, version: version)
        return "id: \(id)\ndata: \(json)\n\n"
    }
}

/// The event streams open per client, so one client cannot hold every connection with endless streams.
///
/// A stream refreshes its slot on every poll and gives it back when it ends; a slot not refreshed for
/// ``staleSeconds`` (a stream whose body never ran) is counted as free.
final class EventStreamSlots: Sendable {
    /// Most streams one client may have open.
    static let perClient = 5
    /// Wall seconds after which an unrefreshed slot is free again.
    static let staleSeconds: TimeInterval = 30

    private let open = Mutex<[String: [UUID: Date]]>([:])

    /// A new slot for `clientId`, or nil when the client has ``perClient`` live streams.
    func claim(clientId: String, at now: Date) -> UUID? {
        open.withLock { open in
            var live = (open[clientId] ?? [:]).filter { now.timeIntervalSince($0.value) < Self.staleSeconds }
            guard live.count < Self.perClient else { return nil }
            let slot = UUID()
            live[slot] = now
            open[clientId] = live
            return slot
        }
    }

    /// Marks `slot` as still in use.
    func refresh(_ slot: UUID, clientId: String, at now: Date) {
        open.withLock { $0[clientId]?[slot] = now }
    }

    /// Gives `slot` back.
    func release(_ slot: UUID, clientId: String) {
        open.withLock { open in
            open[clientId]?[slot] = nil
            if open[clientId]?.isEmpty == true { open[clientId] = nil }
        }
    }
}
