/// How well a vendor integration works right now (ENUMS VendorHealthStatus and VendorLinkingStatus).
public enum VendorHealthStatus: String, Sendable, CaseIterable, Codable {
    /// Working normally.
    case ready = "READY"
    /// Requests fail more often than usual; linking may need several attempts.
    case elevatedErrorRate = "ELEVATED_ERROR_RATE"
    /// The vendor is down: no data, no commands, no linking.
    case outage = "OUTAGE"
}

/// The name of the app or web portal where users sign in to each vendor (the health lists' `portalName`).
public enum VendorPortals {
    private static let names: [String: String] = [
        "TESLA": "Tesla", "BMW": "My BMW", "MINI": "MINI App", "VOLKSWAGEN": "We Connect", "AUDI": "myAudi", "SKODA": "MyŠkoda",
        "SEAT": "My SEAT", "CUPRA": "My Cupra", "MERCEDES": "Mercedes me", "HYUNDAI": "Bluelink", "KIA": "Kia Connect",
        "VOLVO": "Volvo Cars", "POLESTAR": "Polestar", "FORD": "FordPass", "NISSAN": "NissanConnect", "RENAULT": "My Renault",
        "PEUGEOT": "MyPeugeot", "CITROEN": "MyCitroën", "OPEL": "myOpel", "TOYOTA": "MyToyota", "PORSCHE": "My Porsche",
        "EASEE": "Easee", "ZAPTEC": "Zaptec Portal", "WALLBOX": "myWallbox", "MYENERGI": "myenergi app", "TADO": "tado°",
        "NEST": "Google Home", "ECOBEE": "ecobee", "MILL": "Mill", "ENPHASE": "Enlighten", "SOLAREDGE": "mySolarEdge",
        "HUAWEI": "FusionSolar", "FRONIUS": "Solar.web", "SMA": "Sunny Portal", "GIVENERGY": "GivEnergy Cloud",
        "GROWATT": "ShinePhone", "SOLIS": "SolisCloud", "SOLAX": "SolaX Cloud", "FOXESS": "FoxCloud",
    ]

    /// Where users of `vendor` sign in; the brand name when the vendor has no separately named portal.
    public static func portalName(of vendor: String) -> String {
        names[vendor] ?? BrandNames.brand(of: vendor)
    }
}
