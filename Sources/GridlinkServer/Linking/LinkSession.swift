import Foundation
import GridlinkCore

/// The Link UI languages (ENUMS LinkUILanguage).
enum LinkLanguage: String, APIEnum {
    case browser, daDK = "da-DK", deDE = "de-DE", enUS = "en-US", enGB = "en-GB", esES = "es-ES", fiFI = "fi-FI", frFR = "fr-FR"
    case itIT = "it-IT", jaJP = "ja-JP", lvLV = "lv-LV", ltLT = "lt-LT", nbNO = "nb-NO", nlNL = "nl-NL", nlBE = "nl-BE"
    case plPL = "pl-PL", ptPT = "pt-PT", roRO = "ro-RO", svSE = "sv-SE"
}

/// Link UI colour schemes.
enum ColorScheme: String, APIEnum {
    case system, light, dark
}

/// The scopes a link session can request (ENUMS Scope).
enum LinkScope: String, APIEnum {
    case batteryControlOperationMode = "battery:control:operation_mode", batteryReadData = "battery:read:data"
    case batteryReadLocation = "battery:read:location", chargerControlCharging = "charger:control:charging"
    case chargerReadData = "charger:read:data", hvacControlMode = "hvac:control:mode", hvacReadData = "hvac:read:data"
    case inverterReadData = "inverter:read:data", inverterReadLocation = "inverter:read:location", meterReadData = "meter:read:data"
    case meterReadLocation = "meter:read:location", vehicleControlCharging = "vehicle:control:charging"
    case vehicleReadData = "vehicle:read:data", vehicleReadLocation = "vehicle:read:location"
}

/// Where a link session is in its journey.
enum LinkStep: String, Codable {
    case chooseVendor, consent, login, oneTimeCode, done
}

/// A link session's state, stored as JSON with the session.
struct LinkSession: Codable {
    /// Asset type being linked.
    var vendorType: VendorType
    /// The vendor chosen by the app or the user.
    var vendor: String?
    /// Scopes the app asks for.
    var scopes: [String]
    /// Requested language (`browser` = Accept-Language).
    var language: String
    /// Where the user goes afterwards.
    var redirectUri: String?
    /// light, dark or system.
    var colorScheme: String
    /// Current step. The credentials waiting for a one-time code are not part of the stored state: see ``PendingLogins``.
    var step: LinkStep

    /// The lifetime of a session.
    static let lifetime: TimeInterval = 24 * 3600
}

/// `POST /users/{userId}/link` body from 2024-01-01.
struct LinkRequest: Decodable {
    let vendorType: VendorType
    let scopes: [LinkScope]
    let language: LinkLanguage
    let redirectUri: String
    let vendor: String?
    let colorScheme: ColorScheme?
}

/// `POST /assets/{assetId}/relink` body.
struct RelinkRequest: Decodable {
    let language: LinkLanguage
    let redirectUri: String
    let colorScheme: ColorScheme?
}

/// `POST /users/{userId}/link` body before 2024-01-01 (every field optional, `vendorType` defaults to vehicle).
struct LegacyLinkRequest: Decodable {
    let vendor: String?
    let vendorType: VendorType?
    let forceLanguage: String?
    let scopes: [String]?
    let redirectUri: String?
    let userName: String?
}
