import Foundation
import GridlinkCore
@testable import GridlinkServer
import GridlinkSandbox
import HTTPTypes
import Testing

@Suite("Interventions")
struct InterventionTests {
    private static let relink = InterventionCatalogue.relink.id

    @Test("GET /interventions lists the whole catalogue in the documented shape, with unique UUIDs and the re-link first")
    func catalogue() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let reply = try await server.send(.get, "/interventions", token: token)
            #expect(reply.status == 200 && reply.headers[.contentLanguage] == "en")
            guard case .array(let list) = reply.json else { throw TestFailure("not an array: \(reply.body)") }
            #expect(list.count == InterventionCatalogue.all.count)
            #expect(list.first?["id"] == .string(Self.relink))
            #expect(list.first?["vendor"] == .null && list.first?["vendorType"] == .null && list.first?["brand"] == .null)
            #expect(list.first?["resolution"]?["action"] == "Link" && list.first?["domain"] == "Account")
            let ids = list.compactMap { $0["id"]?.string }
            #expect(Set(ids).count == list.count && ids.allSatisfy { UUID(uuidString: $0) != nil && $0 == $0.lowercased() })
            let keys: Set<String> = ["id", "vendor", "vendorType", "brand", "introducedAt", "domain", "resolution"]
            #expect(list.allSatisfy { if case .object(let fields) = $0 { Set(fields.keys) == keys } else { false } })
            #expect(list.allSatisfy { ["Remote", "Physical"].contains($0["resolution"]?["access"]?.string ?? "") })
            #expect(list.allSatisfy { ["User", "ThirdParty"].contains($0["resolution"]?["agent"]?.string ?? "") })
            #expect(list.allSatisfy { Timestamp.parse($0["introducedAt"]?.string ?? "") != nil })
            #expect(list.allSatisfy { !($0["resolution"]?["title"]?.string ?? "").contains("{brand}") })
            // Every capability of every vendor has an intervention that unlocks it.
            for type in VendorType.allCases {
                for vendor in VendorCatalogue.vendors(of: type) {
                    for capability in CapabilityNames.of(type) {
                        #expect(!InterventionCatalogue.interventionIds(vendor: vendor, type: type, capability: capability).isEmpty, "\(vendor) \(type) \(capability)")
                    }
                }
            }
            #expect(try await server.send(.get, "/interventions").status == 401)
        }
    }

    @Test("language query, Accept-Language (with q-values) and the en-US fallback")
    func languages() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            func title(_ query: String, _ headers: HTTPFields = [:]) async throws -> (String, String?) {
                let reply = try await server.send(.get, "/interventions/\(Self.relink)\(query)", token: token, headers: headers)
                #expect(reply.status == 200, "\(query): \(reply.body)")
                return (reply.json?["resolution"]?["title"]?.string ?? "", reply.headers[.contentLanguage])
            }
            #expect(try await title("") == ("Re-link your device to re-enable telemetry", "en"))
            #expect(try await title("?language=nb-NO") == ("Koble til enheten på nytt for å få data igjen", "nb"))
            #expect(try await title("?language=de-DE").1 == "de")
            #expect(try await title("?language=en-GB").1 == "en")
            #expect(try await title("?language=fr-FR").1 == "en")
            #expect(try await title("?language=xx-YY").1 == "en")
            #expect(try await title("", [.acceptLanguage: "de-DE,de;q=0.9,en;q=0.8"]).1 == "de")
            #expect(try await title("", [.acceptLanguage: "fr-FR, nb;q=0.5, de;q=0.4"]).1 == "nb")
            #expect(try await title("", [.acceptLanguage: "fr-FR, es"]).1 == "en")
            #expect(try await title("?language=nb-NO", [.acceptLanguage: "de-DE"]).1 == "nb")
            let vehicle = try await server.send(.get, "/interventions?vendor=TESLA&vendorType=vehicle&language=de-DE", token: token)
            let location = vehicle.json?.array?.first { $0["resolution"]?["title"]?.string?.contains("Standortfreigabe") == true }
            #expect(location?["resolution"]?["description"]?.string?.contains("**Tesla**-App") == true)
            #expect(location?["brand"] == "Tesla" && location?["vendor"] == "TESLA")
        }
    }

    @Test("vendor and vendorType filters (vendor-agnostic interventions match every filter); bad filters are 400; unknown ids 404")
    func filtersAndNotFound() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let filtered = try await server.send(.get, "/interventions?vendor=EASEE&vendorType=charger", token: token)
            guard case .array(let list) = filtered.json else { throw TestFailure(filtered.body) }
            #expect(list.count == 4 && list.first?["id"] == .string(Self.relink))
            #expect(list.dropFirst().allSatisfy { $0["vendor"] == "EASEE" && $0["vendorType"] == "charger" })
            #expect(try await server.send(.get, "/interventions?vendorType=meter", token: token).json?.array?.count == 1 + 2 * VendorCatalogue.meter.count)

            let badVendor = try await server.send(.get, "/interventions?vendor=ACME", token: token)
            #expect(badVendor.status == 400 && badVendor.isProblem && badVendor.detail.contains("\"vendor\""))
            let badType = try await server.send(.get, "/interventions/\(Self.relink)?vendorType=car", token: token)
            #expect(badType.status == 400 && badType.isProblem && badType.detail.contains("\"vendorType\""))

            let unknown = try await server.send(.get, "/interventions/\(UUID().uuidString.lowercased())", token: token)
            #expect(unknown.status == 404 && unknown.isProblem && unknown.json?["title"] == "Intervention not found")
            #expect(try await server.send(.get, "/interventions/not-a-uuid", token: token).status == 404)
            let easee = try #require(InterventionCatalogue.all.first { $0.vendor == "EASEE" })
            #expect(try await server.send(.get, "/interventions/\(easee.id.uppercased())", token: token).json?["id"] == .string(easee.id))
            #expect(try await server.send(.get, "/interventions/\(easee.id)?vendor=ZAPTEC", token: token).status == 404)
            #expect(try await server.send(.get, "/interventions/\(easee.id)?vendorType=vehicle", token: token).status == 404)
            #expect(try await server.send(.get, "/interventions/\(Self.relink)?vendor=ZAPTEC&vendorType=vehicle", token: token).status == 200)
        }
    }

    @Test("every interventionIds entry of linked devices of every type resolves: switched-off capabilities and invalid credentials")
    func everyAssetInterventionResolves() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
            let devices: [(vendor: String, type: VendorType)] = [
                ("KIA", .vehicle), ("EASEE", .charger), ("TADO", .hvac), ("FRONIUS", .inverter), ("GIVENERGY", .battery), ("HUAWEI", .meter),
            ]
            var deviceIds: [String] = []
            for device in devices {
                let (_, deviceId) = try await server.linkSandbox(token: token, user: "una", vendor: device.vendor, type: device.type.rawValue, segment: device.type.pathSegment)
                deviceIds.append(deviceId)
                for capability in CapabilityNames.of(device.type) {
                    let off = try await server.send(.put, "/sandbox/devices/\(deviceId)/capabilities/\(capability)", token: token, json: ["isCapable": false])
                    #expect(off.status == 200, "\(device) \(capability): \(off.body)")
                }
            }
            let foreign = try await server.send(.put, "/sandbox/devices/\(deviceIds[0])/capabilities/location", token: token, json: [
                "isCapable": false, "interventionIds": [.string(InterventionCatalogue.interventionIds(vendor: "EASEE", type: .charger, capability: "startCharging")[0])],
            ])
            #expect(foreign.status == 400 && foreign.detail.contains("interventionIds[0]"))
            #expect(try await server.send(.put, "/sandbox/devices/\(deviceIds[0])/capabilities/location", token: token, json: ["isCapable": false, "interventionIds": ["made-up"]]).status == 400)
            let explicit = try await server.send(.put, "/sandbox/devices/\(deviceIds[1])/capabilities/setMaxCurrent", token: token, json: [
                "isCapable": false, "interventionIds": [.string(Self.relink.uppercased())],
            ])
            #expect(explicit.status == 200)
            try await server.advance(token: token, seconds: 900, step: 300)

            var seen = Set<String>()
            for device in devices {
                let list = try await server.send(.get, "/users/una/\(device.type.pathSegment)", token: token).json?["data"]?.array ?? []
                let asset = try #require(list.first { $0["vendor"] == .string(device.vendor) }, "\(device)")
                for capability in CapabilityNames.of(device.type) {
                    let ids = asset["capabilities"]?[capability]?["interventionIds"]?.array?.compactMap(\.string) ?? []
                    // A paired charger may unlock the vehicle's charging control and location (EV-charger pairing).
                    let pairable = device.type == .vehicle && ["location", "startCharging", "stopCharging"].contains(capability)
                    #expect(pairable || (asset["capabilities"]?[capability]?["isCapable"] == false && !ids.isEmpty), "\(device) \(capability)")
                    seen.formUnion(ids)
                }
            }
            #expect(seen.contains(Self.relink))
            _ = try await server.send(.post, "/sandbox/faults", token: token, json: ["kind": "invalidateCredentials", "scope": ["vendor": "FRONIUS"]])
            try await server.advance(token: token, seconds: 900, step: 300)
            let inverter = try await server.send(.get, "/users/una/inverters", token: token).json?["data"]?.array?.first
            #expect(inverter?["capabilities"]?["productionState"]?["interventionIds"] == [.string(Self.relink)])

            for id in seen {
                let reply = try await server.send(.get, "/interventions/\(id)", token: token)
                #expect(reply.status == 200 && reply.json?["id"] == .string(id), "\(id)")
            }
        }
    }
}
