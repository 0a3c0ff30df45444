import Foundation
import GridlinkCore

extension StoreSession {
    private static let assetColumns = "seq, id, client_id, user_id, type, vendor, account_ref, device_ref, scopes, location_id, body, created_at"

    /// Stores a newly discovered asset.
    public func insertAsset(_ asset: AssetRecord) async throws {
        try await connection.execute(
            """
            INSERT INTO assets (id, client_id, user_id, type, vendor, account_ref, device_ref, scopes, location_id, body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(asset.id), .text(asset.clientId), .text(asset.userId), .text(asset.type.rawValue), .text(asset.vendor),
             .text(asset.accountRef), .text(asset.deviceRef), .text(try Self.json(.array(asset.scopes.map { .string($0) }))),
             .text(asset.locationId), .text(try Self.json(asset.body)), .date(asset.createdAt)])
    }

    /// An asset's body as stored (JSON text), to tell cheaply whether it changed; nil when the asset is gone.
    public func assetBodyText(id: String) async throws -> String? {
        try await connection.query("SELECT body FROM assets WHERE id = ?", [.text(id)]).first.map { try $0.string("body") }
    }

    /// How many of the client's users have linked the vendor device `deviceRef`.
    public func userCount(clientId: String, vendor: String, deviceRef: String) async throws -> Int {
        try await connection.query(
            "SELECT COUNT(DISTINCT user_id) AS users FROM assets WHERE client_id = ? AND vendor = ? AND device_ref = ?",
            [.text(clientId), .text(vendor), .text(deviceRef)]
        ).first.map { Int(try $0.int("users")) } ?? 0
    }

    /// Replaces an asset's rendering and scopes.
    public func updateAsset(id: String, body: JSONValue, scopes: [String]) async throws {
        try await connection.execute(
            "UPDATE assets SET body = ?, scopes = ? WHERE id = ?",
            [.text(try Self.json(body)), .text(try Self.json(.array(scopes.map { .string($0) }))), .text(id)])
    }

    /// Sets or clears an asset's location.
    public func setAssetLocation(id: String, locationId: String?) async throws {
        try await connection.execute("UPDATE assets SET location_id = ? WHERE id = ?", [.text(locationId), .text(id)])
    }

    /// Deletes an asset.
    public func deleteAsset(id: String) async throws {
        try await connection.execute("DELETE FROM assets WHERE id = ?", [.text(id)])
    }

    /// The client's asset of `type` with `id`, or nil.
    public func asset(clientId: String, type: VendorType, id: String) async throws -> AssetRecord? {
        try await connection.query(
            "SELECT \(Self.assetColumns) FROM assets WHERE client_id = ? AND type = ? AND id = ?",
            [.text(clientId), .text(type.rawValue), .text(id)]
        ).first.map(Self.decodeAsset)
    }

    /// The client's asset with `id`, of any type, or nil.
    public func asset(clientId: String, id: String) async throws -> AssetRecord? {
        try await connection.query(
            "SELECT \(Self.assetColumns) FROM assets WHERE client_id = ? AND id = ?", [.text(clientId), .text(id)]
        ).first.map(Self.decodeAsset)
    }

    /// One page of the client's assets of a type, optionally of one user, newest first.
    public func assets(clientId: String, type: VendorType, userId: String?, page: PageRequest) async throws -> Page<AssetRecord> {
        var filter = "client_id = ? AND type = ?"
        var binds: [SQLValue] = [.text(clientId), .text(type.rawValue)]
        if let userId {
            filter += " AND user_id = ?"
            binds.append(.text(userId))
        }
        return try await Paginator(table: "assets", columns: Self.assetColumns, filter: filter, filterBinds: binds)
            .page(page, on: connection, decode: Self.decodeAsset)
    }

    /// Every asset of a user discovered in one vendor account.
    public func assets(clientId: String, userId: String, accountRef: String) async throws -> [AssetRecord] {
        try await connection.query(
            "SELECT \(Self.assetColumns) FROM assets WHERE client_id = ? AND user_id = ? AND account_ref = ? ORDER BY seq",
            [.text(clientId), .text(userId), .text(accountRef)]
        ).map(Self.decodeAsset)
    }

    /// Every asset of a user.
    public func assets(clientId: String, userId: String) async throws -> [AssetRecord] {
        try await connection.query(
            "SELECT \(Self.assetColumns) FROM assets WHERE client_id = ? AND user_id = ? ORDER BY seq",
            [.text(clientId), .text(userId)]
        ).map(Self.decodeAsset)
    }

    /// The ids of the assets each vendor device of the client became (one per user who linked it), oldest first, by
    /// device ref.
    public func assetIdsByDevice(clientId: String) async throws -> [String: [String]] {
        var ids: [String: [String]] = [:]
        for row in try await connection.query("SELECT id, device_ref FROM assets WHERE client_id = ? ORDER BY seq", [.text(clientId)]) {
            ids[try row.string("device_ref"), default: []].append(try row.string("id"))
        }
        return ids
    }

    /// Every asset of the client of the given types, oldest first.
    public func assets(clientId: String, types: [VendorType]) async throws -> [AssetRecord] {
        guard !types.isEmpty else { return [] }
        return try await connection.query(
            "SELECT \(Self.assetColumns) FROM assets WHERE client_id = ? AND type IN (\(Self.placeholders(types.count))) ORDER BY seq",
            [.text(clientId)] + types.map { .text($0.rawValue) }
        ).map(Self.decodeAsset)
    }

    private static func json(_ value: JSONValue) throws -> String { try StoredJSON.encode(value) }

    private static func decodeAsset(_ row: SQLRow) throws -> AssetRecord {
        let decoder = JSONDecoder()
        let scopes = try decoder.decode([String].self, from: Data(try row.string("scopes").utf8))
        return AssetRecord(
            id: try row.string("id"), clientId: try row.string("client_id"), userId: try row.string("user_id"),
            type: VendorType(rawValue: try row.string("type")) ?? .vehicle, vendor: try row.string("vendor"),
            accountRef: try row.string("account_ref"), deviceRef: try row.string("device_ref"), scopes: scopes,
            locationId: try row.optionalString("location_id"),
            body: try decoder.decode(JSONValue.self, from: Data(try row.string("body").utf8)),
            createdAt: try row.date("created_at"))
    }
}
