import Foundation
import GridlinkCore
@testable import GridlinkServer
import HTTPTypes
import Testing

/// Checks a JSON value against a field tree of `Tests/Fixtures/asset-shapes-2024-10-01.json`.
enum ShapeChecker {
    static let fixture: [String: JSONValue] = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        url.deleteLastPathComponent()
        let data = (try? Data(contentsOf: url.appendingPathComponent("Fixtures/asset-shapes-2024-10-01.json"))) ?? Data()
        guard case .object(let trees) = (try? JSONDecoder().decode(JSONValue.self, from: data)) ?? .null else { return [:] }
        return trees
    }()

    /// Every mismatch between `value` and `shape`, as "path: problem".
    static func mismatches(_ value: JSONValue, _ shape: JSONValue, path: String = "") -> [String] {
        switch shape {
        case .object(let fields):
            guard case .object(let actual) = value else { return ["\(path): expected an object, got \(value)"] }
            var problems: [String] = []
            var expectedKeys = Set<String>()
            for (rawKey, fieldShape) in fields {
                let optional = rawKey.hasSuffix("?")
                let key = optional ? String(rawKey.dropLast()) : rawKey
                expectedKeys.insert(key)
                let fieldPath = path.isEmpty ? key : "\(path).\(key)"
                guard let fieldValue = actual[key] else {
                    if !optional { problems.append("\(fieldPath): missing") }
                    continue
                }
                problems += mismatches(fieldValue, fieldShape, path: fieldPath)
            }
            for key in actual.keys where !expectedKeys.contains(key) { problems.append("\(path.isEmpty ? key : "\(path).\(key)"): not in the 2024-10-01 shape") }
            return problems
        case .string(let type):
            let options = type.split(separator: "|").map(String.init)
            return options.contains { matches(value, $0) } ? [] : ["\(path): expected \(type), got \(value)"]
        default:
            return ["\(path): bad fixture"]
        }
    }

    private static func matches(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("number", .number), ("boolean", .bool), ("string", .string), ("object", .object): return true
        case ("date-time", .string(let text)): return (try? Date(text, strategy: .iso8601)) != nil
        case ("string[]", .array(let items)): return items.allSatisfy { if case .string = $0 { true } else { false } }
        case ("Capability", _):
            return mismatches(value, ["isCapable": "boolean", "interventionIds": "string[]"]).isEmpty
        default: return false
        }
    }
}

@Suite("Asset shapes (2024-10-01 and older)")
struct AssetShapeTests {
    private static let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
    private static let cases: [(type: String, segment: String, vendor: String, shape: String)] = [
        ("vehicle", "vehicles", "TESLA", "Vehicle"), ("charger", "chargers", "ZAPTEC", "Charger"), ("hvac", "hvacs", "DAIKIN", "HVAC"),
        ("inverter", "inverters", "SMA", "Inverter"), ("battery", "batteries", "TESLA", "Battery"), ("meter", "meters", "SOLAREDGE", "Meter"),
    ]

    /// Links one magic sandbox account with a device of `type` for `user` and returns the asset as the API shows it.
    private func linkedAsset(_ server: TestServer, token: String, user: String, type: String, segment: String, vendor: String) async throws -> JSONValue {
        let session = try await server.send(.post, "/users/\(user)/link", token: token, json: [
            "vendorType": .string(type), "vendor": .string(vendor), "scopes": [.string("\(type):read:data")],
            "language": "en-US", "redirectUri": "https://app.example.com",
        ])
        guard case .string(let url) = session.json?["linkUrl"], let range = url.range(of: "/link/") else { throw TestFailure("no link: \(session.body)") }
        let path = String(url[range.lowerBound...])
        _ = try await server.send(.post, path + "/consent", headers: Self.formType, body: "decision=accept")
        let login = try await server.send(.post, path + "/login", headers: Self.formType, body: "username=\(user)&password=gridlink")
        if login.status == 303 { _ = try await server.send(.post, path + "/otp", headers: Self.formType, body: "code=123456") }
        let list = try await server.send(.get, "/users/\(user)/\(segment)", token: token)
        guard case .array(let items) = list.json?["data"], let asset = items.first else { throw TestFailure("no \(type): \(list.body)") }
        return asset
    }

    @Test("every asset type renders exactly the 2024-10-01 field tree", arguments: AssetShapeTests.cases.map(\.type))
    func currentShapes(type: String) async throws {
        let spec = try #require(Self.cases.first { $0.type == type })
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let asset = try await linkedAsset(server, token: token, user: "shape-\(type)", type: type, segment: spec.segment, vendor: spec.vendor)
            let shape = try #require(ShapeChecker.fixture[spec.shape])
            let problems = ShapeChecker.mismatches(asset, shape)
            #expect(problems.isEmpty, "\(spec.shape): \(problems)")
            let single = try await server.send(.get, "/\(spec.segment)/\(asset["id"].map { if case .string(let id) = $0 { id } else { "" } } ?? "")", token: token)
            #expect(single.json == asset)
        }
    }

    @Test("older versions: no scopes before 2024-01-01, locationId until 2024-10-01, chargingLocationId before 2023-08-01")
    func olderShapes() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let charger = try await linkedAsset(server, token: token, user: "old", type: "charger", segment: "chargers", vendor: "EASEE")
            guard case .string(let id) = charger["id"] else { throw TestFailure("no id") }
            let location = try await server.send(.post, "/users/old/locations", token: token, json: ["name": "Home", "latitude": 1, "longitude": 1])
            let locationId = location.json?["id"] ?? .null
            let located = try await server.send(.put, "/chargers/\(id)", token: token, json: ["locationId": locationId])
            #expect(located.json?["location"]?["id"] == locationId)
            func version(_ version: String) async throws -> JSONValue? {
                try await server.send(.get, "/chargers/\(id)", token: token, headers: [.enodeVersion: version]).json
            }
            let v2024 = try await version("2024-01-01")
            #expect(v2024?["locationId"] == locationId && v2024?["location"] == nil && v2024?["scopes"] != nil)
            let v2023 = try await version("2023-08-01")
            #expect(v2023?["locationId"] == locationId && v2023?["scopes"] == nil)
            let v2023early = try await version("2023-05-01")
            #expect(v2023early?["chargingLocationId"] == locationId && v2023early?["locationId"] == nil)
            let badUpdate = try await server.send(.put, "/chargers/\(id)", token: token, json: ["location": "x"])
            #expect(badUpdate.status == 400 && badUpdate.detail.contains("\"locationId\""))
            let cleared = try await server.send(.put, "/chargers/\(id)", token: token, json: ["locationId": nil])
            #expect(cleared.json?["location"]?["id"] == .null)
        }
    }

    @Test("a vendor that reports no charge limit shows chargeState.chargeLimit null in every version, within the fixture shape")
    func unreportedChargeLimit() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let vehicle = try await linkedAsset(server, token: token, user: "leaf", type: "vehicle", segment: "vehicles", vendor: "NISSAN")
            #expect(vehicle["chargeState"]?["chargeLimit"] == .null)
            #expect(ShapeChecker.mismatches(vehicle, try #require(ShapeChecker.fixture["Vehicle"])).isEmpty)
            guard case .string(let id) = vehicle["id"] else { throw TestFailure("no id") }
            for version in ["2024-01-01", "2023-08-01", "2023-02-01"] {
                let old = try await server.send(.get, "/vehicles/\(id)", token: token, headers: [.enodeVersion: version])
                #expect(old.json?["chargeState"]?["chargeLimit"] == .null, "\(version): \(old.body)")
            }
            let tesla = try await linkedAsset(server, token: token, user: "model3", type: "vehicle", segment: "vehicles", vendor: "TESLA")
            #expect(tesla["chargeState"]?["chargeLimit"] == .number(80))
        }
    }
}
