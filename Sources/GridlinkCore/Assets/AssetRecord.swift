import Foundation

/// A user's asset as stored: identity, where it comes from, and its current rendering.
public struct AssetRecord: Sendable, Equatable {
    /// Asset id.
    public let id: String
    /// Owning client.
    public let clientId: String
    /// Owning user.
    public let userId: String
    /// Asset type.
    public let type: VendorType
    /// Vendor name.
    public let vendor: String
    /// The connector's id of the vendor account it was discovered in.
    public let accountRef: String
    /// The connector's id of the device.
    public let deviceRef: String
    /// Scopes granted for it.
    public let scopes: [String]
    /// Location it belongs to, if set.
    public let locationId: String?
    /// Current 2024-10-01 rendering.
    public let body: JSONValue
    /// When it was discovered.
    public let createdAt: Date

    /// Creates a record.
    public init(
        id: String, clientId: String, userId: String, type: VendorType, vendor: String, accountRef: String, deviceRef: String,
        scopes: [String], locationId: String?, body: JSONValue, createdAt: Date
    ) {
        self.id = id
        self.clientId = clientId
        self.userId = userId
        self.type = type
        self.vendor = vendor
        self.accountRef = accountRef
        self.deviceRef = deviceRef
        self.scopes = scopes
        self.locationId = locationId
        self.body = body
        self.createdAt = createdAt
    }
}

/// A vendor account linked for a user, as the sync service sees it.
public struct VendorLink: Sendable, Equatable {
    /// Owning client.
    public let clientId: String
    /// Owning user.
    public let userId: String
    /// Vendor name.
    public let vendor: String
    /// Asset type the link was made for.
    public let vendorType: VendorType
    /// The connector's account id.
    public let accountRef: String
    /// False once the credentials stopped working.
    public let isValid: Bool
    /// Scopes the user granted when linking; new assets of the account get those of their type.
    public let scopes: [String]

    /// Creates a link value.
    public init(clientId: String, userId: String, vendor: String, vendorType: VendorType, accountRef: String, isValid: Bool, scopes: [String]) {
        self.clientId = clientId
        self.userId = userId
        self.vendor = vendor
        self.vendorType = vendorType
        self.accountRef = accountRef
        self.isValid = isValid
        self.scopes = scopes
    }
}
