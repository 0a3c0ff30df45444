/// The six kinds of assets a vendor account can hold.
public enum VendorType: String, Sendable, Codable, CaseIterable {
    case vehicle, charger, hvac, inverter, battery, meter

    /// The plural used in paths, e.g. `batteries` in `/batteries/{batteryId}` and `/health/batteries`.
    public var pathSegment: String {
        self == .battery ? "batteries" : rawValue + "s"
    }
}

/// Every vendor name the API knows, per asset type (ENUMS.md §1.1).
public enum VendorCatalogue {
    /// Vehicle makes.
    public static let vehicle = [
        "ACURA", "AUDI", "BMW", "HONDA", "HYUNDAI", "JAGUAR", "LANDROVER", "KIA", "MERCEDES", "MINI", "NISSAN",
        "PEUGEOT", "PORSCHE", "RENAULT", "SEAT", "SKODA", "TESLA", "VOLKSWAGEN", "VOLVO", "FORD", "OPEL", "DS",
        "TOYOTA", "LEXUS", "CITROEN", "CUPRA", "VAUXHALL", "FIAT", "RIVIAN", "NIO", "CHEVROLET", "GMC", "CADILLAC",
        "XPENG", "POLESTAR", "SUBARU", "JEEP", "MAZDA", "MG", "CHRYSLER", "DODGE", "RAM", "ALFAROMEO", "LANCIA",
        "LUCID", "BYD", "DACIA", "ALPINE",
    ]
    /// EV charger makers.
    public static let charger = [
        "ZAPTEC", "EASEE", "WALLBOX", "EO", "CHARGEAMPS", "EVBOX", "GOE", "CHARGEPOINT", "ENELX", "TESLA", "OHME",
        "GARO", "SCHNEIDER", "PODPOINT", "KEBA", "HYPERVOLT", "MYENERGI", "HEIDELBERG",
    ]
    /// HVAC and thermostat makers.
    public static let hvac = [
        "TADO", "MILL", "ADAX", "ECOBEE", "SENSIBO", "HONEYWELL", "RESIDEO", "MITSUBISHI", "MICROMATIC", "NIBE",
        "PANASONIC", "TOSHIBA", "DAIKIN", "NEST", "FUJITSU", "BOSCH", "NETATMO",
    ]
    /// Solar inverter makers (mixed case is literal).
    public static let inverter = [
        "AFORE", "APSYSTEMS", "CSISolar", "Deye", "ENPHASE", "FOXESS", "FRONIUS", "GIVENERGY", "GOODWE", "GROWATT",
        "Hoymiles", "HUAWEI", "INVT", "SMA", "SOFAR", "SOLAREDGE", "SOLARK", "SOLAX", "SOLIS", "SOLPLANET",
        "SUNGROW", "SUNSYNK", "TESLA", "TSUN",
    ]
    /// Home battery makers.
    public static let battery = ["TESLA", "ENPHASE", "GIVENERGY", "HUAWEI", "SOLAREDGE", "SMA", "FOXESS", "SOLAX", "SOLIS"]
    /// Energy meter makers.
    public static let meter = ["ENPHASE", "GIVENERGY", "HUAWEI", "TESLA", "SMA", "SOLAREDGE", "FOXESS", "SOLAX", "SOLIS"]

    /// Vendors of one asset type.
    public static func vendors(of type: VendorType) -> [String] {
        switch type {
        case .vehicle: vehicle
        case .charger: charger
        case .hvac: hvac
        case .inverter: inverter
        case .battery: battery
        case .meter: meter
        }
    }

    /// Every vendor name of any type, without duplicates, in first-seen order.
    public static let all: [String] = {
        var seen = Set<String>()
        return VendorType.allCases.flatMap { vendors(of: $0) }.filter { seen.insert($0).inserted }
    }()
}
