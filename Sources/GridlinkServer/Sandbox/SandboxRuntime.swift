import Foundation
import GridlinkCore
import GridlinkSandbox
import GridlinkStore
import Logging

/// How the simulation starts: speed, seed and start time for a new world (speed also overrides a stored one), and the
/// per-client limits of the shared world.
public struct SimulationOptions: Sendable {
    /// Simulated seconds per real second; nil keeps the stored speed (1 for a new world).
    public var speed: Double?
    /// Seed of a new world; nil draws one.
    public var seed: UInt64?
    /// Start time of a new world; nil uses the wall clock.
    public var start: Date?
    /// What one client may hold and how much simulated work one request may cause.
    public var limits: SandboxLimits

    /// Creates options.
    public init(speed: Double? = nil, seed: UInt64? = nil, start: Date? = nil, limits: SandboxLimits = SandboxLimits()) {
        self.speed = speed
        self.seed = seed
        self.start = start
        self.limits = limits
    }
}

/// The world document persisted with the clock's speed and pause state, and the clock's anchor for other processes.
struct PersistedWorld: Codable {
    var settings: WorldSettings
    var speed: Double
    var isPaused: Bool
    /// The clock when the world was saved (nil in documents written before several processes could share a world).
    var clock: SimulationClock.Setting?
    /// Wall time of `clock` while it runs (nil while paused, so a paused world's document does not change).
    var wallTime: Date?
}

/// Owns the live sandbox world: brings it up to the simulation clock before every use, and persists it.
///
/// On a database several processes share (PostgreSQL), the holder of the `simulation` lease owns the world: it
/// advances it with the clock and checkpoints it. Other processes keep the last saved world, reloaded whenever the
/// world row's version changes, and follow the saved clock. Every change, by any process, is a compare-and-swap
/// save: the latest saved world is brought up to the clock, changed, and written only if no other process saved in
/// between (else reloaded and tried again). See docs/ARCHITECTURE.md ("The sandbox world").
public actor SandboxRuntime {
    private var engine: SandboxEngine?
    private var savedAccounts: [String: String] = [:]
    private var savedDevices: [String: String] = [:]
    private var savedWorld: String?
    /// Version of the world row the engine was loaded from or last saved as.
    private var version: Int64 = 0
    /// Whether this process advances and checkpoints the world (always on a private database).
    private var isOwner = false
    /// Serializes saves and reloads within the process.
    private let lock = AsyncLock()
    /// The simulation clock every domain component reads.
    public nonisolated let clock: SimulationClock
    /// This process's name in the simulation lease and the command log.
    public nonisolated let holder: String
    /// Whether other processes may use the same database (PostgreSQL): then the lease and compare-and-swap saves apply.
    public nonisolated let isShared: Bool
    /// What one client may hold and how much simulated work one request may cause.
    public nonisolated let limits: SandboxLimits
    private let store: Store
    private let wallClock: any GridClock
    private let options: SimulationOptions
    private let logger: Logger

    /// Name of the lease whose holder owns the world.
    static let leaseName = "simulation"
    /// How long the lease lasts without renewal (wall time): a dead owner's world is taken over after this.
    static let leaseSeconds: TimeInterval = 5
    /// Attempts of one change before giving up with 503 when other processes keep saving first.
    static let maxAttempts = 20

    /// Creates a runtime; ``load()`` restores or creates the world.
    public init(store: Store, wallClock: any GridClock, options: SimulationOptions, holder: String, logger: Logger) {
        self.store = store
        self.wallClock = wallClock
        self.options = options
        self.limits = options.limits
        self.holder = holder
        self.logger = logger
        self.isShared = store.database.dialect == .postgres
        self.clock = SimulationClock(base: wallClock, start: options.start ?? wallClock.now(), speed: options.speed ?? 1)
    }

    /// Restores the persisted world, or creates a new one. On a shared database it first tries to take the lease; a
    /// process that does not get it follows the owner's clock.
    public func load() async throws {
        try await locked {
            isOwner = isShared ? try await renewLease() : true
            let documents = try await store.read { try await $0.sandboxDocuments() }
            if documents.world != nil {
                try install(documents, followingClock: !isOwner)
                if let settings = engine?.settings {
                    do {
                        try WorldSettingsConflict.check(options, against: settings)
                    } catch {
                        // The server stops: nothing of this process may be saved over the world it refused to run.
                        isOwner = false
                        throw error
                    }
                }
                logger.info("Sandbox world restored with \(documents.devices.count) devices: \(summary)")
            } else {
                var generator = SystemRandomNumberGenerator()
                // `--sim-start` is the world's start even when start-up took a while (the clock runs from construction).
                let start = options.start ?? Date(timeIntervalSince1970: clock.now().timeIntervalSince1970.rounded(.down))
                clock.set(start)
                let world = SandboxEngine(settings: WorldSettings(start: start, seed: options.seed ?? generator.next()))
                if try await !save(world) {
                    // Another process created the world first: use it.
                    try install(try await store.read { try await $0.sandboxDocuments() }, followingClock: true)
                }
                logger.info("New sandbox world: \(summary)")
            }
            if isShared && isOwner { logger.info("This process (\(holder)) owns the sandbox world") }
        }
    }

    /// The world's seed, start, current time and speed, for start-up logs.
    private var summary: String {
        guard let settings = engine?.settings else { return "not loaded" }
        let start = settings.start.map { JSONCoding.timestamp($0) } ?? "before this server recorded starts"
        let pause = clock.setting.isPaused ? ", paused" : ""
        return "seed \(settings.seed), started \(start), now \(JSONCoding.timestamp(clock.now())), speed \(clock.setting.speed)×\(pause)"
    }

    /// Reads the world: brought up to the clock in the owning process, as last saved in the others.
    public func read<T: Sendable>(_ body: (SandboxEngine) throws -> T) async throws -> T {
        if isShared { try await locked { try await refreshIfStale() } }
        return try body(isOwner ? try current() : try saved())
    }

    /// Changes the world after bringing it up to the clock, then saves it (compare-and-swap on a shared database, retried
    /// on a newer save). Nothing is kept when `body` throws. `logging` turns the result into a command-log entry, and
    /// `alsoWriting` writes further rows, both in the save's transaction: when that fails, nothing of it is kept.
    /// `settingClock` turns the result into the clock's new setting, saved with the world and applied to the clock
    /// only once the transaction commits (so nothing reads the world at a time that was never saved).
    public func mutate<T: Sendable>(
        logging: (@Sendable (T, Date) -> SandboxCommandRecord)? = nil, alsoWriting: (@Sendable (StoreSession) async throws -> Void)? = nil,
        settingClock: ((T) -> SimulationClock.Setting)? = nil, _ body: (inout SandboxEngine) throws -> T
    ) async throws -> T {
        await lock.lock()
        do {
            for attempt in 0..<Self.maxAttempts {
                // Alone on SQLite nobody else saves; after a lost compare-and-swap, reload whatever the backend.
                if isShared || attempt > 0 { try await refreshIfStale() }
                var copy = try saved()
                let now = clock.now()
                if now > copy.time { copy.advance(to: now) }
                let value = try body(&copy)
                if try await save(copy, log: logging?(value, copy.time), alsoWriting: alsoWriting, clockSetting: settingClock?(value)) {
                    await lock.unlock()
                    return value
                }
            }
            throw Problem.serviceUnavailable("The sandbox world is changing too often: try again")
        } catch {
            await lock.unlock()
            throw error
        }
    }

    /// Advances the world to the clock in the owning process (the background driver calls this continuously).
    public func catchUp() throws {
        if isOwner { _ = try current() }
    }

    /// Refuses (422) an advance of `seconds` whose simulated work (devices in the world × seconds) exceeds the limit.
    public func checkAdvance(seconds: TimeInterval) throws {
        try limits.checkAdvance(seconds: seconds, deviceCount: try saved().devices.count)
    }

    /// Jumps the clock forward and processes every tick and timer up to it before returning. The work is done in
    /// slices of at most ``SandboxLimits/sliceWork`` device-seconds, each saved on its own, so other requests get the
    /// world in between; a cancelled task stops between slices (the world keeps the slices done). A slice runs in a
    /// task of its own, so cancellation never cuts its save short.
    public func advance(by seconds: TimeInterval) async throws {
        try checkAdvance(seconds: seconds)
        var remaining = seconds
        while remaining > 0 {
            try Task.checkCancellation()
            let slice = min(remaining, limits.sliceSeconds(deviceCount: try saved().devices.count))
            try await Task {
                try await self.mutate { [clock] engine in
                    clock.advance(by: slice)
                    engine.advance(to: clock.now())
                }
            }.value
            remaining -= slice
        }
    }

    /// Checkpoints the world in the owning process: writes every changed document in one transaction.
    public func persist() async throws {
        try await locked {
            guard isOwner else { return }
            if isShared { try await refreshIfStale() }
            // A checkpoint that lost to another process's save reloads that save (the next checkpoint then holds).
            if try await !save(try current()) { try await refreshIfStale() }
        }
    }

    /// One round of the background driver: on a shared database, renews or takes the lease every `leaseEvery`
    /// rounds and reloads a world another process saved; the owner advances the world and checkpoints it every
    /// `checkpointEvery` rounds.
    public func round(_ number: Int, leaseEvery: Int, checkpointEvery: Int) async throws {
        if isShared {
            try await locked {
                if number % leaseEvery == 0 {
                    let owns = try await renewLease()
                    if owns != isOwner {
                        logger.notice(owns ? "This process (\(holder)) took over the sandbox world" : "This process (\(holder)) lost the sandbox world to another")
                        isOwner = owns
                    }
                }
                try await refreshIfStale()
            }
        }
        try catchUp()
        if number % checkpointEvery == 0 { try await persist() }
    }

    /// Saves a last time and gives the lease up so another process takes over at once.
    public func shutDown() async throws {
        try await persist()
        if isShared && isOwner {
            try await store.write { [holder] in try await $0.releaseLease(Self.leaseName, holder: holder) }
            isOwner = false
        }
    }

    /// Writes `world` and its changed documents, the command-log entry `log` and whatever `alsoWriting` writes in one
    /// transaction if the stored version is still the loaded one, with `clockSetting` (else the clock's own), which
    /// the clock takes once it commits; false (nothing written) when another process saved first.
    private func save(
        _ world: SandboxEngine, log: SandboxCommandRecord? = nil, alsoWriting: (@Sendable (StoreSession) async throws -> Void)? = nil,
        clockSetting: SimulationClock.Setting? = nil
    ) async throws -> Bool {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let setting = clockSetting ?? clock.setting
        let persisted = PersistedWorld(
            settings: world.settings, speed: setting.speed, isPaused: setting.isPaused, clock: setting, wallTime: setting.isPaused ? nil : wallClock.now())
        let worldBody = String(decoding: try encoder.encode(persisted), as: UTF8.self)
        var accounts: [String: (String, String)] = [:]
        for account in world.accounts {
            accounts[account.id] = (account.clientId, String(decoding: try encoder.encode(account), as: UTF8.self))
        }
        var devices: [String: (clientId: String, accountId: String, body: String)] = [:]
        for device in world.devices {
            devices[device.id] = (device.clientId, device.accountId, String(decoding: try encoder.encode(device), as: UTF8.self))
        }
        let changedAccounts = accounts.filter { savedAccounts[$0.key] != $0.value.1 }
        let changedDevices = devices.filter { savedDevices[$0.key] != $0.value.body }
        let removedAccounts = savedAccounts.keys.filter { accounts[$0] == nil }
        let removedDevices = savedDevices.keys.filter { devices[$0] == nil }
        let changed = worldBody != savedWorld || !changedAccounts.isEmpty || !changedDevices.isEmpty || !removedAccounts.isEmpty || !removedDevices.isEmpty
        guard changed || log != nil || alsoWriting != nil || clockSetting != nil else {
            engine = world
            return true
        }
        let now = world.time
        let expected = version
        let saved: Int64
        do {
            saved = try await store.write { session in
                guard let saved = try await session.saveSandboxWorld(worldBody, at: now, expecting: expected) else { throw SaveConflict() }
                for (id, account) in changedAccounts { try await session.saveSandboxAccount(id: id, clientId: account.0, body: account.1) }
                for (id, device) in changedDevices {
                    try await session.saveSandboxDevice(id: id, clientId: device.clientId, accountId: device.accountId, body: device.body)
                }
                try await session.deleteSandboxDocuments(accountIds: Array(removedAccounts), deviceIds: Array(removedDevices))
                if let log { try await session.appendSandboxCommand(log) }
                if let alsoWriting { try await alsoWriting(session) }
                return saved
            }
        } catch is SaveConflict {
            return false
        }
        if let clockSetting { clock.apply(clockSetting) }
        engine = world
        version = saved
        savedWorld = worldBody
        savedAccounts = accounts.mapValues(\.1)
        savedDevices = devices.mapValues(\.body)
        return true
    }

    /// Thrown inside a save's transaction to roll it back when another process saved first.
    private struct SaveConflict: Error {}

    /// Reloads the saved world if another process saved a newer version.
    private func refreshIfStale() async throws {
        guard try await store.read({ try await $0.sandboxWorldVersion() }) != version else { return }
        try install(try await store.read { try await $0.sandboxDocuments() }, followingClock: true)
    }

    /// Replaces the engine with saved documents. A follower takes the saved clock as it runs on; otherwise (a process
    /// restoring the world at start-up) time resumes from the saved world's time, as it does not pass while no server runs.
    private func install(_ documents: SandboxDocuments, followingClock: Bool) throws {
        guard let world = documents.world else { return }
        let decoder = JSONDecoder()
        let persisted = try decoder.decode(PersistedWorld.self, from: Data(world.utf8))
        let accounts = try documents.accounts.values.map { try decoder.decode(VirtualAccount.self, from: Data($0.utf8)) }
        let devices = try documents.devices.values.map { try decoder.decode(SimDevice.self, from: Data($0.utf8)) }
        engine = SandboxEngine(
            settings: persisted.settings,
            accounts: accounts.sorted { $0.ordinal < $1.ordinal },
            devices: devices.sorted { $0.ordinal < $1.ordinal })
        if followingClock, let setting = persisted.clock {
            clock.adopt(setting, at: persisted.wallTime ?? wallClock.now())
        } else {
            clock.set(persisted.settings.time)
            clock.setSpeed(options.speed ?? persisted.speed)
            persisted.isPaused ? clock.pause() : clock.resume()
        }
        savedAccounts = documents.accounts
        savedDevices = documents.devices
        savedWorld = world
        version = documents.version
    }

    /// Takes or renews the simulation lease; true while this process holds it.
    private func renewLease() async throws -> Bool {
        let now = wallClock.now()
        return try await store.write { [holder] in
            try await $0.acquireLease(Self.leaseName, holder: holder, until: now.addingTimeInterval(Self.leaseSeconds), at: now)
        }
    }

    /// Runs `body` holding the process's save lock.
    private func locked(_ body: () async throws -> Void) async throws {
        await lock.lock()
        do {
            try await body()
            await lock.unlock()
        } catch {
            await lock.unlock()
            throw error
        }
    }

    private func saved() throws -> SandboxEngine {
        guard let engine else { throw Problem.serviceUnavailable("The sandbox world is still loading") }
        return engine
    }

    private func current() throws -> SandboxEngine {
        guard let time = engine?.time else { throw Problem.serviceUnavailable("The sandbox world is still loading") }
        let now = clock.now()
        if now > time { engine?.advance(to: now) }
        return engine!
    }
}

/// `--seed` or `--sim-start` given for a database whose world already exists with other settings: they only shape a
/// new world, so the server refuses to start rather than ignore them.
public struct WorldSettingsConflict: Error, CustomStringConvertible {
    /// What was asked, what the world has, and how to start over.
    public let description: String

    /// Throws when `options` name a seed or start other than those `settings` record.
    static func check(_ options: SimulationOptions, against settings: WorldSettings) throws {
        var differences: [String] = []
        if let seed = options.seed, seed != settings.seed { differences.append("--seed \(seed) (the world's seed is \(settings.seed))") }
        if let start = options.start, settings.start.map({ abs($0.timeIntervalSince(start)) >= 1 }) ?? true {
            let started = settings.start.map { JSONCoding.timestamp($0) } ?? "unrecorded"
            differences.append("--sim-start \(JSONCoding.timestamp(start)) (the world started \(started))")
        }
        guard !differences.isEmpty else { return }
        throw WorldSettingsConflict(description: """
            This database already has a sandbox world, so \(differences.joined(separator: " and ")) cannot apply: --seed and \
            --sim-start only shape a new world. Start without them to continue this world, or start over: stop the server and run \
            `gridlink sandbox reset --keep-clients --database …` (a new world; API clients stay), or use a new --database file.
            """)
    }
}
