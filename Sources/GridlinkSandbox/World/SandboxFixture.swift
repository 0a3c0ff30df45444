import Foundation
import GridlinkCore

/// One client's part of the sandbox world as one portable JSON document (`GET /sandbox/export`, `POST /sandbox/import`,
/// `gridlink serve --sandbox-fixture`): its accounts, devices, the sites they are in, its faults and pending command
/// effects, its uploaded prices, and the world's clock and random generator. The entities are the world's own
/// persisted documents; timestamps are ``FixtureTime``'s exact ISO 8601 form.
public struct SandboxFixture: Sendable, Codable, Equatable {
    /// The format this version reads and writes.
    public static let currentFormat = "gridlink-sandbox-fixture/1"

    /// Format name and version (``currentFormat``).
    public var format: String
    /// Simulation time, speed and pause state, command timing and the generator.
    public var clock: FixtureClock
    /// Virtual accounts in creation order (`clientId` is empty: a fixture belongs to whichever client imports it).
    public var accounts: [VirtualAccount]
    /// Devices in creation order.
    public var devices: [SimDevice]
    /// Conditions of the sites an account or device is in and no other client's is, by site id.
    public var sites: [String: SiteConditions]
    /// Injected faults.
    public var faults: [FaultRule]
    /// Commands accepted but not yet in effect, in due order.
    public var pendingEffects: [PendingEffect]
    /// The client's uploaded market prices (`PUT /sandbox/prices/{area}`) by area code, in time order.
    public var prices: [String: [FixturePrice]]

    /// An encoder of fixture documents: sorted keys, timestamps in ``FixtureTime``'s exact form.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(FixtureTime.format(date))
        }
        return encoder
    }

    /// A decoder of fixture documents; a malformed timestamp is a decoding error naming its field.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            guard let date = FixtureTime.parse(try container.decode(String.self)) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be an ISO 8601 timestamp")
            }
            return date
        }
        return decoder
    }
}

/// Fixture timestamps: ISO 8601 in UTC carrying every fractional digit of the stored time
/// (`2026-06-01T06:00:08.1284521Z`), so an imported world has exactly the exported times; any ISO 8601 instant is read.
public enum FixtureTime {
    /// The exact form of `date`.
    public static func format(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = Date(timeIntervalSince1970: seconds.rounded(.down)).formatted(.iso8601)
        let digits = String(seconds).split(separator: ".", maxSplits: 1)
        guard seconds >= 0, digits.count == 2, digits[1] != "0", digits[1].allSatisfy(\.isNumber) else {
            return Timestamp.format(date)
        }
        return String(whole.dropLast()) + "." + String(digits[1]) + "Z"
    }

    /// The instant `text` names: the exact form, else any ISO 8601 instant; nil when malformed.
    public static func parse(_ text: String) -> Date? {
        if text.hasSuffix("Z"), let dot = text.lastIndex(of: "."),
           let whole = try? Date(String(text[..<dot]) + "Z", strategy: .iso8601), whole.timeIntervalSince1970 >= 0 {
            let fraction = text[text.index(after: dot)..<text.index(before: text.endIndex)]
            if !fraction.isEmpty, fraction.allSatisfy(\.isNumber), let value = Double("\(Int64(whole.timeIntervalSince1970)).\(fraction)") {
                return Date(timeIntervalSince1970: value)
            }
        }
        return Timestamp.parse(text)
    }
}

/// The world-wide settings a fixture carries. An import moves the world's time to `time` (never back while other clients
/// have accounts or devices) and sets `speed` and `isPaused`; `timing`, `seed` and `random` apply only when the importing
/// client is alone in the world.
public struct FixtureClock: Sendable, Codable, Equatable {
    /// Simulation time.
    public var time: Date
    /// Simulated seconds per real second.
    public var speed: Double
    /// Whether the clock stands still.
    public var isPaused: Bool
    /// Whether commands take effect at once or after vendor latency.
    public var timing: TimingProfile
    /// The world's seed.
    public var seed: UInt64
    /// The generator's state, so the world draws the same numbers after an import.
    public var random: SeededRandom
}

/// One uploaded price slot of a fixture: `[start, end)` at `price` per kWh.
public struct FixturePrice: Sendable, Codable, Equatable {
    /// Slot start, inclusive.
    public var start: Date
    /// Slot end, exclusive.
    public var end: Date
    /// Price per kWh in the area's currency.
    public var price: Double

    /// Creates a slot.
    public init(start: Date, end: Date, price: Double) {
        self.start = start
        self.end = end
        self.price = price
    }
}

extension SandboxEngine {
    /// The client's part of the world, with the clock's `speed` and pause state and the client's uploaded `prices`
    /// (which live in the store, not in the world). Only the conditions of sites no other client's account or device is
    /// in are exported: those of a shared site are not the client's to carry to another world.
    public func fixture(of clientId: String, speed: Double, isPaused: Bool, prices: [String: [FixturePrice]]) -> SandboxFixture {
        let accounts = accounts.filter { $0.clientId == clientId }
        let devices = devices.filter { $0.clientId == clientId }
        let deviceIds = Set(devices.map(\.id))
        let siteIds = Set(accounts.map(\.siteId) + devices.map(\.siteId)).subtracting(sitesInUse(byOthersThan: clientId))
        return SandboxFixture(
            format: SandboxFixture.currentFormat,
            clock: FixtureClock(time: time, speed: speed, isPaused: isPaused, timing: settings.timing, seed: settings.seed, random: settings.random),
            accounts: accounts.map { $0.owned(by: "") }, devices: devices.map { $0.owned(by: "") },
            sites: settings.sites.filter { siteIds.contains($0.key) },
            faults: settings.faults.filter { $0.clientId == clientId }.map { $0.owned(by: "") },
            pendingEffects: settings.timers.filter { deviceIds.contains($0.deviceId) }, prices: prices)
    }

    /// Replaces the client's part of the world with the fixture's; other clients' accounts, devices, faults and sites
    /// stay. The world's time moves to the fixture's. When no other client has an account or device in the world, the
    /// fixture's timing, seed and generator apply too and its time may be earlier; otherwise the world keeps its own
    /// and a time earlier than the world's is a 409. Nothing changes when the fixture is invalid (400), holds more than
    /// `limits` allow one client (422) or uses an id or site another client's entity has (409). Its prices are the
    /// caller's to store.
    public mutating func load(_ fixture: SandboxFixture, clientId: String, limits: SandboxLimits) throws(Problem) {
        try validate(fixture, clientId: clientId)
        try Self.checkQuotas(of: fixture, limits: limits)
        let alone = !accounts.contains { $0.clientId != clientId } && !devices.contains { $0.clientId != clientId }
        if !alone && fixture.clock.time < settings.time {
            throw .conflict("\"clock.time\" \(FixtureTime.format(fixture.clock.time)) is earlier than the world's time \(FixtureTime.format(settings.time)), "
                + "and other clients have devices in this world: only a client alone in the world may move its clock back", title: "Sandbox clock in use")
        }
        reset(clientId: clientId)
        accounts += fixture.accounts.map { $0.owned(by: clientId) }
        devices += fixture.devices.map { $0.owned(by: clientId) }
        settings.faults += fixture.faults.map { $0.owned(by: clientId) }
        settings.timers = (settings.timers + fixture.pendingEffects).sorted { ($0.dueAt, $0.sequence) < ($1.dueAt, $1.sequence) }
        settings.sites.merge(fixture.sites) { $1 }
        settings.time = fixture.clock.time
        if alone {
            settings.timing = fixture.clock.timing
            settings.seed = fixture.clock.seed
            settings.random = fixture.clock.random
        }
        // Validated to at most maxOrdinal, so neither this nor later counting can overflow.
        let ordinals = fixture.accounts.map(\.ordinal) + fixture.devices.map(\.ordinal) + fixture.pendingEffects.map { Int64($0.sequence) + 1 }
        settings.sequence = max(settings.sequence, Int(ordinals.max() ?? 0))
        reindex()
    }

    /// The largest creation ordinal or effect sequence a fixture may carry (far beyond any real world, far below overflow).
    static let maxOrdinal: Int64 = 1_000_000_000_000

    /// Site ids that another client's accounts or devices are in.
    private func sitesInUse(byOthersThan clientId: String) -> Set<String> {
        Set(accounts.filter { $0.clientId != clientId }.map(\.siteId) + devices.filter { $0.clientId != clientId }.map(\.siteId))
    }

    private func validate(_ fixture: SandboxFixture, clientId: String) throws(Problem) {
        guard fixture.format == SandboxFixture.currentFormat else {
            throw .badRequest("\"format\" must be \"\(SandboxFixture.currentFormat)\"; got \"\(fixture.format)\"")
        }
        guard fixture.clock.speed > 0 && fixture.clock.speed <= 100_000 else { throw .badRequest("\"clock.speed\" must be greater than 0 and at most 100000") }
        try Self.checkDate(fixture.clock.time, field: "clock.time")
        let accountIds = Set(fixture.accounts.map(\.id)), deviceIds = Set(fixture.devices.map(\.id))
        guard accountIds.count == fixture.accounts.count, deviceIds.count == fixture.devices.count,
              Set(fixture.faults.map(\.id)).count == fixture.faults.count else {
            throw .badRequest("Account, device and fault ids must be unique within the fixture")
        }
        var logins: Set<[String]> = []
        for (index, account) in fixture.accounts.enumerated() {
            guard VendorCatalogue.all.contains(account.vendor) else { throw .badRequest("Account \(account.id): unknown vendor \"\(account.vendor)\"") }
            guard !account.username.isEmpty else { throw .badRequest("\"accounts[\(index)].username\" must not be empty") }
            guard logins.insert([account.vendor, account.username]).inserted else { throw Self.usernameTaken(vendor: account.vendor, username: account.username) }
            try Self.checkOrdinal(account.ordinal, field: "accounts[\(index)].ordinal")
            try Self.checkDate(account.createdAt, field: "accounts[\(index)].createdAt")
        }
        for (index, device) in fixture.devices.enumerated() {
            guard accountIds.contains(device.accountId) else { throw .badRequest("Device \(device.id): account \(device.accountId) is not in the fixture") }
            guard VendorCatalogue.vendors(of: device.type).contains(device.vendor), device.state.type == device.type else {
                throw .badRequest("Device \(device.id): \(device.vendor) has no \(device.type.rawValue) devices of that state")
            }
            guard device.state.pluggedPartner.map(deviceIds.contains) ?? true else {
                throw .badRequest("Device \(device.id) is plugged into a device that is not in the fixture")
            }
            try Self.checkOrdinal(device.ordinal, field: "devices[\(index)].ordinal")
            try Self.checkDate(device.createdAt, field: "devices[\(index)].createdAt")
        }
        for (index, fault) in fixture.faults.enumerated() {
            try Self.checkFaultNumbers(count: fault.remaining, countField: "remaining", minimumCount: 0, probability: fault.probability,
                                       delaySeconds: fault.delaySeconds, prefix: "faults[\(index)].")
            if let vendor = fault.scope.vendor, !VendorCatalogue.all.contains(vendor) { throw .badRequest("\"faults[\(index)].scope.vendor\" is not a known vendor") }
            if let accountId = fault.scope.accountId, !accountIds.contains(accountId) {
                throw .badRequest("\"faults[\(index)].scope.accountId\" names no account of the fixture")
            }
            if let deviceId = fault.scope.deviceId, !deviceIds.contains(deviceId) {
                throw .badRequest("\"faults[\(index)].scope.deviceId\" names no device of the fixture")
            }
        }
        for (index, effect) in fixture.pendingEffects.enumerated() {
            guard deviceIds.contains(effect.deviceId) else { throw .badRequest("A pending effect targets device \(effect.deviceId), which is not in the fixture") }
            try Self.checkOrdinal(Int64(effect.sequence), field: "pendingEffects[\(index)].sequence")
            try Self.checkDate(effect.dueAt, field: "pendingEffects[\(index)].dueAt")
        }
        for (area, slots) in fixture.prices {
            guard PriceArea.named(area) != nil else { throw .badRequest("\"prices\": unknown area \"\(area)\"") }
            try PriceUploadRules.checkCount(slots.count, field: "prices.\(area)")
            for (index, slot) in slots.enumerated() {
                _ = try PriceUploadRules.slot(start: slot.start, end: slot.end, price: slot.price, field: "prices.\(area)[\(index)]")
            }
        }
        let taken = Set(accounts.filter { $0.clientId != clientId }.map(\.id) + devices.filter { $0.clientId != clientId }.map(\.id)
            + settings.faults.filter { $0.clientId != clientId }.map(\.id))
        if let clash = (accountIds.union(deviceIds).union(fixture.faults.map(\.id))).first(where: taken.contains) {
            throw .conflict("Id \(clash) belongs to another client's sandbox on this server", title: "Sandbox id in use")
        }
        let sharedSites = sitesInUse(byOthersThan: clientId)
        if let site = fixture.sites.keys.sorted().first(where: sharedSites.contains) {
            throw .conflict("Site \(site) is in use by another client's sandbox on this server: its conditions are not this fixture's to set",
                            title: "Sandbox site in use")
        }
    }

    /// Refuses (400) an ordinal or sequence outside 0…``maxOrdinal``, naming `field`.
    private static func checkOrdinal(_ value: Int64, field: String) throws(Problem) {
        guard (0...maxOrdinal).contains(value) else { throw .badRequest("\"\(field)\" must be between 0 and \(maxOrdinal)") }
    }

    /// Refuses (400) a time outside ``Timestamp/inputRange``, naming `field`.
    private static func checkDate(_ date: Date, field: String) throws(Problem) {
        guard Timestamp.inputRange.contains(date) else { throw .badRequest("\"\(field)\" must be a date-time \(Timestamp.inputRangeText)") }
    }
}

extension SandboxEngine {
    /// Refuses (422) a fixture holding more accounts or devices than one client may.
    static func checkQuotas(of fixture: SandboxFixture, limits: SandboxLimits) throws(Problem) {
        if fixture.accounts.count > limits.accountsPerClient {
            throw SandboxLimits.tooMuch("The fixture holds \(fixture.accounts.count) accounts; accountsPerClient allows \(limits.accountsPerClient)")
        }
        if fixture.devices.count > limits.devicesPerClient {
            throw SandboxLimits.tooMuch("The fixture holds \(fixture.devices.count) devices; devicesPerClient allows \(limits.devicesPerClient)")
        }
        let perAccount = Dictionary(grouping: fixture.devices, by: \.accountId)
        if let (accountId, devices) = perAccount.first(where: { $0.value.count > limits.devicesPerAccount }) {
            throw SandboxLimits.tooMuch("Account \(accountId) holds \(devices.count) devices; devicesPerAccount allows \(limits.devicesPerAccount)")
        }
    }
}

extension VirtualAccount {
    /// The same account belonging to `clientId`.
    func owned(by clientId: String) -> VirtualAccount {
        VirtualAccount(id: id, ordinal: ordinal, clientId: clientId, vendor: vendor, username: username, password: password, siteId: siteId,
                       credentialsValid: credentialsValid, createdAt: createdAt)
    }
}

extension SimDevice {
    /// The same device belonging to `clientId`.
    func owned(by clientId: String) -> SimDevice {
        SimDevice(id: id, ordinal: ordinal, clientId: clientId, accountId: accountId, vendor: vendor, type: type, model: model, year: year,
                  name: name, siteId: siteId, isReachable: isReachable, disabledCapabilities: disabledCapabilities, state: state, createdAt: createdAt)
    }
}

extension FaultRule {
    /// The same fault belonging to `clientId`.
    func owned(by clientId: String) -> FaultRule {
        FaultRule(id: id, clientId: clientId, scope: scope, kind: kind, remaining: remaining, probability: probability, delaySeconds: delaySeconds)
    }
}

extension DeviceState {
    /// The asset type of this state.
    var type: VendorType {
        switch self {
        case .vehicle: .vehicle
        case .charger: .charger
        case .hvac: .hvac
        case .inverter: .inverter
        case .battery: .battery
        case .meter: .meter
        }
    }

    /// The device a vehicle or charger is plugged into, if any.
    var pluggedPartner: String? {
        switch self {
        case .vehicle(let vehicle): vehicle.pluggedChargerId
        case .charger(let charger): charger.pluggedVehicleId
        default: nil
        }
    }
}
