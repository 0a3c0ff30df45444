import Foundation
import GridlinkCore
import GridlinkStore

/// Links a vendor account to a user the way a completed Link UI session does: records one `user_vendors` row per asset
/// type with the scopes granted for it, then reads the account once, which discovers its devices as the user's assets
/// (each with its `user:<type>:discovered` event). The Link UI and headless sandbox linking both end here.
struct AccountLinker: Sendable {
    let store: Store
    let synchronizer: DeviceSynchronizer
    /// Simulation time: when the user and the link were created, and the first sync.
    let clock: any GridClock

    /// A vendor account to link and the scopes the user granted, per asset type.
    struct Grant: Sendable {
        /// Owning client.
        let clientId: String
        /// The user the account is linked to (created when unknown).
        let userId: String
        /// Vendor name.
        let vendor: String
        /// The connector's account id.
        let accountRef: String
        /// Granted scopes per asset type linked; every key becomes one linked vendor row.
        let scopes: [VendorType: [String]]
    }

    /// Links `grant` when `claim`, run first in the same transaction, answers true (the Link UI spends its session
    /// there); false, with nothing written, otherwise.
    func link(_ grant: Grant, claim: @escaping @Sendable (StoreSession) async throws -> Bool = { _ in true }) async throws -> Bool {
        let now = clock.now()
        let linked = try await store.write { session -> Bool in
            guard try await claim(session) else { return false }
            try await session.ensureUser(clientId: grant.clientId, userId: grant.userId, at: now)
            for type in VendorType.allCases {
                guard let scopes = grant.scopes[type] else { continue }
                try await session.linkVendor(
                    clientId: grant.clientId, userId: grant.userId, vendor: grant.vendor, vendorType: type,
                    accountRef: grant.accountRef, scopes: scopes, at: now, syncAt: now)
            }
            return true
        }
        guard linked, let first = VendorType.allCases.first(where: { grant.scopes[$0] != nil }) else { return false }
        try await synchronizer.sync(VendorLink(
            clientId: grant.clientId, userId: grant.userId, vendor: grant.vendor, vendorType: first,
            accountRef: grant.accountRef, isValid: true, scopes: grant.scopes.values.flatMap { $0 }))
        return true
    }

    /// Throws the 403 "Connections limit reached." problem when the client's users already linked `limit` vendor accounts.
    static func requireRoom(clientId: String, limit: Int, in session: StoreSession) async throws {
        guard try await session.vendorLinkCount(clientId: clientId) < limit else {
            throw Problem.forbidden("This client has linked \(limit) vendor accounts, the most it may", title: "Connections limit reached.")
        }
    }
}
