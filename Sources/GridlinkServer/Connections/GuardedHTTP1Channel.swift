import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 child channel with Gridlink's connection guard in front: the ``ConnectionDeadlineHandler`` first
/// in the pipeline and the ``RequestPhaseReporter`` after the HTTP decoder.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    private let http1: HTTP1Channel
    private let governor: ConnectionGovernor
    private let departures: ClientDepartures

    /// Serves `responder` over HTTP/1.1 under `governor`, reporting clients that leave to `departures`.
    init(responder: @escaping HTTPChannelHandler.Responder, governor: ConnectionGovernor, departures: ClientDepartures) {
        self.http1 = HTTP1Channel(responder: responder, configuration: .init(additionalChannelHandlers: [RequestPhaseReporter()]))
        self.governor = governor
        self.departures = departures
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(ConnectionDeadlineHandler(governor: governor, departures: departures), position: .first)
        }.flatMap {
            http1.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// An HTTP/1.1 server whose connections are capped and timed by `governor`, reporting clients that leave to `departures`.
    static func guardedHTTP1(governor: ConnectionGovernor, departures: ClientDepartures) -> HTTPServerBuilder {
        .init { responder in GuardedHTTP1Channel(responder: responder, governor: governor, departures: departures) }
    }
}
