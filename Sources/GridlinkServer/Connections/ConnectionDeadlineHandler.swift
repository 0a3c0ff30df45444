import NIOCore
import NIOHTTPTypes

/// A step of a request on a connection, reported by ``RequestPhaseReporter`` to ``ConnectionDeadlineHandler``.
enum RequestPhase: Sendable {
    case headReceived
    case requestEnded
    case responseEnded
}

/// Closes a connection whose client keeps it waiting: idle with no request (``ConnectionLimits/idleTimeout``), a request
/// head started but not finished (``ConnectionLimits/headerTimeout``) or a body that stalls (``ConnectionLimits/bodyTimeout``).
///
/// It sits first in the pipeline, so it sees every byte before the HTTP decoder, and learns from ``RequestPhaseReporter``
/// (after the decoder) where the request stands. While the application works on a request nothing times out. It also
/// registers the connection with the ``ConnectionGovernor`` and tells it when the connection is idle, so the governor can
/// close the longest-idle connection at the connection limit, and reports a client that leaves to ``ClientDepartures``.
/// A protocol upgrade (WebSocket) must remove it.
final class ConnectionDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private enum Stage {
        case awaitingRequest(since: NIODeadline)
        case readingHead(since: NIODeadline)
        case readingBody(lastByte: NIODeadline)
        case processing
    }

    private let governor: ConnectionGovernor
    private let departures: ClientDepartures
    private var stage = Stage.awaitingRequest(since: .uptimeNanoseconds(0))
    /// Requests whose head has arrived and whose response has not been written yet (HTTP/1.1 pipelining).
    private var requestsInFlight = 0
    private var registration: UInt64?
    private var timer: (task: Scheduled<Void>, deadline: NIODeadline)?

    /// A handler for one connection, governed by `governor`, reporting its client's departure to `departures`.
    init(governor: ConnectionGovernor, departures: ClientDepartures) {
        self.governor = governor
        self.departures = departures
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { open(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        close()
    }

    func channelActive(context: ChannelHandlerContext) {
        open(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        close()
        departures.closed(ObjectIdentifier(context.channel), at: context.eventLoop.now)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed = event as? ChannelEvent { departures.departed(ObjectIdentifier(context.channel)) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch stage {
        case .awaitingRequest: stage = .readingHead(since: context.eventLoop.now)
        case .readingBody: stage = .readingBody(lastByte: context.eventLoop.now)
        case .readingHead, .processing: break
        }
        armTimer(context)
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let phase = event as? RequestPhase else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        promise?.succeed()
        switch phase {
        case .headReceived:
            requestsInFlight += 1
            stage = .readingBody(lastByte: context.eventLoop.now)
            registration.map(governor.busy)
        case .requestEnded:
            // A response can end before its request does (an early 401): then the connection is idle again.
            if requestsInFlight > 0 {
                stage = .processing
            } else {
                let now = context.eventLoop.now
                stage = .awaitingRequest(since: now)
                registration.map { governor.idle($0, at: now) }
            }
        case .responseEnded:
            requestsInFlight = max(0, requestsInFlight - 1)
            guard requestsInFlight == 0 else { break }
            let now = context.eventLoop.now
            stage = .awaitingRequest(since: now)
            registration.map { governor.idle($0, at: now) }
        }
        armTimer(context)
    }

    private func open(_ context: ChannelHandlerContext) {
        guard registration == nil else { return }
        let now = context.eventLoop.now
        stage = .awaitingRequest(since: now)
        registration = governor.opened(context.channel, at: now)
        departures.opened(ObjectIdentifier(context.channel))
        armTimer(context)
    }

    private func close() {
        timer?.task.cancel()
        timer = nil
        if let registration { governor.closed(registration) }
        registration = nil
    }

    /// When the current stage runs out, and what closing then is logged as; nil while the application works.
    private var deadline: (at: NIODeadline, reason: ConnectionGovernor.Closing)? {
        let limits = governor.limits
        return switch stage {
        case .awaitingRequest(let since): (since + TimeAmount(limits.idleTimeout), .idleTimeout)
        case .readingHead(let since): (since + TimeAmount(limits.headerTimeout), .headerTimeout)
        case .readingBody(let lastByte): (lastByte + TimeAmount(limits.bodyTimeout), .bodyTimeout)
        case .processing: nil
        }
    }

    /// Makes sure a check runs no later than the current deadline; a later check simply re-arms itself.
    private func armTimer(_ context: ChannelHandlerContext) {
        guard let deadline = deadline?.at else { return }
        if let timer, timer.deadline <= deadline { return }
        timer?.task.cancel()
        let task = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            guard let (due, reason) = self.deadline else { return }
            if context.eventLoop.now >= due {
                governor.timedOut(reason, at: context.eventLoop.now)
                context.close(promise: nil)
            } else {
                armTimer(context)
            }
        }
        timer = (task, deadline)
    }
}

/// Tells ``ConnectionDeadlineHandler`` when a request's head and end arrive and when its response is written.
final class RequestPhaseReporter: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: context.triggerUserOutboundEvent(RequestPhase.headReceived, promise: nil)
        case .end: context.triggerUserOutboundEvent(RequestPhase.requestEnded, promise: nil)
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let isEnd = if case .end = unwrapOutboundIn(data) { true } else { false }
        context.write(data, promise: promise)
        if isEnd { context.triggerUserOutboundEvent(RequestPhase.responseEnded, promise: nil) }
    }
}
