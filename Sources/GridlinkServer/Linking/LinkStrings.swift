import GridlinkCore

/// The Link UI's words in English, Norwegian (bokmål) and German.
struct LinkStrings {
    /// Language code used in `<html lang>`.
    let code: String
    let chooseBrand: String
    let chooseBrandHint: String
    /// Label of the brand search field and its button.
    let searchBrands: String
    /// Shown when no brand matches the search.
    let noBrandFound: String
    let reviewAccess: String
    /// The consent page's lead: the app (`{app}`, the client's name) asks for access to the user's `{brand}` account.
    let reviewAccessHint: String
    let accept: String
    let deny: String
    let signIn: String
    let signInHint: String
    let username: String
    let password: String
    let continueLabel: String
    let wrongCredentials: String
    let vendorDown: String
    let codeTitle: String
    let codeHint: String
    let code_: String
    let wrongCode: String
    /// Shown on the sign-in form when a one-time code step can no longer be resumed (expired or restarted).
    let signInAgain: String
    let successTitle: String
    let successText: String
    let backToApp: String
    let close: String
    let expiredTitle: String
    let expiredText: String
    let usedTitle: String
    let usedText: String
    let unknownTitle: String
    let unknownText: String
    let poweredBy: String
    let scopeText: [String: String]

    /// The strings for a language tag or Accept-Language value; English when unsupported.
    static func forLanguage(_ language: String, acceptLanguage: String?) -> LinkStrings {
        let chosen = language == "browser" ? acceptLanguage.flatMap(TextLanguage.preferred(acceptLanguage:)) : TextLanguage(tag: language)
        switch chosen ?? .english {
        case .norwegian: return norwegian
        case .german: return german
        case .english: return english
        }
    }

    static let english = LinkStrings(
        code: "en", chooseBrand: "Choose your brand", chooseBrandHint: "Select the brand of the device you want to connect.",
        searchBrands: "Search brands", noBrandFound: "No brand matches your search.",
        reviewAccess: "Review data access", reviewAccessHint: "{app} asks for access to your {brand} account:",
        accept: "Allow access", deny: "Deny", signIn: "Sign in to %@", signInHint: "Use the login of your %@ account.",
        username: "Email or username", password: "Password", continueLabel: "Continue",
        wrongCredentials: "The username or password is not correct. Please try again.",
        vendorDown: "%@ is not available right now. Please try again later.",
        codeTitle: "Enter your one-time code", codeHint: "%@ sent a verification code to you.", code_: "One-time code",
        wrongCode: "That code is not correct. Please try again.",
        signInAgain: "Your sign-in timed out before the code was entered. Please sign in again.", successTitle: "Connected",
        successText: "Your %@ account is now connected.", backToApp: "Back to the app", close: "Close",
        expiredTitle: "This link has expired", expiredText: "Linking links are valid for 24 hours. Please start again from the app.",
        usedTitle: "This link has already been used", usedText: "Each linking link works once. Please start again from the app.",
        unknownTitle: "Link not found", unknownText: "This linking link does not exist.", poweredBy: "Secured by Gridlink",
        scopeText: [
            "vehicle:read:data": "Read your vehicle's battery level, range, charging state and odometer",
            "vehicle:read:location": "Read your vehicle's location",
            "vehicle:control:charging": "Start and stop your vehicle's charging",
            "charger:read:data": "Read your charger's status and charging power",
            "charger:control:charging": "Start and stop charging and set the charging current",
            "hvac:read:data": "Read temperatures and settings of your heating and cooling",
            "hvac:control:mode": "Change the mode and setpoints of your heating and cooling",
            "inverter:read:data": "Read your solar production", "inverter:read:location": "Read where your solar system is",
            "battery:read:data": "Read your home battery's level and status", "battery:read:location": "Read where your battery is",
            "battery:control:operation_mode": "Change your battery's operation mode",
            "meter:read:data": "Read your energy meter", "meter:read:location": "Read where your meter is",
        ])

    static let norwegian = LinkStrings(
        code: "nb", chooseBrand: "Velg merke", chooseBrandHint: "Velg merket til enheten du vil koble til.",
        searchBrands: "Søk etter merke", noBrandFound: "Ingen merker passer søket.",
        reviewAccess: "Se gjennom datatilgang", reviewAccessHint: "{app} ber om tilgang til {brand}-kontoen din:",
        accept: "Gi tilgang", deny: "Avslå", signIn: "Logg inn hos %@", signInHint: "Bruk innloggingen til %@-kontoen din.",
        username: "E-post eller brukernavn", password: "Passord", continueLabel: "Fortsett",
        wrongCredentials: "Brukernavnet eller passordet er feil. Prøv igjen.",
        vendorDown: "%@ er ikke tilgjengelig akkurat nå. Prøv igjen senere.",
        codeTitle: "Skriv inn engangskoden", codeHint: "%@ har sendt deg en bekreftelseskode.", code_: "Engangskode",
        wrongCode: "Koden er feil. Prøv igjen.",
        signInAgain: "Innloggingen ble tidsavbrutt før koden ble skrevet inn. Logg inn på nytt.", successTitle: "Tilkoblet",
        successText: "%@-kontoen din er nå koblet til.", backToApp: "Tilbake til appen", close: "Lukk",
        expiredTitle: "Lenken har utløpt", expiredText: "Tilkoblingslenker varer i 24 timer. Start på nytt fra appen.",
        usedTitle: "Lenken er allerede brukt", usedText: "Hver tilkoblingslenke virker én gang. Start på nytt fra appen.",
        unknownTitle: "Fant ikke lenken", unknownText: "Denne tilkoblingslenken finnes ikke.", poweredBy: "Sikret av Gridlink",
        scopeText: [
            "vehicle:read:data": "Lese batterinivå, rekkevidde, ladestatus og kilometerstand",
            "vehicle:read:location": "Lese hvor bilen er", "vehicle:control:charging": "Starte og stoppe lading av bilen",
            "charger:read:data": "Lese status og ladeeffekt for laderen",
            "charger:control:charging": "Starte og stoppe lading og sette ladestrøm",
            "hvac:read:data": "Lese temperaturer og innstillinger for oppvarming og kjøling",
            "hvac:control:mode": "Endre modus og ønsket temperatur",
            "inverter:read:data": "Lese solproduksjonen", "inverter:read:location": "Lese hvor solanlegget er",
            "battery:read:data": "Lese nivå og status for hjemmebatteriet", "battery:read:location": "Lese hvor batteriet er",
            "battery:control:operation_mode": "Endre driftsmodus for batteriet",
            "meter:read:data": "Lese strømmåleren", "meter:read:location": "Lese hvor måleren er",
        ])

    static let german = LinkStrings(
        code: "de", chooseBrand: "Marke auswählen", chooseBrandHint: "Wählen Sie die Marke des Geräts, das Sie verbinden möchten.",
        searchBrands: "Marken suchen", noBrandFound: "Keine Marke passt zu Ihrer Suche.",
        reviewAccess: "Datenzugriff prüfen", reviewAccessHint: "{app} bittet um Zugriff auf Ihr {brand}-Konto:",
        accept: "Zugriff erlauben", deny: "Ablehnen", signIn: "Bei %@ anmelden", signInHint: "Verwenden Sie die Anmeldedaten Ihres %@-Kontos.",
        username: "E-Mail oder Benutzername", password: "Passwort", continueLabel: "Weiter",
        wrongCredentials: "Benutzername oder Passwort ist falsch. Bitte versuchen Sie es erneut.",
        vendorDown: "%@ ist gerade nicht erreichbar. Bitte versuchen Sie es später erneut.",
        codeTitle: "Einmalcode eingeben", codeHint: "%@ hat Ihnen einen Bestätigungscode geschickt.", code_: "Einmalcode",
        wrongCode: "Der Code ist falsch. Bitte versuchen Sie es erneut.",
        signInAgain: "Die Anmeldung ist abgelaufen, bevor der Code eingegeben wurde. Bitte melden Sie sich erneut an.", successTitle: "Verbunden",
        successText: "Ihr %@-Konto ist jetzt verbunden.", backToApp: "Zurück zur App", close: "Schließen",
        expiredTitle: "Dieser Link ist abgelaufen", expiredText: "Verbindungslinks gelten 24 Stunden. Bitte starten Sie in der App neu.",
        usedTitle: "Dieser Link wurde bereits verwendet", usedText: "Jeder Verbindungslink funktioniert einmal. Bitte starten Sie in der App neu.",
        unknownTitle: "Link nicht gefunden", unknownText: "Diesen Verbindungslink gibt es nicht.", poweredBy: "Gesichert durch Gridlink",
        scopeText: [
            "vehicle:read:data": "Akkustand, Reichweite, Ladezustand und Kilometerstand lesen",
            "vehicle:read:location": "Standort des Fahrzeugs lesen", "vehicle:control:charging": "Laden des Fahrzeugs starten und stoppen",
            "charger:read:data": "Status und Ladeleistung der Ladestation lesen",
            "charger:control:charging": "Laden starten und stoppen und den Ladestrom einstellen",
            "hvac:read:data": "Temperaturen und Einstellungen von Heizung und Kühlung lesen",
            "hvac:control:mode": "Modus und Solltemperaturen ändern",
            "inverter:read:data": "Solarproduktion lesen", "inverter:read:location": "Standort der Solaranlage lesen",
            "battery:read:data": "Ladestand und Status des Heimspeichers lesen", "battery:read:location": "Standort des Speichers lesen",
            "battery:control:operation_mode": "Betriebsmodus des Speichers ändern",
            "meter:read:data": "Stromzähler lesen", "meter:read:location": "Standort des Zählers lesen",
        ])

    /// `template` with `%@` replaced by `value`.
    func fill(_ template: String, _ value: String) -> String {
        template.replacingOccurrences(of: "%@", with: value)
    }

    /// The consent page's lead with the app's and the brand's names (already HTML-escaped by the caller).
    func consentHint(app: String, brand: String) -> String {
        reviewAccessHint.replacingOccurrences(of: "{app}", with: app).replacingOccurrences(of: "{brand}", with: brand)
    }
}
