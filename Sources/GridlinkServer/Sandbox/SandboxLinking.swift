import Foundation
import GridlinkCore
import GridlinkSandbox
import GridlinkStore

/// Headless linking of a sandbox vendor account to a user (`POST /sandbox/links`, `gridlink sandbox link`, the demo):
/// signs in to the virtual account through the vendor connector, as the Link UI's sign-in step does, and links it
/// through the same ``AccountLinker``, so the assets, events, linked vendors and scopes are those of a Link UI session.
struct SandboxLinking: Sendable {
    let sandbox: SandboxRuntime
    let connector: any VendorConnector
    let linker: AccountLinker
    /// Most vendor accounts one client's users may link.
    let connectionLimit: Int

    /// Which virtual account to link.
    enum Account: Sendable {
        /// An existing account of the client.
        case existing(id: String)
        /// A new account of `vendor` with `devices`, at site `siteId` (the account's own id when nil).
        case new(vendor: String, siteId: String?, devices: [DeviceSpec])
    }

    /// What was linked: the user, the vendor account and the assets its devices became.
    struct Linked: Sendable {
        /// The user.
        let userId: String
        /// Vendor name.
        let vendor: String
        /// The virtual account's id.
        let accountId: String
        /// Granted scopes, per asset type linked.
        let scopes: [VendorType: [String]]
        /// Asset ids per type, in the account's device order.
        let assetIds: [VendorType: [String]]
        /// Each sandbox device with the asset it became.
        let devices: [(deviceId: String, type: VendorType, assetId: String)]
    }

    /// Links `account` to `userId` for `clientId` with `scopes` (nil: every scope of each linked type). 400 problems
    /// name the field at fault, 404 answers an unknown account, 403 a full connection limit, 424 a vendor outage.
    func link(clientId: String, userId: String, account: Account, scopes: [String]?) async throws -> Linked {
        guard !userId.isEmpty, userId.count <= 200 else { throw Problem.badRequest("\"userId\" must be 1 to 200 characters") }
        try await linker.store.read { [limit = connectionLimit] in try await AccountLinker.requireRoom(clientId: clientId, limit: limit, in: $0) }
        let accountId: String
        switch account {
        case .existing(let id):
            accountId = id
        case .new(let vendor, let siteId, let devices):
            guard !devices.isEmpty else { throw Problem.badRequest("\"devices\" must name at least one device to link") }
            _ = try Self.grants(scopes, types: devices.map(\.type))
            // Refuse during an outage before creating anything; the sign-in below catches one that starts meanwhile.
            if try await connector.vendorStatuses(clientId: clientId, vendors: [vendor])[vendor] == .outage { throw Self.outage(vendor) }
            accountId = try await sandbox.mutate { engine in
                try engine.createAccount(
                    clientId: clientId, vendor: vendor, username: nil, password: nil, siteId: siteId, devices: devices, limits: sandbox.limits).id
            }
        }
        let (virtual, types) = try await sandbox.read { engine -> (VirtualAccount, [VendorType]) in
            guard let found = engine.account(accountId), found.clientId == clientId else { throw SandboxEngine.accountNotFound(accountId) }
            return (found, engine.devices.filter { $0.accountId == accountId }.map(\.type))
        }
        guard !types.isEmpty else { throw Problem.badRequest("\"accountId\": virtual account \(accountId) has no devices to link") }
        let granted = try Self.grants(scopes, types: types)
        let login = try await connector.login(
            clientId: clientId, vendor: virtual.vendor, vendorType: types[0], username: virtual.username, password: virtual.password,
            oneTimeCode: SandboxConnector.MagicPassword.oneTimeCode)
        let accountRef: String
        switch login {
        case .linked(let linked): accountRef = linked
        case .vendorUnavailable: throw Self.outage(virtual.vendor)
        case .invalidCredentials, .oneTimeCodeRequired: throw Problem.conflict("The sandbox refused the sign-in to virtual account \(accountId)")
        }
        let grant = AccountLinker.Grant(clientId: clientId, userId: userId, vendor: virtual.vendor, accountRef: accountRef, scopes: granted)
        _ = try await linker.link(grant) { [limit = connectionLimit] session in
            try await AccountLinker.requireRoom(clientId: clientId, limit: limit, in: session)
            return true
        }
        let assets = try await linker.store.read { try await $0.assets(clientId: clientId, userId: userId, accountRef: accountRef) }
        return Linked(
            userId: userId, vendor: virtual.vendor, accountId: accountRef, scopes: granted,
            assetIds: Dictionary(grouping: assets, by: \.type).mapValues { $0.map(\.id) },
            devices: assets.map { ($0.deviceRef, $0.type, $0.id) })
    }

    /// The 424 problem of a sign-in that met a vendor outage.
    private static func outage(_ vendor: String) -> Problem {
        .vendorUnavailable("\(vendor) is not available right now: remove the outage fault and try again")
    }

    /// The scopes granted per type: the requested ones of each type, or all of the type's scopes when none were requested.
    /// A 400 names an unknown scope, or a type of the account that none of the requested scopes covers.
    static func grants(_ requested: [String]?, types: [VendorType]) throws(Problem) -> [VendorType: [String]] {
        let all = LinkScope.allCases.map(\.rawValue)
        if let requested {
            for (index, scope) in requested.enumerated() where !all.contains(scope) {
                throw .badRequest("\"scopes[\(index)]\" must be a scope such as vehicle:read:data; got \"\(scope)\"")
            }
        }
        var grants: [VendorType: [String]] = [:]
        for type in Set(types) {
            let ofType = (requested ?? all).filter { $0.hasPrefix(type.rawValue + ":") }
            guard !ofType.isEmpty else {
                throw .badRequest("\"scopes\" must include a \(type.rawValue) scope: the account has a \(type.rawValue)")
            }
            grants[type] = ofType
        }
        return grants
    }
}
