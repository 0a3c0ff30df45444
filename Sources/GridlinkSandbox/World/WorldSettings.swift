import Foundation

/// Everything about the world besides accounts and devices: time, randomness, sites, timers and faults.
public struct WorldSettings: Sendable, Codable, Equatable {
    /// Simulation time the world has been advanced to.
    public var time: Date
    /// The seed the world started from.
    public internal(set) var seed: UInt64
    /// Simulation time the world started at (nil in worlds saved before it was recorded).
    public var start: Date?
    /// The generator, continued across restarts.
    public var random: SeededRandom
    /// Whether commands take effect instantly or after vendor latency.
    public var timing: TimingProfile
    /// Conditions per site id; unknown sites use ``SiteConditions/standard``.
    public var sites: [String: SiteConditions]
    /// Command effects waiting for their time, in due order.
    public var timers: [PendingEffect]
    /// Injected faults.
    public var faults: [FaultRule]
    /// Counter for timer ordering.
    public var sequence: Int

    /// A fresh world at `start` with `seed`.
    public init(start: Date, seed: UInt64, timing: TimingProfile = .realistic) {
        self.time = start
        self.start = start
        self.seed = seed
        self.random = SeededRandom(seed: seed)
        self.timing = timing
        self.sites = [:]
        self.timers = []
        self.faults = []
        self.sequence = 0
    }

    /// The next creation ordinal.
    mutating func nextOrdinal() -> Int64 {
        sequence += 1
        return Int64(sequence)
    }

    /// A random identifier in UUID form, drawn from the world's generator so ids replay with the seed.
    mutating func makeId() -> String {
        let high = random.next()
        let low = random.next()
        let hex = String(format: "%016llx%016llx", high, low)
        let characters = Array(hex)
        func part(_ range: Range<Int>) -> String { String(characters[range]) }
        return [part(0..<8), part(8..<12), "4" + part(13..<16), "a" + part(17..<20), part(20..<32)].joined(separator: "-")
    }
}
