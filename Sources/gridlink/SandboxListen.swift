import ArgumentParser
import AsyncHTTPClient
import Foundation
import GridlinkCore
import NIOCore
import NIOHTTP1

extension Sandbox {
    /// `gridlink sandbox listen`: the client's events, live, on this machine (as `stripe listen` does).
    struct Listen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the client's events as they happen and forward each batch, signed, to a local URL.",
            discussion: """
                Connects out to GET /sandbox/events (Server-Sent Events), so it works when the server cannot reach this \
                machine. Each batch is POSTed as a webhook delivery: a JSON array of events with content-type, \
                x-enode-delivery and x-enode-signature (sha1 HMAC of the body with the printed secret). Reconnects with \
                Last-Event-ID after a lost connection, so no event after the first one received is missed (events before \
                it, while listen starts, are not replayed).
                """)

        @OptionGroup var server: ServerConnectionOptions

        @Option(name: .customLong("forward-to"), help: "Where to POST each batch, e.g. http://localhost:3000/hook.")
        var forwardTo: String?

        @Option(help: "Signing secret for forwarded batches (default: a new random one, printed at start).")
        var secret: String?

        @Option(name: .customLong("api-version"), help: "Render events in this API version (default: the client's).")
        var apiVersion: String?

        func run() async throws {
            let secret = self.secret ?? RandomToken.hex(bytes: 32)
            let forwarder = forwardTo.map { EventForwarder(url: $0, secret: secret) }
            if let forwardTo { Self.say("Forwarding events to \(forwardTo); signing secret: \(secret)") }
            var lastEventId: String?
            while !Task.isCancelled {
                do {
                    try await stream(after: &lastEventId, forwarder: forwarder)
                    Self.say("The server ended the stream; reconnecting.")
                } catch {
                    Self.say("Connection lost (\(error)); reconnecting in 1 s.")
                }
                try await Task.sleep(for: .seconds(1))
            }
        }

        /// Reads the stream until it ends, printing and forwarding every batch; keeps `lastEventId` for a resume.
        private func stream(after lastEventId: inout String?, forwarder: EventForwarder?) async throws {
            var request = HTTPClientRequest(url: server.base + "/sandbox/events")
            request.headers.add(name: "Authorization", value: "Bearer \(try await server.accessToken())")
            request.headers.add(name: "Accept", value: "text/event-stream")
            if let apiVersion { request.headers.add(name: "Enode-Version", value: apiVersion) }
            if let lastEventId { request.headers.add(name: "Last-Event-ID", value: lastEventId) }
            let response = try await HTTPClient.shared.execute(request, deadline: .distantFuture)
            guard response.status == .ok else {
                let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
                throw SandboxCommandError(message: "GET /sandbox/events answered \(response.status.code): \(text)")
            }
            Self.say(lastEventId.map { "Ready! Resumed after \($0)." } ?? "Ready! Listening for events.")
            var parser = EventStreamParser()
            for try await chunk in response.body {
                let batch = parser.feed(chunk.readableBytesView)
                guard !batch.isEmpty else { continue }
                for message in batch { Self.say(Self.describe(message.data)) }
                if let forwarder { Self.say("  -> \(await forwarder.forward(batch.map(\.data)))") }
                if let id = batch.last(where: { $0.id != nil })?.id { lastEventId = id }
            }
        }

        /// Writes one line to standard output at once (no buffering, so a pipe sees it as it happens).
        static func say(_ line: String) {
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }

        /// One line for an event: time, name and id.
        static func describe(_ data: String) -> String {
            let event = try? JSONDecoder().decode(JSONValue.self, from: Data(data.utf8))
            return [event?["createdAt"], event?["event"], event?["id"]].map { $0?.string ?? "-" }.joined(separator: "  ")
        }
    }
}

/// One Server-Sent Events message: its `id` (if any) and its `data`.
struct EventStreamMessage: Equatable {
    let id: String?
    let data: String
}

/// Splits an event stream into messages as its bytes arrive (WHATWG HTML "Server-sent events"; comments ignored).
struct EventStreamParser {
    private var pending: [UInt8] = []

    /// The messages completed by `bytes`, in order; an incomplete tail (even a split character) waits for the next call.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [EventStreamMessage] {
        pending.append(contentsOf: bytes.lazy.filter { $0 != UInt8(ascii: "\r") })
        var messages: [EventStreamMessage] = []
        while let end = zip(pending.indices, pending.dropFirst()).first(where: { pending[$0.0] == 10 && $0.1 == 10 })?.0 {
            let block = String(decoding: pending[..<end], as: UTF8.self)
            pending.removeFirst(end + 2)
            var id: String?
            var data: [Substring] = []
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("id:") { id = line.dropFirst(3).trimmingCharacters(in: .whitespaces) }
                if line.hasPrefix("data:") { data.append(line.dropFirst(line.hasPrefix("data: ") ? 6 : 5)) }
            }
            if !data.isEmpty { messages.append(EventStreamMessage(id: id, data: data.joined(separator: "\n"))) }
        }
        return messages
    }
}

/// POSTs batches of events to a local URL signed as webhook deliveries are.
struct EventForwarder {
    let url: String
    let secret: String

    /// Sends the events as one JSON array and describes the answer (status or error); never throws.
    func forward(_ events: [String]) async -> String {
        let body = Data(("[" + events.joined(separator: ",") + "]").utf8)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "user-agent", value: "Gridlink-Listen/1")
        request.headers.add(name: "x-enode-delivery", value: UUID().uuidString.lowercased())
        request.headers.add(name: "x-enode-signature", value: WebhookSignature.sign(body: body, secret: secret))
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
            return "POST \(url) [\(response.status.code)]"
        } catch {
            return "POST \(url) failed: \(error)"
        }
    }
}
