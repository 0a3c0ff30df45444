import Foundation

/// An end user of an integrator's app, identified by the integrator's own id.
public struct User: Sendable, Equatable {
    /// The integrator-chosen user id.
    public let id: String
    /// When the user was first seen.
    public let createdAt: Date

    /// Creates a user value.
    public init(id: String, createdAt: Date) {
        self.id = id
        self.createdAt = createdAt
    }
}

/// A vendor account the user has linked, and whether its credentials still work.
public struct LinkedVendor: Sendable, Equatable, Codable {
    /// Vendor name, e.g. `TESLA`.
    public let vendor: String
    /// Asset type the vendor was linked for.
    public let vendorType: VendorType
    /// False once the vendor credentials were invalidated or removed.
    public let isValid: Bool

    /// Creates a linked-vendor value.
    public init(vendor: String, vendorType: VendorType, isValid: Bool) {
        self.vendor = vendor
        self.vendorType = vendorType
        self.isValid = isValid
    }
}
