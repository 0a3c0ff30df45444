import Foundation
import GridlinkCore
import GridlinkStore
import Logging
import ServiceLifecycle

/// Moves outbox events into per-webhook queues and delivers them in signed batches of at most 100, retrying on
/// the ``WebhookRetryPolicy`` schedule and deactivating webhooks whose failures outlast the budget.
struct WebhookDispatcher: Service {
    let store: Store
    let clock: any GridClock
    let wallClock: any GridClock
    let sender: WebhookSender
    let logger: Logger
    /// Where rounds and their work are counted and timed.
    let metrics: ServerMetrics
    /// This process's name in claims.
    let holder: String
    /// Most events per delivery.
    static let batchSize = 100
    /// How long a claim protects work from other processes (wall time); longer than a delivery can take (5 s).
    static let claimSeconds: TimeInterval = 10
    /// Real time between looks for new outbox events while events are flowing: a read of one index entry when
    /// there are none, so events written by this or another process start out within about this long.
    static let interval = Duration.milliseconds(10)
    /// Real time between looks once no event has come for ``busySeconds``, which keeps an idle server cheap.
    static let idleInterval = Duration.milliseconds(50)
    /// Wall seconds after the last event during which the dispatcher looks every ``interval``.
    static let busySeconds: TimeInterval = 2
    /// Wall time between full looks for due retries and heartbeats.
    static let dueWorkInterval: TimeInterval = 0.1

    /// Runs rounds until shutdown. Each webhook's work runs in its own task that drains its queue, and a webhook
    /// with work in flight is not started twice (new work for it is handed to the running task), so a slow or
    /// dead receiver never holds up the others.
    func run() async throws {
        let inFlight = WebhooksInFlight()
        var nextPrune = wallClock.now()
        var nextDueWork = wallClock.now()
        var lastEvent = wallClock.now()
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                try? await Task.sleep(for: wallClock.now().timeIntervalSince(lastEvent) < Self.busySeconds ? Self.interval : Self.idleInterval)
                do {
                    let wallNow = wallClock.now()
                    if wallNow >= nextPrune {
                        nextPrune = wallNow.addingTimeInterval(Self.pruneInterval)
                        try await pruneOutbox()
                    }
                    var work = try await fanOut().map(Work.deliveries)
                    if !work.isEmpty { lastEvent = wallNow }
                    if wallNow >= nextDueWork {
                        nextDueWork = wallNow.addingTimeInterval(Self.dueWorkInterval)
                        work += try await dueWork()
                    }
                    for item in work where await inFlight.begin(item.webhookId) {
                        group.addTask {
                            var next: Work? = item
                            while let current = next {
                                await perform(current)
                                next = await inFlight.end(current.webhookId) ? .deliveries(current.webhookId) : nil
                            }
                        }
                    }
                } catch {
                    logger.debug("Webhook round failed: \(error)")
                }
            }
        }
    }

    /// A unit of work for one webhook.
    enum Work: Sendable {
        case heartbeat(String)
        case deliveries(String)

        var webhookId: String {
            switch self {
            case .heartbeat(let id), .deliveries(let id): id
            }
        }
    }

    /// Heartbeats due now, then webhooks with deliveries due now.
    func dueWork() async throws -> [Work] {
        let now = clock.now()
        let wallNow = wallClock.now()
        let heartbeats = try await store.read { try await $0.webhooksDueHeartbeat(before: now.addingTimeInterval(-Self.heartbeatInterval)) }
        let deliveries = try await store.read { try await $0.webhooksWithDueDeliveries(at: now, wallNow: wallNow, limit: 50) }
        return heartbeats.map(Work.heartbeat) + deliveries.map(Work.deliveries)
    }

    /// Does one unit of work, logging failures.
    func perform(_ work: Work) async {
        do {
            switch work {
            case .heartbeat(let id): try await sendHeartbeat(webhookId: id)
            case .deliveries(let id): while try await deliver(webhookId: id) {}
            }
        } catch {
            logger.warning("Webhook \(work.webhookId) work failed: \(error)")
        }
    }

    /// Simulated seconds between heartbeats to each active webhook.
    static let heartbeatInterval: TimeInterval = 600

    /// One complete round, awaited: fan-out, then every due heartbeat and batch (tests drive the dispatcher with it).
    func runRound() async throws {
        try await fanOut()
        for work in try await dueWork() { await perform(work) }
    }

    /// Queues each unprocessed outbox event for every active webhook of its client that subscribes to it, in one
    /// transaction (which claims the events, so concurrent processes skip them); returns the webhooks that got events.
    @discardableResult
    func fanOut() async throws -> [String] {
        guard try await store.read({ try await $0.hasUnprocessedEvents() }) else { return [] }
        let now = clock.now()
        let wallNow = wallClock.now()
        return try await store.write { [holder] session in
            let events = try await session.claimEvents(holder: holder, limit: 500, claimUntil: wallNow.addingTimeInterval(Self.claimSeconds), at: wallNow)
            var webhooksByClient: [String: [Webhook]] = [:]
            var targets: [String] = []
            for event in events {
                if webhooksByClient[event.clientId] == nil { webhooksByClient[event.clientId] = try await session.activeWebhooks(clientId: event.clientId) }
                for webhook in webhooksByClient[event.clientId] ?? [] where webhook.subscribes(to: event.name) {
                    try await session.enqueueDelivery(webhookId: webhook.id, event: event, at: now)
                    if !targets.contains(webhook.id) { targets.append(webhook.id) }
                }
            }
            try await session.completeEvents(events.map(\.sequence), holder: holder, at: wallNow)
            return targets
        }
    }

    /// Sends one batch to one webhook and records the outcome; true when a full batch was delivered (more may wait).
    @discardableResult
    func deliver(webhookId: String) async throws -> Bool {
        let now = clock.now()
        let wallNow = wallClock.now()
        let claimed = try await store.write { [holder] in
            try await $0.claimDeliveries(webhookId: webhookId, holder: holder, limit: Self.batchSize, at: now,
                                         claimUntil: wallNow.addingTimeInterval(Self.claimSeconds), wallNow: wallNow)
        }
        guard !claimed.isEmpty, let webhook = try await store.read({ try await $0.webhook(id: webhookId) }) else { return false }
        let version = try await payloadVersion(of: webhook)
        let messageId = StandardWebhookSignature.messageId(webhookId: webhookId, eventSequences: claimed.map(\.eventSequence))
        let sendStart = ContinuousClock.now
        let receipt = await sender.send(try WebhookPayloads.batch(claimed, version: version), to: webhook, messageId: messageId)
        metrics.webhookDelivery(outcome: receipt.isSuccess ? "delivered" : "failed", events: claimed.count, duration: ContinuousClock.now - sendStart)
        let after = clock.now()
        let attempt = receipt.attempt(webhookId: webhookId, events: claimed.map { WebhookPayloads.name($0.eventName, in: version) }, at: now)
        if receipt.isSuccess {
            try await store.write { session in
                try await session.logAttempt(attempt)
                try await session.completeDeliveries(claimed.map(\.sequence))
                var healthy = webhook
                healthy.failingSince = nil
                healthy.lastSuccess = after
                try await session.updateWebhook(healthy)
            }
            return claimed.count == Self.batchSize
        }
        logger.info("Webhook \(webhookId) delivery failed: \(receipt.status.map(String.init) ?? receipt.error ?? "unknown")")
        let environment = try await store.read { try await $0.client(id: webhook.clientId) }?.environment ?? .production
        try await store.write { session in
            try await session.logAttempt(attempt)
            var failing = webhook
            let since = webhook.failingSince ?? after
            let budget = WebhookRetryPolicy.budget(for: environment)
            failing.failingSince = since
            if WebhookRetryPolicy.isSpent(failingSince: since, at: after, budget: budget) {
                failing.isActive = false
                try await session.dropDeliveries(webhookId: webhookId)
                logger.warning("Webhook \(webhookId) failed for its whole retry budget: pending events dropped, webhook inactive")
            } else {
                let attempts = (claimed.map(\.attempts).max() ?? 0) + 1
                let next = WebhookRetryPolicy.nextAttempt(afterFailures: attempts, at: after, failingSince: since, budget: budget, random: Double.random(in: 0..<1))
                try await session.retryDeliveries(claimed.map(\.sequence), attempts: attempts, nextAttemptAt: next)
            }
            try await session.updateWebhook(failing)
        }
        return false
    }

    /// Sends `system:heartbeat` with the number of queued events (due every ``heartbeatInterval``); a heartbeat is
    /// not retried.
    func sendHeartbeat(webhookId: String) async throws {
        let now = clock.now()
        guard let webhook = try await store.read({ try await $0.webhook(id: webhookId) }) else { return }
        let pending = try await store.read { try await $0.pendingDeliveryCount(webhookId: webhookId) }
        let version = try await payloadVersion(of: webhook)
        let event = WebhookPayloads.systemEvent("system:heartbeat", createdAt: now, version: version, fields: ["pendingEvents": .number(Double(pending))])
        let receipt = await sender.send(try WebhookPayloads.encode([event]), to: webhook, messageId: WebhookPayloads.messageId(of: event))
        try await store.write { session in
            try await session.markHeartbeat(webhookId: webhookId, at: now)
            try await session.logAttempt(receipt.attempt(webhookId: webhookId, events: ["system:heartbeat"], at: now))
        }
    }

    /// How long a processed outbox event is kept, in wall time (the simulation may run fast).
    static let outboxRetention: TimeInterval = 7 * 24 * 3600
    /// Wall time between two prunes of the outbox.
    static let pruneInterval: TimeInterval = 600
    /// Most events one pruning transaction deletes.
    static let pruneChunk = 1000

    /// Deletes outbox events fanned out more than ``outboxRetention`` ago that no webhook still has queued, in
    /// short transactions; returns how many.
    @discardableResult
    func pruneOutbox() async throws -> Int {
        let cutoff = wallClock.now().addingTimeInterval(-Self.outboxRetention)
        return try await store.deleteInChunks(of: Self.pruneChunk) { try await $0.pruneProcessedEvents(before: cutoff, limit: $1) }
    }

    /// The webhook's pinned version, else its client's.
    func payloadVersion(of webhook: Webhook) async throws -> APIVersion {
        if let version = webhook.apiVersion { return version }
        return try await store.read { try await $0.client(id: webhook.clientId) }?.apiVersion ?? .current
    }
}

/// Webhooks with work in flight in this process, and whether more work came up for them meanwhile.
actor WebhooksInFlight {
    private var ids = Set<String>()
    private var requested = Set<String>()

    /// Marks `id` busy; false when it already was (its running task is then told to look again when it ends).
    func begin(_ id: String) -> Bool {
        if ids.insert(id).inserted { return true }
        requested.insert(id)
        return false
    }

    /// Marks `id` free and returns false; returns true, leaving it busy, when work came up while it ran.
    func end(_ id: String) -> Bool {
        if requested.remove(id) != nil { return true }
        ids.remove(id)
        return false
    }
}
