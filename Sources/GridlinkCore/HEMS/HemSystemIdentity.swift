import Foundation

/// Who a HEM system is: one user's inverters, batteries and meters of one vendor at one vendor site, with an id
/// derived from those three, so it is stable without being stored.
public struct HemSystemIdentity: Sendable, Hashable {
    /// Asset types a HEM system groups.
    public static let memberTypes: [VendorType] = [.inverter, .battery, .meter]

    /// The owning user.
    public let userId: String
    /// The vendor.
    public let vendor: String
    /// The vendor's site (an asset's `information.siteName`).
    public let site: String

    /// Creates an identity.
    public init(userId: String, vendor: String, site: String) {
        self.userId = userId
        self.vendor = vendor
        self.site = site
    }

    /// The identity of an inverter, battery or meter body (nil for other types or without a site).
    public init?(asset body: JSONValue, type: VendorType) {
        guard Self.memberTypes.contains(type), let userId = body["userId"]?.string, let vendor = body["vendor"]?.string,
              let site = body["information"]?["siteName"]?.string else { return nil }
        self.init(userId: userId, vendor: vendor, site: site)
    }

    /// A UUID (version 5 layout) hashed from user, vendor and site.
    public var id: String {
        var bytes = Array(digest.prefix(16))
        bytes[6] = bytes[6] & 0x0f | 0x50
        bytes[8] = bytes[8] & 0x3f | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }

    /// A stable position for paging lists of systems: 63 bits of the hash behind the id.
    public var position: Int64 {
        Int64(bitPattern: digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } & UInt64(Int64.max))
    }

    private var digest: [UInt8] { SerialNumbers.digest(userId + "\u{1F}" + vendor + "\u{1F}" + site) }
}
