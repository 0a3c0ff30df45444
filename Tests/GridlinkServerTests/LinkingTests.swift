import Foundation
import GridlinkCore
@testable import GridlinkServer
import GridlinkStore
import HTTPTypes
import Testing

@Suite("Linking, the Link UI and device sync")
struct LinkingTests {
    private static let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    private func string(_ value: JSONValue?) -> String {
        if case .string(let text) = value { return text }
        return ""
    }

    /// Starts a 2024-10-01 link session and returns the Link UI path.
    private func linkPath(_ server: TestServer, token: String, user: String, vendor: String? = nil, type: String = "vehicle") async throws -> String {
        var body: [String: JSONValue] = [
            "vendorType": .string(type), "scopes": ["vehicle:read:data", "vehicle:control:charging", "charger:read:data"],
            "language": "en-US", "redirectUri": "https://app.example.com/done?state=1",
        ]
        if let vendor { body["vendor"] = .string(vendor) }
        let reply = try await server.send(.post, "/users/\(user)/link", token: token, json: .object(body))
        #expect(reply.status == 200, "\(reply.body)")
        let url = string(reply.json?["linkUrl"])
        #expect(string(reply.json?["linkToken"]).count > 20)
        let start = try #require(url.range(of: "/link/"), "no link in \(reply.body)")
        return String(url[start.lowerBound...])
    }

    @Test("link sessions validate their body per version and answer the version's shape")
    func linkSessionShapes() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            for (body, field) in [
                (#"{"scopes":["vehicle:read:data"],"language":"en-US","redirectUri":"https://a.b"}"#, "\"vendorType\" is required"),
                (#"{"vendorType":"vehicle","scopes":["vehicle:fly"],"language":"en-US","redirectUri":"https://a.b"}"#, "\"scopes[0]\" must be one of"),
                (#"{"vendorType":"vehicle","scopes":["vehicle:read:data"],"language":"xx","redirectUri":"https://a.b"}"#, "\"language\" must be one of"),
                (#"{"vendorType":"vehicle","scopes":["vehicle:read:data"],"language":"en-US"}"#, "\"redirectUri\" is required"),
                (#"{"vendorType":"vehicle","scopes":["vehicle:read:data"],"language":"en-US","redirectUri":"https://a.b","vendor":"EASEE"}"#, "\"vendor\" must be a vehicle vendor"),
            ] {
                let reply = try await server.send(.post, "/users/u1/link", token: token, headers: [.contentType: "application/json"], body: body)
                #expect(reply.status == 400)
                #expect(reply.detail.contains(field), "\(reply.detail)")
            }
            #expect(try await server.send(.get, "/users/u1", token: token).status == 404)
            let legacy = try await server.send(.post, "/users/u1/link", token: token, headers: [.enodeVersion: "2023-08-01", .contentType: "application/json"], body: #"{"forceLanguage":"nb"}"#)
            #expect(legacy.status == 200)
            #expect(legacy.json?["linkState"] != nil && legacy.json?["linkToken"] == nil)
            // The session created the user.
            #expect(try await server.send(.get, "/users/u1", token: token).status == 200)
        }
    }

    @Test("the whole Link UI flow links a sandbox account, discovers its devices and syncs their changes")
    func linkAndSync() async throws {
        try await TestServer.run { server in
            let (clientId, token) = try await server.clientToken()
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true, "timing": "ideal"])
            let account = try await server.send(.post, "/sandbox/accounts", token: token, json: [
                "vendor": "KIA", "username": "kim@example.com", "password": "pw", "devices": [["type": "vehicle"]],
            ])
            guard case .array(let deviceIds) = account.json?["deviceIds"] else { throw TestFailure("no devices") }
            let path = try await linkPath(server, token: token, user: "kim")

            let choose = try await server.send(.get, path)
            #expect(choose.status == 200 && choose.contentType.hasPrefix("text/html"))
            #expect(choose.body.contains("vendor-KIA"))
            // Brands are alphabetical and can be searched without script.
            let audi = try #require(choose.body.range(of: "vendor-AUDI")), volvo = try #require(choose.body.range(of: "vendor-VOLVO"))
            #expect(audi.lowerBound < volvo.lowerBound)
            let searched = try await server.send(.get, path + "?q=volv")
            #expect(searched.body.contains("vendor-VOLVO") && !searched.body.contains("vendor-KIA") && searched.body.contains("value=\"volv\""))
            #expect(try await server.send(.get, path + "?q=zzz").body.contains("id=\"no-brand\""))
            #expect(try await server.send(.post, path + "/vendor", headers: Self.formType, body: "vendor=KIA").status == 303)
            let consent = try await server.send(.get, path)
            #expect(consent.body.contains("Start and stop your vehicle"))
            #expect(try await server.send(.post, path + "/consent", headers: Self.formType, body: "decision=accept").status == 303)
            let wrong = try await server.send(.post, path + "/login", headers: Self.formType, body: "username=kim%40example.com&password=nope")
            #expect(wrong.status == 401 && wrong.body.contains("id=\"error\"") && wrong.body.contains("value=\"kim@example.com\""), "the username stays")
            let success = try await server.send(.post, path + "/login", headers: Self.formType, body: "username=kim%40example.com&password=pw")
            #expect(success.status == 200 && success.body.contains("id=\"success\""))
            #expect(success.body.contains("https://app.example.com/done?state=1"))
            #expect(try await server.send(.get, path).status == 410)

            let user = try await server.send(.get, "/users/kim", token: token)
            #expect(user.json?["linkedVendors"] == [["vendor": "KIA", "vendorType": "vehicle", "isValid": true]])
            let vehicles = try await server.send(.get, "/users/kim/vehicles", token: token)
            guard case .array(let list) = vehicles.json?["data"], let vehicle = list.first else { throw TestFailure("no vehicle: \(vehicles.body)") }
            let vehicleId = string(vehicle["id"])
            #expect(vehicle["vendor"] == "KIA")
            #expect(vehicle["scopes"] == ["vehicle:read:data", "vehicle:control:charging"])
            #expect(vehicle["information"]?["brand"] == "Kia")
            let discovered = try await server.store.read { try await $0.outboxEvents(clientId: clientId) }
            #expect(discovered.map(\.name) == ["user:vehicle:discovered"])
            #expect(discovered.first?.payload.contains(vehicleId) == true)

            // Change the car in the sandbox, let simulated time pass beyond the poll interval, and see the update.
            _ = try await server.send(.patch, "/sandbox/devices/\(string(deviceIds.first))", token: token, json: ["batteryLevel": 12])
            _ = try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 600])
            try await server.dependencies.deviceSync.syncDue()
            let updated = try await server.send(.get, "/vehicles/\(vehicleId)", token: token)
            #expect(updated.json?["chargeState"]?["batteryLevel"] == 12)
            let events = try await server.store.read { try await $0.outboxEvents(clientId: clientId) }
            let update = try #require(events.first { $0.name == "user:vehicle:updated" })
            let payload = try JSONDecoder().decode(JSONValue.self, from: Data(update.payload.utf8))
            guard case .array(let fields) = payload["updatedFields"] else { throw TestFailure("no updatedFields") }
            #expect(fields.contains("chargeState.batteryLevel") && fields.contains("chargeState.range"))
            #expect(!fields.contains("lastSeen"))

            // Older versions see the older shapes.
            let legacy = try await server.send(.get, "/vehicles/\(vehicleId)", token: token, headers: [.enodeVersion: "2023-05-01"])
            #expect(legacy.json?["chargingLocationId"] == .null)
            #expect(legacy.json?["scopes"] == nil && legacy.json?["location"]?["id"] == nil)
            let bareList = try await server.send(.get, "/vehicles", token: token, headers: [.enodeVersion: "2023-05-01", .enodeUserId: "kim"])
            guard case .array(let bare) = bareList.json else { throw TestFailure("expected a bare array") }
            #expect(bare.count == 1)
            #expect(try await server.send(.post, "/vehicles/\(vehicleId)/refresh-hint", token: token).status == 204)
            #expect(try await server.send(.post, "/vehicles/nope/refresh-hint", token: token).status == 404)
        }
    }

    @Test("magic passwords: one-time code, failure, outage; deny and close redirect with error parameters")
    func magicAndExits() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let otp = try await linkPath(server, token: token, user: "ola", vendor: "VOLVO")
            _ = try await server.send(.post, otp + "/consent", headers: Self.formType, body: "decision=accept")
            #expect(try await server.send(.post, otp + "/login", headers: Self.formType, body: "username=ola&password=gridlink-otp").status == 303)
            #expect(try await server.send(.get, otp).body.contains("id=\"code\""))
            #expect(try await server.send(.post, otp + "/otp", headers: Self.formType, body: "code=000000").status == 401)
            #expect(try await server.send(.post, otp + "/otp", headers: Self.formType, body: "code=123456").status == 200)
            let volvo = try await server.send(.get, "/users/ola/vehicles", token: token)
            guard case .array(let cars) = volvo.json?["data"] else { throw TestFailure("no list") }
            #expect(cars.count == 1)

            let failing = try await linkPath(server, token: token, user: "per", vendor: "EASEE", type: "charger")
            _ = try await server.send(.post, failing + "/consent", headers: Self.formType, body: "decision=accept")
            #expect(try await server.send(.post, failing + "/login", headers: Self.formType, body: "username=a&password=gridlink-fail").status == 401)
            #expect(try await server.send(.post, failing + "/login", headers: Self.formType, body: "username=a&password=gridlink-outage").status == 503)

            let denied = try await server.send(.post, failing + "/consent", headers: Self.formType, body: "decision=deny")
            #expect(denied.status == 303)
            let closing = try await linkPath(server, token: token, user: "per")
            let closed = try await server.send(.get, closing + "/close")
            #expect(closed.status == 303)
            let location = closed.headers[.location] ?? ""
            #expect(location.hasPrefix("https://app.example.com/done?state=1&error=user_cancelled&error_message=user%20closed%20session"))

            let denyPath = try await linkPath(server, token: token, user: "eva", vendor: "KIA")
            let deny = try await server.send(.post, denyPath + "/consent", headers: Self.formType, body: "decision=deny")
            #expect(deny.headers[.location]?.contains("error=access_denied&error_message=consent%20request%20denied") == true)
            #expect(try await server.send(.get, "/link/unknown-token").status == 404)

            let expiring = try await linkPath(server, token: token, user: "tor")
            server.clock.advance(by: 24 * 3600)
            let expired = try await server.send(.get, expiring, headers: [.acceptLanguage: "nb-NO"])
            #expect(expired.status == 410)
        }
    }

    @Test("the Link UI speaks English, Norwegian and German and honours the colour scheme")
    func languages() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            for (language, phrase) in [("nb-NO", "Velg merke"), ("de-DE", "Marke auswählen"), ("en-GB", "Choose your brand")] {
                let reply = try await server.send(.post, "/users/lang/link", token: token, json: [
                    "vendorType": "hvac", "scopes": ["hvac:read:data"], "language": .string(language),
                    "redirectUri": "https://app.example.com", "colorScheme": "dark",
                ])
                let url = string(reply.json?["linkUrl"])
                let page = try await server.send(.get, String(url[url.range(of: "/link/")!.lowerBound...]))
                #expect(page.body.contains(phrase))
                #expect(page.body.contains("data-theme=\"dark\""))
            }
        }
    }

    @Test("invalid credentials keep the assets, mark them unreachable and incapable, and relinking restores them")
    func credentialsInvalidation() async throws {
        try await TestServer.run { server in
            let (clientId, token) = try await server.clientToken()
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
            let account = try await server.send(.post, "/sandbox/accounts", token: token, json: [
                "vendor": "EASEE", "username": "e@x.com", "password": "pw", "devices": [["type": "charger"]],
            ])
            let path = try await linkPath(server, token: token, user: "ivy", vendor: "EASEE", type: "charger")
            _ = try await server.send(.post, path + "/consent", headers: Self.formType, body: "decision=accept")
            _ = try await server.send(.post, path + "/login", headers: Self.formType, body: "username=e%40x.com&password=pw")
            _ = try await server.send(.post, "/sandbox/faults", token: token, json: ["kind": "invalidateCredentials", "scope": ["accountId": account.json?["id"] ?? nil]])
            _ = try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 900])
            try await server.dependencies.deviceSync.syncDue()

            let chargers = try await server.send(.get, "/users/ivy/chargers", token: token)
            guard case .array(let list) = chargers.json?["data"], let charger = list.first else { throw TestFailure("asset gone") }
            #expect(charger["isReachable"] == false)
            #expect(charger["capabilities"]?["startCharging"]?["isCapable"] == false)
            #expect(charger["capabilities"]?["startCharging"]?["interventionIds"] == [.string(AssetRenderer.relinkInterventionId)])
            #expect(try await server.send(.get, "/users/ivy", token: token).json?["linkedVendors"] == [["vendor": "EASEE", "vendorType": "charger", "isValid": false]])
            let events = try await server.store.read { try await $0.outboxEvents(clientId: clientId) }
            #expect(events.contains { $0.name == "user:credentials:invalidated" && $0.payload.contains("EASEE") })

            let relink = try await linkPath(server, token: token, user: "ivy", vendor: "EASEE", type: "charger")
            _ = try await server.send(.post, relink + "/consent", headers: Self.formType, body: "decision=accept")
            #expect(try await server.send(.post, relink + "/login", headers: Self.formType, body: "username=e%40x.com&password=pw").status == 200)
            let restored = try await server.send(.get, "/chargers/\(string(charger["id"]))", token: token)
            #expect(restored.json?["isReachable"] == true)
            #expect(try await server.send(.get, "/users/ivy", token: token).json?["linkedVendors"] == [["vendor": "EASEE", "vendorType": "charger", "isValid": true]])
        }
    }

    @Test("EV-charger pairing: the user's charger unlocks control and location, and both show who is plugged into whom")
    func pairing() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true, "timing": "ideal"])
            // A Mazda MX-30 has no location, start or stop charging through its vendor.
            let car = try await server.send(.post, "/sandbox/accounts", token: token, json: [
                "vendor": "MAZDA", "username": "m@x.com", "password": "pw", "siteId": "home", "devices": [["type": "vehicle"]]])
            let box = try await server.send(.post, "/sandbox/accounts", token: token, json: [
                "vendor": "EASEE", "username": "e@x.com", "password": "pw", "siteId": "home", "devices": [["type": "charger"]]])
            for (vendor, type, user) in [("MAZDA", "vehicle", "m%40x.com"), ("EASEE", "charger", "e%40x.com")] {
                let path = try await linkPath(server, token: token, user: "pat", vendor: vendor, type: type)
                _ = try await server.send(.post, path + "/consent", headers: Self.formType, body: "decision=accept")
                #expect(try await server.send(.post, path + "/login", headers: Self.formType, body: "username=\(user)&password=pw").status == 200)
            }
            guard case .array(let carIds) = car.json?["deviceIds"], case .array(let boxIds) = box.json?["deviceIds"] else { throw TestFailure("devices") }
            _ = try await server.send(.patch, "/sandbox/devices/\(string(carIds.first))", token: token, json: ["batteryLevel": 20, "chargeLimit": 100])
            _ = try await server.send(.post, "/sandbox/devices/\(string(carIds.first))/plug", token: token, json: ["chargerId": boxIds.first ?? nil])
            _ = try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 1800])
            try await server.dependencies.deviceSync.syncDue()

            let vehicles = try await server.send(.get, "/users/pat/vehicles", token: token)
            let chargers = try await server.send(.get, "/users/pat/chargers", token: token)
            guard case .array(let v) = vehicles.json?["data"], let vehicle = v.first, case .array(let c) = chargers.json?["data"], let charger = c.first else {
                throw TestFailure("assets missing")
            }
            #expect(vehicle["chargeState"]?["pluggedInChargerId"] == charger["id"])
            #expect(charger["chargeState"]?["pluggedInVehicleId"] == vehicle["id"])
            for capability in ["startCharging", "stopCharging", "location"] {
                #expect(vehicle["capabilities"]?[capability] == ["isCapable": true, "interventionIds": []], "\(capability)")
            }
            #expect(vehicle["capabilities"]?["setMaxCurrent"]?["isCapable"] == false)
            #expect(vehicle["location"]?["latitude"] != .null)

            // The Mazda cannot stop charging itself: the action is routed to the paired charger and confirmed.
            let stop = try await server.send(.post, "/vehicles/\(string(vehicle["id"]))/charging", token: token, json: ["action": "STOP"])
            #expect(stop.status == 200, "\(stop.body)")
            for _ in 0..<10 {
                _ = try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 5])
                try await server.dependencies.deviceSync.syncDue()
                try await server.dependencies.actionExecutor.runDue()
            }
            let routed = try await server.send(.get, "/vehicles/actions/\(string(stop.json?["id"]))", token: token)
            #expect(routed.json?["state"] == "CONFIRMED" && routed.json?["targetId"] == vehicle["id"])
        }
    }

    @Test("devices removed from the account are deleted with an event; relink sessions start from consent; the connection limit is a 403")
    func lifecycle() async throws {
        try await TestServer.run { server in
            let (clientId, token) = try await server.clientToken()
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
            let account = try await server.send(.post, "/sandbox/accounts", token: token, json: [
                "vendor": "SMA", "username": "s@x.com", "password": "pw", "devices": [["type": "inverter"], ["type": "meter"]]])
            let path = try await linkPath(server, token: token, user: "sol", vendor: "SMA", type: "inverter")
            _ = try await server.send(.post, path + "/consent", headers: Self.formType, body: "decision=accept")
            _ = try await server.send(.post, path + "/login", headers: Self.formType, body: "username=s%40x.com&password=pw")
            let meters = try await server.send(.get, "/users/sol/meters", token: token)
            guard case .array(let meterList) = meters.json?["data"], let meter = meterList.first else { throw TestFailure("the whole account is linked") }
            #expect(meter["scopes"] == [])

            guard case .array(let ids) = account.json?["deviceIds"] else { throw TestFailure("devices") }
            #expect(try await server.send(.delete, "/sandbox/devices/\(string(ids.last))", token: token).status == 204)
            _ = try await server.send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": 900])
            try await server.dependencies.deviceSync.syncDue()
            #expect(try await server.send(.get, "/meters/\(string(meter["id"]))", token: token).status == 404)
            let events = try await server.store.read { try await $0.outboxEvents(clientId: clientId) }
            #expect(events.map(\.name).contains("user:meter:deleted"))

            let inverters = try await server.send(.get, "/users/sol/inverters", token: token)
            guard case .array(let inverterList) = inverters.json?["data"], let inverter = inverterList.first else { throw TestFailure("inverter") }
            let relink = try await server.send(.post, "/assets/\(string(inverter["id"]))/relink", token: token,
                                               json: ["language": "de-DE", "redirectUri": "https://app.example.com"])
            #expect(relink.status == 200)
            let relinkURL = string(relink.json?["linkUrl"])
            let consent = try await server.send(.get, String(relinkURL[relinkURL.range(of: "/link/")!.lowerBound...]))
            #expect(consent.body.contains("Datenzugriff prüfen"))
            #expect(try await server.send(.post, "/assets/nope/relink", token: token, json: ["language": "de-DE", "redirectUri": "https://a.b"]).status == 404)
        }
    }

    @Test("a client at its connection limit gets the documented 403 problem")
    func connectionLimit() async throws {
        try await TestServer.run(connectionLimit: 2) { server in
            let (clientId, token) = try await server.clientToken()
            _ = try await linkPath(server, token: token, user: "first")
            try await server.createUser("full", clientId: clientId)
            for index in 0..<2 {
                try await server.store.write { try await $0.linkVendor(clientId: clientId, userId: "full", vendor: "V\(index)", vendorType: .vehicle, accountRef: "a\(index)", at: server.clock.now()) }
            }
            let refused = try await server.send(.post, "/users/another/link", token: token, json: [
                "vendorType": "vehicle", "scopes": ["vehicle:read:data"], "language": "en-US", "redirectUri": "https://a.b"])
            #expect(refused.status == 403)
            #expect(refused.isProblem && refused.json?["title"] == "Connections limit reached.")
            #expect(try await server.send(.get, "/users/another", token: token).status == 404)
        }
    }
}
