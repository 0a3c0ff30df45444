import Foundation
import GridlinkCore
@testable import GridlinkServer
import Testing

@Suite("Locations")
struct LocationTests {
    @Test("create, validate, read, list, update and delete locations; another client's ids are 404")
    func crud() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let created = try await server.send(.post, "/users/lea/locations", token: token, json: [
                "name": "Home", "latitude": 59.91, "longitude": 10.75, "timezoneName": "Europe/Oslo"])
            #expect(created.status == 200, "\(created.body)")
            let id = created.json?["id"]?.string ?? ""
            #expect(created.json?["userId"] == "lea" && created.json?["timezoneName"] == "Europe/Oslo")
            let utc = try await server.send(.post, "/users/lea/locations", token: token, json: ["name": "Cabin", "latitude": 61, "longitude": 9])
            #expect(utc.json?["timezoneName"] == "UTC")

            for (body, field) in [
                (["latitude": 1, "longitude": 2] as JSONValue, "\"name\" is required"),
                (["name": "X", "latitude": 91, "longitude": 2], "\"latitude\" must be between -90 and 90"),
                (["name": "X", "latitude": 1, "longitude": "east"], "\"longitude\" must be a number"),
                (["name": "X", "latitude": 1, "longitude": 2, "timezoneName": "Mars/Olympus"], "\"timezoneName\" must be an IANA timezone"),
            ] {
                let reply = try await server.send(.post, "/users/lea/locations", token: token, json: body)
                #expect(reply.status == 400 && reply.detail.contains(field), "\(reply.body)")
            }

            #expect(try await server.send(.get, "/locations/\(id)", token: token).json?["name"] == "Home")
            let mine = try await server.send(.get, "/users/lea/locations?pageSize=1", token: token)
            #expect(mine.json?["data"]?.array?.count == 1 && mine.json?["pagination"]?["after"]?.string != nil)
            #expect(try await server.send(.get, "/locations", token: token).json?["data"]?.array?.count == 2)

            let renamed = try await server.send(.put, "/locations/\(id)", token: token, json: ["name": "Flat", "timezoneName": "Europe/Berlin"])
            #expect(renamed.json?["name"] == "Flat" && renamed.json?["timezoneName"] == "Europe/Berlin" && renamed.json?["latitude"] == 59.91)
            #expect(try await server.send(.put, "/locations/\(id)", token: token, json: ["longitude": 500]).status == 400)

            let (_, other) = try await server.clientToken()
            #expect(try await server.send(.get, "/locations/\(id)", token: other).status == 404)
            #expect(try await server.send(.delete, "/locations/\(id)", token: other).status == 404)

            let deleted = try await server.send(.delete, "/locations/\(id)", token: token)
            #expect(deleted.status == 200 && deleted.json?["id"] == .string(id))
            #expect(try await server.send(.get, "/locations/\(id)", token: token).status == 404)
        }
    }

    @Test("a vehicle is at a location while within its geofence; chargers take a location by PUT; deletion clears both")
    func assetsFollowLocations() async throws {
        try await TestServer.run { server in
            let (clientId, token) = try await server.clientToken()
            _ = try await server.send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
            let (vehicleId, deviceId) = try await server.linkSandbox(token: token, user: "geo", vendor: "KIA", type: "vehicle", segment: "vehicles")
            let (chargerId, _) = try await server.linkSandbox(token: token, user: "geo", vendor: "ZAPTEC", type: "charger", segment: "chargers")
            let vehicle = try await server.send(.get, "/vehicles/\(vehicleId)", token: token).json
            let latitude = vehicle?["location"]?["latitude"]?.number ?? 0
            let longitude = vehicle?["location"]?["longitude"]?.number ?? 0
            #expect(vehicle?["location"]?["id"] == .null)

            let home = try await server.send(.post, "/users/geo/locations", token: token, json: [
                "name": "Home", "latitude": .number(latitude + 0.001), "longitude": .number(longitude)]).json?["id"]?.string ?? ""
            #expect(try await server.send(.get, "/vehicles/\(vehicleId)", token: token).json?["location"]?["id"] == .string(home))
            let events = try await server.store.read { try await $0.outboxEvents(clientId: clientId) }
            #expect(events.contains { $0.name == "user:vehicle:updated" && $0.payload.contains("location.id") })

            // Someone else's location and unknown ids are refused; the old field name works on old versions.
            let stranger = try await server.send(.post, "/users/other/locations", token: token, json: ["name": "Away", "latitude": 1, "longitude": 1])
            let strangerId = stranger.json?["id"]?.string ?? ""
            let refused = try await server.send(.put, "/chargers/\(chargerId)", token: token, json: ["locationId": .string(strangerId)])
            #expect(refused.status == 400 && refused.detail.contains("\"locationId\""))
            let placed = try await server.send(.put, "/chargers/\(chargerId)", token: token, json: ["locationId": .string(home)])
            #expect(placed.json?["location"]?["id"] == .string(home))
            let legacy = try await server.send(.get, "/chargers/\(chargerId)", token: token, headers: [.enodeVersion: "2023-04-15"])
            #expect(legacy.json?["chargingLocationId"] == .string(home))

            // Driving away (2 km north) leaves the location at the next sync.
            _ = try await server.send(.patch, "/sandbox/devices/\(deviceId)", token: token, json: ["latitude": .number(latitude + 0.02)])
            try await server.advance(token: token, seconds: 900, step: 300)
            #expect(try await server.send(.get, "/vehicles/\(vehicleId)", token: token).json?["location"]?["id"] == .null)

            _ = try await server.send(.delete, "/locations/\(home)", token: token)
            #expect(try await server.send(.get, "/chargers/\(chargerId)", token: token).json?["location"]?["id"] == .null)
        }
    }

    @Test("before 2023-08-01 locations are /charging-locations of the Enode-User-Id user, as a bare list")
    func chargingLocations() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken(version: .v2023_04_15)
            let created = try await server.send(.post, "/charging-locations", token: token, headers: [.enodeUserId: "old"],
                                                json: ["name": "Home", "latitude": 59.9, "longitude": 10.7])
            #expect(created.status == 200, "\(created.body)")
            let list = try await server.send(.get, "/charging-locations", token: token, headers: [.enodeUserId: "old"])
            #expect(list.json?.array?.count == 1)
            #expect(try await server.send(.get, "/locations", token: token).status == 404)
            let id = created.json?["id"]?.string ?? ""
            #expect(try await server.send(.get, "/charging-locations/\(id)", token: token).json?["name"] == "Home")
            #expect(try await server.send(.get, "/locations/\(id)", token: token, headers: [.enodeVersion: "2024-10-01"]).status == 200)
        }
    }
}
