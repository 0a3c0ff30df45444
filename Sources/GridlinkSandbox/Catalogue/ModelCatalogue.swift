/// The simulated device models, at least one per vendor of ENUMS.md §1.1.
public enum ModelCatalogue {
    /// Vehicle models.
    public static let vehicles: [VehicleModel] = [
        ("ACURA", "ZDX", 2024, 102, 11.5, 190, 5.5), ("AUDI", "Q4 e-tron", 2023, 76.6, 11, 135, 5.8),
        ("AUDI", "e-tron GT", 2022, 83.7, 11, 270, 5.2), ("BMW", "i4 eDrive40", 2023, 80.7, 11, 205, 6.3),
        ("BMW", "iX3", 2022, 74, 11, 150, 5.6), ("HONDA", "e", 2021, 28.5, 7.4, 56, 6.0),
        ("HYUNDAI", "Ioniq 5", 2023, 74, 11, 220, 6.0), ("HYUNDAI", "Kona Electric", 2022, 64, 11, 77, 6.6),
        ("JAGUAR", "I-Pace", 2022, 84.7, 11, 100, 4.8), ("LANDROVER", "Range Rover P440e", 2023, 31.8, 7, 50, 2.7),
        ("KIA", "EV6", 2023, 74, 11, 233, 6.1), ("KIA", "Niro EV", 2023, 64.8, 11, 72, 6.3),
        ("MERCEDES", "EQA 250", 2023, 66.5, 11, 100, 5.8), ("MERCEDES", "EQS 450+", 2022, 107.8, 11, 200, 6.5),
        ("MINI", "Cooper SE", 2022, 28.9, 7.4, 50, 6.3), ("NISSAN", "Leaf e+", 2022, 59, 6.6, 100, 6.2),
        ("NISSAN", "Ariya 87 kWh", 2023, 87, 7.4, 130, 5.6), ("PEUGEOT", "e-208", 2022, 46.3, 7.4, 100, 6.7),
        ("PORSCHE", "Taycan 4S", 2022, 83.7, 11, 270, 5.0), ("RENAULT", "Megane E-Tech", 2023, 60, 22, 130, 6.2),
        ("RENAULT", "Zoe R135", 2021, 52, 22, 50, 6.5), ("SEAT", "Mii electric", 2021, 32.3, 7.2, 40, 7.0),
        ("SKODA", "Enyaq iV 80", 2023, 77, 11, 135, 5.9), ("TESLA", "Model 3 Long Range", 2023, 75, 11, 250, 6.8),
        ("TESLA", "Model Y Long Range", 2023, 75, 11, 250, 6.3), ("VOLKSWAGEN", "ID.3 Pro", 2023, 58, 11, 120, 6.5),
        ("VOLKSWAGEN", "ID.4 Pro", 2023, 77, 11, 135, 5.8), ("VOLVO", "XC40 Recharge", 2022, 75, 11, 150, 5.3),
        ("VOLVO", "EX30", 2024, 64, 11, 153, 6.2), ("FORD", "Mustang Mach-E ER", 2023, 91, 11, 150, 5.6),
        ("FORD", "F-150 Lightning", 2023, 131, 19.2, 155, 3.9), ("OPEL", "Corsa-e", 2022, 46.3, 11, 100, 6.7),
        ("DS", "DS 3 E-Tense", 2023, 50.8, 11, 100, 6.3), ("TOYOTA", "bZ4X", 2023, 64, 11, 150, 6.0),
        ("LEXUS", "UX 300e", 2023, 72.8, 6.6, 50, 6.3), ("CITROEN", "e-C4", 2022, 46.3, 11, 100, 6.3),
        ("CUPRA", "Born", 2023, 58, 11, 120, 6.5), ("VAUXHALL", "Corsa Electric", 2023, 46.3, 11, 100, 6.7),
        ("FIAT", "500e", 2022, 37.3, 11, 85, 7.0), ("RIVIAN", "R1T", 2023, 128.9, 11.5, 220, 3.8),
        ("NIO", "ET7", 2023, 100, 11, 180, 5.3), ("CHEVROLET", "Bolt EV", 2022, 65, 11.5, 55, 6.7),
        ("GMC", "Hummer EV", 2023, 205, 19.2, 300, 2.6), ("CADILLAC", "Lyriq", 2023, 102, 19.2, 190, 4.6),
        ("XPENG", "G9", 2023, 93.1, 11, 300, 5.2), ("POLESTAR", "Polestar 2 Long Range", 2023, 78, 11, 155, 6.0),
        ("SUBARU", "Solterra", 2023, 64, 6.6, 100, 5.7), ("JEEP", "Avenger", 2023, 51, 11, 100, 6.5),
        ("MAZDA", "MX-30", 2022, 30, 6.6, 50, 5.8), ("MG", "MG4 Long Range", 2023, 61.7, 11, 135, 6.2),
        ("CHRYSLER", "Pacifica Hybrid", 2023, 16, 6.6, 0, 3.0), ("DODGE", "Hornet R/T", 2024, 15.5, 7.4, 0, 3.0),
        ("RAM", "ProMaster EV", 2024, 110, 11.5, 150, 3.3), ("ALFAROMEO", "Tonale Plug-In Hybrid Q4", 2023, 12, 7.4, 0, 3.0),
        ("LANCIA", "Ypsilon", 2024, 51, 11, 100, 6.6), ("LUCID", "Air Grand Touring", 2023, 112, 19.2, 300, 6.9),
        ("BYD", "Atto 3", 2023, 60.5, 11, 88, 5.9), ("DACIA", "Spring", 2023, 25, 7.4, 30, 7.3),
        ("ALPINE", "A290", 2025, 52, 11, 100, 6.3),
    ].map { VehicleModel(vendor: $0.0, model: $0.1, year: $0.2, capacityKWh: $0.3, maxACKW: $0.4, maxDCKW: $0.5, kmPerKWh: $0.6) }

    /// Charger models.
    public static let chargers: [ChargerModel] = [
        ("ZAPTEC", "Go", 2022, 32, 3), ("ZAPTEC", "Pro", 2021, 32, 3), ("EASEE", "Charge", 2022, 32, 3),
        ("EASEE", "One", 2023, 32, 1), ("WALLBOX", "Pulsar Plus", 2022, 32, 3), ("EO", "Mini Pro 3", 2022, 32, 1),
        ("CHARGEAMPS", "Halo", 2021, 32, 3), ("EVBOX", "Elvi", 2021, 32, 3), ("GOE", "go-eCharger Gemini", 2022, 32, 3),
        ("CHARGEPOINT", "Home Flex", 2022, 48, 1), ("ENELX", "JuiceBox 40", 2021, 40, 1),
        ("TESLA", "Wall Connector Gen 3", 2022, 48, 1), ("OHME", "Home Pro", 2022, 32, 1), ("GARO", "GLB+", 2022, 32, 3),
        ("SCHNEIDER", "EVlink Pro AC", 2022, 32, 3), ("PODPOINT", "Solo 3", 2022, 32, 1), ("KEBA", "KeContact P30", 2021, 32, 3),
        ("HYPERVOLT", "Home 3 Pro", 2022, 32, 1), ("MYENERGI", "zappi v2", 2021, 32, 1),
        ("HEIDELBERG", "Wallbox Energy Control", 2021, 16, 3),
    ].map { ChargerModel(vendor: $0.0, model: $0.1, year: $0.2, maxCurrent: $0.3, phases: $0.4) }

    private static let allModes = ["OFF", "AUTO", "COOL", "HEAT"]
    private static let heatModes = ["OFF", "HEAT"]

    /// HVAC models.
    public static let hvacs: [HvacModel] = [
        ("TADO", "Smart AC Control V3+", 2022, HvacKind.aggregator, allModes, 1.2), ("TADO", "Smart Thermostat", 2021, .aggregator, heatModes, 2.0),
        ("MILL", "Gen 3 Panel Heater", 2022, .heating, heatModes, 1.2), ("ADAX", "Neo WiFi", 2022, .heating, heatModes, 1.0),
        ("ECOBEE", "SmartThermostat Premium", 2022, .aggregator, allModes, 3.0), ("SENSIBO", "Air", 2022, .aggregator, allModes, 1.2),
        ("HONEYWELL", "T6 Pro", 2021, .aggregator, allModes, 3.0), ("RESIDEO", "Lyric T6", 2021, .aggregator, allModes, 3.0),
        ("MITSUBISHI", "MSZ-LN35", 2021, .heatPump, allModes, 1.0), ("MICROMATIC", "MWD5 Floor Thermostat", 2020, .heating, heatModes, 1.5),
        ("NIBE", "F2040", 2021, .heatPump, ["OFF", "AUTO", "HEAT"], 2.5), ("PANASONIC", "Etherea", 2022, .heatPump, allModes, 1.0),
        ("TOSHIBA", "Shorai Edge", 2022, .heatPump, allModes, 1.0), ("DAIKIN", "Perfera", 2022, .heatPump, allModes, 1.1),
        ("NEST", "Learning Thermostat (4th gen)", 2024, .aggregator, allModes, 3.0), ("FUJITSU", "ASYG09KMTB", 2021, .heatPump, allModes, 0.9),
        ("BOSCH", "Climate 5000", 2022, .heatPump, allModes, 1.0), ("NETATMO", "Smart Thermostat", 2021, .aggregator, heatModes, 2.0),
    ].map { HvacModel(vendor: $0.0, model: $0.1, year: $0.2, kind: $0.3, modes: $0.4, powerKW: $0.5) }

    /// Solar inverter models.
    public static let inverters: [InverterModel] = [
        ("AFORE", "HNS5000TL", 2021, 5), ("APSYSTEMS", "DS3 (4 units)", 2022, 3.2), ("CSISolar", "CSI-5K-TL", 2021, 5),
        ("Deye", "SUN-8K-SG04LP3", 2022, 8), ("ENPHASE", "IQ8+ (16 units)", 2022, 4.6), ("FOXESS", "H1-5.0-E", 2022, 5),
        ("FRONIUS", "Symo 10.0-3-M", 2021, 10), ("GIVENERGY", "Hybrid Gen 3 5kW", 2022, 5), ("GOODWE", "GW10K-ET", 2022, 10),
        ("GROWATT", "MIN 6000TL-X", 2022, 6), ("Hoymiles", "HMS-2000-4T", 2022, 2), ("HUAWEI", "SUN2000-6KTL-M1", 2022, 6),
        ("INVT", "XG5KTR", 2021, 5), ("SMA", "Sunny Tripower 8.0", 2021, 8), ("SOFAR", "6.6KTLM-G3", 2022, 6.6),
        ("SOLAREDGE", "SE7K Home Wave", 2022, 7), ("SOLARK", "12K-2P", 2022, 12), ("SOLAX", "X1-Hybrid-5.0", 2022, 5),
        ("SOLIS", "S6-GR1P5K", 2022, 5), ("SOLPLANET", "ASW5000-S", 2022, 5), ("SUNGROW", "SH10RT", 2022, 10),
        ("SUNSYNK", "8.8kW Hybrid", 2022, 8.8), ("TESLA", "Solar Inverter 7.6", 2022, 7.6), ("TSUN", "TSOL-MS2000", 2022, 2),
    ].map { InverterModel(vendor: $0.0, model: $0.1, year: $0.2, ratedKW: $0.3) }

    /// Home battery models.
    public static let batteries: [BatteryModel] = [
        ("TESLA", "Powerwall 2", 2021, 13.5, 5), ("TESLA", "Powerwall 3", 2024, 13.5, 11.5), ("ENPHASE", "IQ Battery 5P", 2023, 5, 3.84),
        ("GIVENERGY", "All in One", 2023, 13.5, 6), ("HUAWEI", "LUNA2000-10-S0", 2022, 10, 5), ("SOLAREDGE", "Home Battery 10kWh", 2022, 9.7, 5),
        ("SMA", "Home Storage 9.8", 2023, 9.8, 4.9), ("FOXESS", "ECS2900", 2022, 10.4, 5), ("SOLAX", "T-BAT H 5.8", 2022, 5.8, 3.5),
        ("SOLIS", "RAI-10K", 2023, 10, 5),
    ].map { BatteryModel(vendor: $0.0, model: $0.1, year: $0.2, capacityKWh: $0.3, maxPowerKW: $0.4) }

    /// Energy meter models.
    public static let meters: [MeterModel] = [
        ("ENPHASE", "IQ Gateway Metered", 2022), ("GIVENERGY", "EM115", 2022), ("HUAWEI", "DTSU666-H", 2022),
        ("TESLA", "Backup Gateway 2", 2022), ("SMA", "Energy Meter 2.0", 2021), ("SOLAREDGE", "Energy Meter", 2021),
        ("FOXESS", "DTSU666", 2022), ("SOLAX", "X3 Meter", 2022), ("SOLIS", "Smart Meter", 2022),
    ].map { MeterModel(vendor: $0.0, model: $0.1, year: $0.2) }
}
