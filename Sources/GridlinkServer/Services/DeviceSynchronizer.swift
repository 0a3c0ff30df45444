import Foundation
import GridlinkCore
import GridlinkStore

/// Reads a linked vendor account from its connector and brings the user's assets up to date: discovered, updated
/// (with `updatedFields`) and deleted assets, and invalidated credentials, each with its outbox event in the same
/// transaction.
struct DeviceSynchronizer: Sendable {
    let store: Store
    let connector: any VendorConnector
    let clock: any GridClock

    /// Synchronizes one linked account; returns the account's next poll time.
    @discardableResult
    func sync(_ link: VendorLink) async throws -> Date {
        let reading = try await connector.readAccount(clientId: link.clientId, accountRef: link.accountRef)
        let now = clock.now()
        let next = now.addingTimeInterval(reading.pollSeconds)
        try await store.write { session in
            let existing = try await session.assets(clientId: link.clientId, userId: link.userId, accountRef: link.accountRef)
            let everyAsset = try await session.assets(clientId: link.clientId, userId: link.userId)
            let chargers = everyAsset.filter { $0.type == .charger }
            let locations = try await session.locations(clientId: link.clientId, userId: link.userId)
            func located(_ body: JSONValue, _ type: VendorType, stored: String?) -> (body: JSONValue, locationId: String?) {
                let locationId = AssetLocating.locationId(of: body, type: type, stored: stored, locations: locations, chargers: chargers)
                return (AssetLocating.placed(body, at: locationId), locationId)
            }
            var assetIds = Dictionary(everyAsset.map { ($0.deviceRef, $0.id) }, uniquingKeysWith: { first, _ in first })
            var isValid = link.isValid
            if link.isValid && !reading.credentialsValid {
                try await session.setVendorValidity(clientId: link.clientId, userId: link.userId, accountRef: link.accountRef, isValid: false)
                try await append(session, link, "user:credentials:invalidated", ["vendor": .string(link.vendor)], now)
                isValid = false
            }
            var fresh: [DeviceReading] = []
            for device in reading.devices where assetIds[device.deviceRef] == nil {
                assetIds[device.deviceRef] = UUID().uuidString.lowercased()
                fresh.append(device)
            }
            let readings = Dictionary(reading.devices.map { ($0.deviceRef, $0) }, uniquingKeysWith: { first, _ in first })
            for asset in existing {
                guard let device = readings[asset.deviceRef] else {
                    try await session.deleteAsset(id: asset.id)
                    try await append(session, link, "user:\(asset.type.rawValue):deleted", [asset.type.rawValue: asset.body], now)
                    continue
                }
                var (body, locationId) = located(
                    paired(render(device, asset: asset, isValid: isValid, assetIds: assetIds, now: now), device, chargers: chargers),
                    asset.type, stored: asset.locationId)
                // The smart-charging policy is the user's setting, not the device's.
                if asset.type == .vehicle { body["smartChargingPolicy"] = asset.body["smartChargingPolicy"] }
                if locationId != asset.locationId { try await session.setAssetLocation(id: asset.id, locationId: locationId) }
                try await record(device, assetId: asset.id, locationId: locationId, link: link, now: now, in: session)
                let changed = FieldDiff.changedFields(from: asset.body, to: body)
                try await session.updateAsset(id: asset.id, body: body, scopes: asset.scopes)
                if !changed.isEmpty {
                    try await append(session, link, "user:\(asset.type.rawValue):updated",
                                     [asset.type.rawValue: body, "updatedFields": .array(changed.map { .string($0) })], now)
                }
            }
            for device in fresh {
                let scopes = link.scopes.filter { $0.hasPrefix(device.type.rawValue + ":") }
                let context = AssetContext(
                    id: assetIds[device.deviceRef]!, userId: link.userId, scopes: scopes, locationId: nil, observedAt: now,
                    lastSeen: now, linkedAt: now, credentialsValid: isValid, assetIdsByDeviceRef: assetIds)
                let (body, locationId) = located(paired(AssetRenderer.render(device, context: context), device, chargers: chargers), device.type, stored: nil)
                try await session.insertAsset(AssetRecord(
                    id: context.id, clientId: link.clientId, userId: link.userId, type: device.type, vendor: device.vendor,
                    accountRef: link.accountRef, deviceRef: device.deviceRef, scopes: scopes, locationId: locationId, body: body, createdAt: now))
                try await record(device, assetId: context.id, locationId: locationId, link: link, now: now, in: session)
                try await append(session, link, "user:\(device.type.rawValue):discovered", [device.type.rawValue: body], now)
            }
            try await session.scheduleSync(clientId: link.clientId, userId: link.userId, accountRef: link.accountRef, at: next)
        }
        return next
    }

    /// Stores the reading's telemetry sample for statistics (valid credentials and a reachable device only).
    /// An inverter's first sample of a new local day completes the previous day's statistics, announced with
    /// `user:inverter:statistics-updated`.
    private func record(_ device: DeviceReading, assetId: String, locationId: String?, link: VendorLink, now: Date, in session: StoreSession) async throws {
        guard link.isValid, let sample = TelemetrySample.of(device, assetId: assetId, locationId: locationId, at: now) else { return }
        let previous = device.type == .inverter ? try await session.latestTelemetryTime(assetId: assetId) : nil
        try await session.appendTelemetry(sample, clientId: link.clientId, userId: link.userId)
        guard let previous else { return }
        let timeZone = try await locationId.asyncFlatMap { try await session.location(clientId: link.clientId, id: $0) }?.timeZone ?? .gmt
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard !calendar.isDate(previous, inSameDayAs: now) else { return }
        let day = calendar.dateComponents([.year, .month, .day], from: previous)
        try await append(session, link, "user:inverter:statistics-updated", [
            "inverter": ["id": .string(assetId)],
            "statistics": ["timezone": .string(timeZone.identifier), "year": .number(Double(day.year ?? 0)),
                           "month": .number(Double(day.month ?? 0)), "day": .number(Double(day.day ?? 0))],
        ], now)
    }

    private func render(_ device: DeviceReading, asset: AssetRecord, isValid: Bool, assetIds: [String: String], now: Date) -> JSONValue {
        let reachable = isValid && device.isReachable
        if !reachable {
            // An unreachable device keeps its last known data.
            var body = asset.body
            body["isReachable"] = false
            if !isValid {
                body["capabilities"] = AssetRenderer.render(device, context: context(asset, isValid: false, assetIds: assetIds, now: now, lastSeen: now))["capabilities"]
            }
            return body
        }
        return AssetRenderer.render(device, context: context(asset, isValid: true, assetIds: assetIds, now: now, lastSeen: now))
    }

    /// Applies EV-charger pairing to a vehicle body: the charger it is plugged into, else the user's first charger.
    private func paired(_ body: JSONValue, _ device: DeviceReading, chargers: [AssetRecord]) -> JSONValue {
        guard device.type == .vehicle, body["isReachable"] == .bool(true) else { return body }
        let pluggedInto = body["chargeState"]?["pluggedInChargerId"]
        let plugged = chargers.first { pluggedInto == .string($0.id) }
        guard let charger = plugged ?? chargers.first else { return body }
        return ChargerPairing.apply(to: body, reading: device, charger: charger.body, pluggedIn: plugged != nil)
    }

    private func context(_ asset: AssetRecord, isValid: Bool, assetIds: [String: String], now: Date, lastSeen: Date) -> AssetContext {
        AssetContext(
            id: asset.id, userId: asset.userId, scopes: asset.scopes, locationId: asset.locationId, observedAt: now,
            lastSeen: lastSeen, linkedAt: asset.createdAt, credentialsValid: isValid, assetIdsByDeviceRef: assetIds)
    }

    private func append(_ session: StoreSession, _ link: VendorLink, _ name: String, _ fields: [String: JSONValue], _ now: Date) async throws {
        var payload = fields
        payload["user"] = ["id": .string(link.userId)]
        try await session.appendEvent(NewOutboxEvent(
            clientId: link.clientId, userId: link.userId, name: name, payload: try EventPayload.encode(.object(payload))), at: now)
    }
}
