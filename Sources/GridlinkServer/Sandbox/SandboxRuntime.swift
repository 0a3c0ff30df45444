import Foundation
import GridlinkCore
import GridlinkSandbox
import GridlinkStore
import Logging

/// How the simulation starts: speed, seed and start time for a new world (speed also overrides a stored one).
public struct SimulationOptions: Sendable {
    /// Simulated seconds per real second; nil keeps the stored speed (1 for a new world).
    public var speed: Double?
    /// Seed of a new world; nil draws one.
    public var seed: UInt64?
    /// Start time of a new world; nil uses the wall clock.
    public var start: Date?

    /// Creates options.
    public init(speed: Double? = nil, seed: UInt64? = nil, start: Date? = nil) {
        self.speed = speed
        self.seed = seed
        self.start = start
    }
}

/// The world document persisted with the clock's speed and pause state.
struct PersistedWorld: Codable {
    var settings: WorldSettings
    var speed: Double
    var isPaused: Bool
}

/// Owns the live sandbox world: brings it up to the simulation clock before every use, and persists it.
public actor SandboxRuntime {
    private var engine: SandboxEngine?
    private var savedAccounts: [String: String] = [:]
    private var savedDevices: [String: String] = [:]
    private var savedWorld: String?
    /// The simulation clock every domain component reads.
    public nonisolated let clock: SimulationClock
    private let store: Store
    private let options: SimulationOptions
    private let logger: Logger

    /// Creates a runtime; ``load()`` restores or creates the world.
    public init(store: Store, wallClock: any GridClock, options: SimulationOptions, logger: Logger) {
        self.store = store
        self.options = options
        self.logger = logger
        self.clock = SimulationClock(base: wallClock, start: options.start ?? wallClock.now(), speed: options.speed ?? 1)
    }

    /// Restores the persisted world, or creates a new one.
    public func load() async throws {
        let documents = try await store.read { try await $0.sandboxDocuments() }
        let decoder = JSONDecoder()
        if let world = documents.world {
            let persisted = try decoder.decode(PersistedWorld.self, from: Data(world.utf8))
            let accounts = try documents.accounts.values.map { try decoder.decode(VirtualAccount.self, from: Data($0.utf8)) }
            let devices = try documents.devices.values.map { try decoder.decode(SimDevice.self, from: Data($0.utf8)) }
            engine = SandboxEngine(
                settings: persisted.settings,
                accounts: accounts.sorted { $0.ordinal < $1.ordinal },
                devices: devices.sorted { $0.ordinal < $1.ordinal })
            clock.set(persisted.settings.time)
            clock.setSpeed(options.speed ?? persisted.speed)
            if persisted.isPaused { clock.pause() }
            savedAccounts = documents.accounts
            savedDevices = documents.devices
            savedWorld = world
            logger.info("Sandbox world restored at \(persisted.settings.time) with \(devices.count) devices (seed \(persisted.settings.seed))")
        } else {
            var generator = SystemRandomNumberGenerator()
            let start = Date(timeIntervalSince1970: clock.now().timeIntervalSince1970.rounded(.down))
            clock.set(start)
            engine = SandboxEngine(settings: WorldSettings(start: start, seed: options.seed ?? generator.next()))
            try await persist()
        }
    }

    /// Reads the world after bringing it up to the clock.
    public func read<T: Sendable>(_ body: (SandboxEngine) throws -> T) throws -> T {
        try body(try current())
    }

    /// Changes the world after bringing it up to the clock, then persists it. Nothing is kept when `body` throws.
    public func mutate<T: Sendable>(_ body: (inout SandboxEngine) throws -> T) async throws -> T {
        var copy = try current()
        let value = try body(&copy)
        engine = copy
        try await persist()
        return value
    }

    /// Advances the world to the clock (the background driver calls this continuously).
    public func catchUp() throws {
        _ = try current()
    }

    /// Jumps the clock forward and processes every tick and timer up to it before returning.
    public func advance(by seconds: TimeInterval) async throws {
        _ = try current()
        clock.advance(by: seconds)
        try catchUp()
        try await persist()
    }

    /// Writes every changed document in one transaction.
    public func persist() async throws {
        guard let engine else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let setting = clock.setting
        let world = String(decoding: try encoder.encode(PersistedWorld(settings: engine.settings, speed: setting.speed, isPaused: setting.isPaused)), as: UTF8.self)
        var accounts: [String: (String, String)] = [:]
        for account in engine.accounts {
            accounts[account.id] = (account.clientId, String(decoding: try encoder.encode(account), as: UTF8.self))
        }
        var devices: [String: (clientId: String, accountId: String, body: String)] = [:]
        for device in engine.devices {
            devices[device.id] = (device.clientId, device.accountId, String(decoding: try encoder.encode(device), as: UTF8.self))
        }
        let changedAccounts = accounts.filter { savedAccounts[$0.key] != $0.value.1 }
        let changedDevices = devices.filter { savedDevices[$0.key] != $0.value.body }
        let removedAccounts = savedAccounts.keys.filter { accounts[$0] == nil }
        let removedDevices = savedDevices.keys.filter { devices[$0] == nil }
        let worldChanged = world != savedWorld
        guard worldChanged || !changedAccounts.isEmpty || !changedDevices.isEmpty || !removedAccounts.isEmpty || !removedDevices.isEmpty else { return }
        let now = engine.time
        try await store.write { session in
            if worldChanged { try await session.saveSandboxWorld(world, at: now) }
            for (id, account) in changedAccounts { try await session.saveSandboxAccount(id: id, clientId: account.0, body: account.1) }
            for (id, device) in changedDevices {
                try await session.saveSandboxDevice(id: id, clientId: device.clientId, accountId: device.accountId, body: device.body)
            }
            try await session.deleteSandboxDocuments(accountIds: Array(removedAccounts), deviceIds: Array(removedDevices))
        }
        savedWorld = world
        savedAccounts = accounts.mapValues(\.1)
        savedDevices = devices.mapValues(\.body)
    }

    private func current() throws -> SandboxEngine {
        guard let time = engine?.time else { throw Problem.serviceUnavailable("The sandbox world is still loading") }
        let now = clock.now()
        if now > time { engine?.advance(to: now) }
        return engine!
    }
}
