/// The words of every intervention kind in every ``TextLanguage``; `{brand}` stands for the vendor's brand.
enum InterventionTexts {
    /// The title and Markdown description of `kind` in `language`.
    static func text(_ kind: InterventionKind, _ language: TextLanguage) -> ResolutionText {
        let texts = switch language {
        case .english: english
        case .norwegian: norwegian
        case .german: german
        }
        let (title, description) = texts[kind] ?? english[kind] ?? ("", "")
        return ResolutionText(title: title, description: description)
    }

    private static let english: [InterventionKind: (String, String)] = [
        .relink: ("Re-link your device to re-enable telemetry",
                  "The vendor no longer accepts the stored login, so the device cannot be read or controlled.\n\n1. Open the app you connected the device with.\n2. Link the vendor account again with your current username and password.\n\nAll capabilities come back once the account is linked."),
        .vehicleLocationSharing: ("Turn on location sharing in the {brand} app",
                                  "Your vehicle does not share its location.\n\n1. Open the **{brand}** app.\n2. Go to the vehicle's privacy settings.\n3. Turn on **location sharing** (sometimes called *location services*).\n\nThe location is needed for smart charging at home."),
        .vehicleRemoteCharging: ("Allow remote charging control in the {brand} app",
                                 "Charging cannot be controlled remotely.\n\n1. Open the **{brand}** app.\n2. Go to the vehicle's remote services.\n3. Allow **remote charging control**.\n\nStarting and stopping charging works once this is allowed."),
        .vehicleSoftwareUpdate: ("Update your {brand}'s software",
                                 "The vehicle's software is too old to report this data.\n\n1. Open the **{brand}** app or the vehicle's settings screen.\n2. Install the latest software update while the vehicle is parked.\n\nThe data appears at the next refresh after the update."),
        .chargerCloudControl: ("Enable remote control of your {brand} charger",
                               "The charger is not connected for remote control.\n\n1. Open the **{brand}** app.\n2. Check that the charger is online.\n3. Turn on **remote control** (cloud control) for the charger."),
        .chargerLoadManagement: ("Ask your installer to unlock current adjustment",
                                 "The charger's current limit is locked by its installation settings.\n\nAsk the electrician who installed your **{brand}** charger to allow the charging current to be changed remotely."),
        .chargerFirmwareUpdate: ("Update your {brand} charger's firmware",
                                 "The charger's firmware is too old to report this data.\n\n1. Open the **{brand}** app.\n2. Install the latest firmware for the charger.\n\nThe data appears at the next refresh after the update."),
        .hvacRemoteControl: ("Allow remote control in the {brand} app",
                             "The unit does not accept remote changes.\n\n1. Open the **{brand}** app.\n2. Allow **remote control** or third-party access for the unit."),
        .hvacSchedule: ("Set up a schedule in the {brand} app",
                        "The unit has no schedule of its own to return to.\n\n1. Open the **{brand}** app.\n2. Create a weekly schedule for the unit."),
        .inverterSiteAccess: ("Ask your installer to share your solar site",
                              "Your account cannot see the solar site.\n\n1. Ask your installer to give your **{brand}** account access to the site.\n2. Link the account again once access is granted."),
        .inverterProductionHistory: ("Turn on production history in the {brand} portal",
                                     "Production statistics are not recorded.\n\n1. Sign in to the **{brand}** monitoring portal.\n2. Turn on **production history** for the site."),
        .batteryGridCharging: ("Ask your installer to enable grid charging",
                               "The battery is not allowed to charge from or export to the grid.\n\nAsk the installer of your **{brand}** battery to enable grid charging and export in the installation settings."),
        .batteryAdvancedModes: ("Enable advanced modes in the {brand} app",
                                "These operation modes are switched off.\n\n1. Open the **{brand}** app.\n2. Turn on **advanced operation modes** (time of use, self-consumption)."),
        .meterConsumption: ("Ask your installer to fit a consumption meter",
                            "No meter measures the home's consumption.\n\nAsk your installer to fit a consumption meter (current clamp) for your **{brand}** system."),
        .meterProduction: ("Ask your installer to connect the production meter",
                           "The production meter is not connected.\n\nAsk your installer to connect the production meter of your **{brand}** system."),
    ]

    private static let norwegian: [InterventionKind: (String, String)] = [
        .relink: ("Koble til enheten på nytt for å få data igjen",
                  "Leverandøren godtar ikke lenger den lagrede innloggingen, så enheten kan ikke leses eller styres.\n\n1. Åpne appen du koblet til enheten med.\n2. Koble til leverandørkontoen på nytt med gjeldende brukernavn og passord.\n\nAlle funksjoner kommer tilbake når kontoen er koblet til."),
        .vehicleLocationSharing: ("Slå på posisjonsdeling i {brand}-appen",
                                  "Bilen deler ikke posisjonen sin.\n\n1. Åpne **{brand}**-appen.\n2. Gå til bilens personverninnstillinger.\n3. Slå på **posisjonsdeling** (noen ganger kalt *posisjonstjenester*).\n\nPosisjonen trengs for smartlading hjemme."),
        .vehicleRemoteCharging: ("Tillat fjernstyring av lading i {brand}-appen",
                                 "Ladingen kan ikke fjernstyres.\n\n1. Åpne **{brand}**-appen.\n2. Gå til bilens fjerntjenester.\n3. Tillat **fjernstyring av lading**.\n\nStart og stopp av lading virker når dette er tillatt."),
        .vehicleSoftwareUpdate: ("Oppdater programvaren i {brand}-bilen",
                                 "Bilens programvare er for gammel til å rapportere disse dataene.\n\n1. Åpne **{brand}**-appen eller bilens innstillinger.\n2. Installer siste programvareoppdatering mens bilen står parkert.\n\nDataene vises ved neste oppdatering etter installasjonen."),
        .chargerCloudControl: ("Slå på fjernstyring av {brand}-laderen",
                               "Laderen er ikke koblet til for fjernstyring.\n\n1. Åpne **{brand}**-appen.\n2. Sjekk at laderen er tilkoblet.\n3. Slå på **fjernstyring** (skystyring) for laderen."),
        .chargerLoadManagement: ("Be installatøren låse opp strømjustering",
                                 "Laderens strømgrense er låst i installasjonsinnstillingene.\n\nBe elektrikeren som installerte **{brand}**-laderen om å tillate at ladestrømmen endres eksternt."),
        .chargerFirmwareUpdate: ("Oppdater fastvaren på {brand}-laderen",
                                 "Laderens fastvare er for gammel til å rapportere disse dataene.\n\n1. Åpne **{brand}**-appen.\n2. Installer siste fastvare for laderen.\n\nDataene vises ved neste oppdatering etter installasjonen."),
        .hvacRemoteControl: ("Tillat fjernstyring i {brand}-appen",
                             "Enheten tar ikke imot endringer eksternt.\n\n1. Åpne **{brand}**-appen.\n2. Tillat **fjernstyring** eller tilgang for tredjeparter."),
        .hvacSchedule: ("Lag en tidsplan i {brand}-appen",
                        "Enheten har ingen egen tidsplan å gå tilbake til.\n\n1. Åpne **{brand}**-appen.\n2. Lag en ukeplan for enheten."),
        .inverterSiteAccess: ("Be installatøren dele solanlegget med deg",
                              "Kontoen din ser ikke solanlegget.\n\n1. Be installatøren gi **{brand}**-kontoen din tilgang til anlegget.\n2. Koble til kontoen på nytt når tilgangen er gitt."),
        .inverterProductionHistory: ("Slå på produksjonshistorikk i {brand}-portalen",
                                     "Produksjonsstatistikk blir ikke lagret.\n\n1. Logg inn i **{brand}**-portalen.\n2. Slå på **produksjonshistorikk** for anlegget."),
        .batteryGridCharging: ("Be installatøren slå på lading fra nettet",
                               "Batteriet får ikke lade fra eller levere til strømnettet.\n\nBe installatøren av **{brand}**-batteriet slå på lading fra nett og eksport i installasjonsinnstillingene."),
        .batteryAdvancedModes: ("Slå på avanserte moduser i {brand}-appen",
                                "Disse driftsmodusene er slått av.\n\n1. Åpne **{brand}**-appen.\n2. Slå på **avanserte driftsmoduser** (tidsstyring, egenforbruk)."),
        .meterConsumption: ("Be installatøren montere en forbruksmåler",
                            "Ingen måler registrerer husets forbruk.\n\nBe installatøren montere en forbruksmåler (strømtang) for **{brand}**-anlegget."),
        .meterProduction: ("Be installatøren koble til produksjonsmåleren",
                           "Produksjonsmåleren er ikke tilkoblet.\n\nBe installatøren koble til produksjonsmåleren for **{brand}**-anlegget."),
    ]

    private static let german: [InterventionKind: (String, String)] = [
        .relink: ("Gerät erneut verbinden, um Daten wieder zu erhalten",
                  "Der Hersteller akzeptiert die gespeicherte Anmeldung nicht mehr, daher kann das Gerät weder gelesen noch gesteuert werden.\n\n1. Öffnen Sie die App, mit der Sie das Gerät verbunden haben.\n2. Verbinden Sie das Herstellerkonto erneut mit Ihrem aktuellen Benutzernamen und Passwort.\n\nAlle Funktionen stehen wieder zur Verfügung, sobald das Konto verbunden ist."),
        .vehicleLocationSharing: ("Standortfreigabe in der {brand}-App aktivieren",
                                  "Ihr Fahrzeug teilt seinen Standort nicht.\n\n1. Öffnen Sie die **{brand}**-App.\n2. Gehen Sie zu den Datenschutzeinstellungen des Fahrzeugs.\n3. Aktivieren Sie die **Standortfreigabe** (manchmal *Ortungsdienste* genannt).\n\nDer Standort wird für intelligentes Laden zu Hause benötigt."),
        .vehicleRemoteCharging: ("Fernsteuerung des Ladens in der {brand}-App erlauben",
                                 "Das Laden kann nicht aus der Ferne gesteuert werden.\n\n1. Öffnen Sie die **{brand}**-App.\n2. Gehen Sie zu den Remote-Diensten des Fahrzeugs.\n3. Erlauben Sie die **Fernsteuerung des Ladens**.\n\nDanach funktionieren Starten und Stoppen des Ladevorgangs."),
        .vehicleSoftwareUpdate: ("Software Ihres {brand} aktualisieren",
                                 "Die Fahrzeugsoftware ist zu alt, um diese Daten zu melden.\n\n1. Öffnen Sie die **{brand}**-App oder die Fahrzeugeinstellungen.\n2. Installieren Sie das neueste Software-Update, während das Fahrzeug parkt.\n\nDie Daten erscheinen bei der nächsten Aktualisierung nach dem Update."),
        .chargerCloudControl: ("Fernsteuerung Ihrer {brand}-Wallbox aktivieren",
                               "Die Wallbox ist nicht für die Fernsteuerung verbunden.\n\n1. Öffnen Sie die **{brand}**-App.\n2. Prüfen Sie, ob die Wallbox online ist.\n3. Aktivieren Sie die **Fernsteuerung** (Cloud-Steuerung) der Wallbox."),
        .chargerLoadManagement: ("Installateur bitten, die Stromanpassung freizugeben",
                                 "Die Stromgrenze der Wallbox ist in den Installationseinstellungen gesperrt.\n\nBitten Sie den Elektriker, der Ihre **{brand}**-Wallbox installiert hat, die Änderung des Ladestroms aus der Ferne zu erlauben."),
        .chargerFirmwareUpdate: ("Firmware Ihrer {brand}-Wallbox aktualisieren",
                                 "Die Firmware der Wallbox ist zu alt, um diese Daten zu melden.\n\n1. Öffnen Sie die **{brand}**-App.\n2. Installieren Sie die neueste Firmware für die Wallbox.\n\nDie Daten erscheinen bei der nächsten Aktualisierung nach dem Update."),
        .hvacRemoteControl: ("Fernsteuerung in der {brand}-App erlauben",
                             "Das Gerät nimmt keine Änderungen aus der Ferne an.\n\n1. Öffnen Sie die **{brand}**-App.\n2. Erlauben Sie die **Fernsteuerung** oder den Zugriff durch Drittanbieter."),
        .hvacSchedule: ("Zeitplan in der {brand}-App einrichten",
                        "Das Gerät hat keinen eigenen Zeitplan, zu dem es zurückkehren kann.\n\n1. Öffnen Sie die **{brand}**-App.\n2. Legen Sie einen Wochenplan für das Gerät an."),
        .inverterSiteAccess: ("Installateur bitten, Ihre Solaranlage freizugeben",
                              "Ihr Konto sieht die Solaranlage nicht.\n\n1. Bitten Sie Ihren Installateur, Ihrem **{brand}**-Konto Zugriff auf die Anlage zu geben.\n2. Verbinden Sie das Konto erneut, sobald der Zugriff erteilt ist."),
        .inverterProductionHistory: ("Produktionsverlauf im {brand}-Portal aktivieren",
                                     "Produktionsstatistiken werden nicht aufgezeichnet.\n\n1. Melden Sie sich im **{brand}**-Portal an.\n2. Aktivieren Sie den **Produktionsverlauf** für die Anlage."),
        .batteryGridCharging: ("Installateur bitten, das Laden aus dem Netz zu aktivieren",
                               "Der Speicher darf nicht aus dem Netz laden oder einspeisen.\n\nBitten Sie den Installateur Ihres **{brand}**-Speichers, Netzladen und Einspeisung in den Installationseinstellungen zu aktivieren."),
        .batteryAdvancedModes: ("Erweiterte Modi in der {brand}-App aktivieren",
                                "Diese Betriebsmodi sind ausgeschaltet.\n\n1. Öffnen Sie die **{brand}**-App.\n2. Aktivieren Sie die **erweiterten Betriebsmodi** (zeitabhängiger Tarif, Eigenverbrauch)."),
        .meterConsumption: ("Installateur bitten, einen Verbrauchszähler einzubauen",
                            "Kein Zähler misst den Verbrauch des Hauses.\n\nBitten Sie Ihren Installateur, einen Verbrauchszähler (Stromzange) für Ihre **{brand}**-Anlage einzubauen."),
        .meterProduction: ("Installateur bitten, den Erzeugungszähler anzuschließen",
                           "Der Erzeugungszähler ist nicht angeschlossen.\n\nBitten Sie Ihren Installateur, den Erzeugungszähler Ihrer **{brand}**-Anlage anzuschließen."),
    ]
}
