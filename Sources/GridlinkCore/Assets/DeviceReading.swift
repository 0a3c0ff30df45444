import Foundation

/// A device as a vendor connector reports it, in Gridlink's connector-neutral form.
///
/// `view` has `isReachable`, `model`, `year`, `name`, `siteId`, `site {latitude, longitude}`,
/// `capabilities {name: {isCapable, interventionIds}}` and a type-specific `state`
/// (see docs/SANDBOX.md, "Device view").
public struct DeviceReading: Sendable, Equatable {
    /// The connector's id of the device.
    public let deviceRef: String
    /// Asset type.
    public let type: VendorType
    /// Vendor name.
    public let vendor: String
    /// The reading.
    public let view: JSONValue

    /// Creates a reading.
    public init(deviceRef: String, type: VendorType, vendor: String, view: JSONValue) {
        self.deviceRef = deviceRef
        self.type = type
        self.vendor = vendor
        self.view = view
    }

    /// Whether the device answered.
    public var isReachable: Bool { view["isReachable"] == .bool(true) }
}

/// Human brand names of vendor identifiers.
public enum BrandNames {
    private static let exceptions: [String: String] = [
        "LANDROVER": "Land Rover", "ALFAROMEO": "Alfa Romeo", "MERCEDES": "Mercedes-Benz", "GOE": "go-e", "EO": "EO Charging",
        "CHARGEAMPS": "Charge Amps", "EVBOX": "EVBox", "CHARGEPOINT": "ChargePoint", "ENELX": "Enel X", "PODPOINT": "Pod Point",
        "MYENERGI": "myenergi", "GIVENERGY": "GivEnergy", "FOXESS": "FoxESS", "SOLAREDGE": "SolarEdge", "SOLAX": "SolaX",
        "APSYSTEMS": "APsystems", "CSISolar": "CSI Solar", "SOLARK": "Sol-Ark", "GOODWE": "GoodWe", "BMW": "BMW", "MG": "MG",
        "DS": "DS", "NIO": "NIO", "GMC": "GMC", "BYD": "BYD", "XPENG": "XPeng", "SMA": "SMA", "INVT": "INVT", "TSUN": "TSUN",
        "KEBA": "KEBA", "GARO": "GARO", "NIBE": "NIBE",
    ]

    /// The brand shown for a vendor, e.g. `Tesla` for `TESLA`.
    public static func brand(of vendor: String) -> String {
        exceptions[vendor] ?? vendor.prefix(1).uppercased() + vendor.dropFirst().lowercased()
    }
}
