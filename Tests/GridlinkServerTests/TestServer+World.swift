import Foundation
import GridlinkCore
@testable import GridlinkServer
import HTTPTypes

extension TestServer {
    private static let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// Links a magic sandbox account with one device through the Link UI and returns (asset id, sandbox device id).
    func linkSandbox(token: String, user: String, vendor: String, type: String, segment: String) async throws -> (String, String) {
        let control = ["vehicle": "vehicle:control:charging", "charger": "charger:control:charging", "hvac": "hvac:control:mode",
                       "battery": "battery:control:operation_mode"][type]
        let scopes = ["\(type):read:data"] + (control.map { [$0] } ?? [])
        let session = try await send(.post, "/users/\(user)/link", token: token, json: [
            "vendorType": .string(type), "vendor": .string(vendor), "scopes": .array(scopes.map { .string($0) }),
            "language": "en-US", "redirectUri": "https://app.example.com"])
        let url = session.json?["linkUrl"]?.string ?? ""
        let path = String(url[url.range(of: "/link/")!.lowerBound...])
        _ = try await send(.post, path + "/consent", headers: Self.formType, body: "decision=accept")
        let login = try await send(.post, path + "/login", headers: Self.formType, body: "username=\(user)&password=gridlink")
        if login.status == 303 { _ = try await send(.post, path + "/otp", headers: Self.formType, body: "code=123456") }
        let assets = try await send(.get, "/users/\(user)/\(segment)", token: token)
        guard let asset = assets.json?["data"]?.array?.first(where: { $0["vendor"] == .string(vendor) }) else { throw TestFailure("no asset: \(assets.body)") }
        let devices = try await send(.get, "/sandbox/devices?pageSize=100", token: token)
        guard let device = devices.json?["data"]?.array?.first(where: { $0["vendor"] == .string(vendor) && $0["type"] == .string(type) }) else {
            throw TestFailure("no device")
        }
        return (asset["id"]?.string ?? "", device["id"]?.string ?? "")
    }

    /// A new sandbox client's token, with the simulation clock paused so that only ``advance(token:seconds:step:)`` moves it.
    func pausedClientToken() async throws -> String {
        let (_, token) = try await clientToken()
        _ = try await send(.patch, "/sandbox/clock", token: token, json: ["isPaused": true])
        return token
    }

    /// Plugs a sandbox vehicle in at 40 % with charging off and a 90 % limit, and lets 10 simulated minutes pass so the
    /// API shows it plugged in.
    func plugIn(token: String, deviceId: String) async throws {
        _ = try await send(.patch, "/sandbox/devices/\(deviceId)", token: token, json: ["chargingEnabled": false, "batteryLevel": 40, "chargeLimit": 90])
        _ = try await send(.post, "/sandbox/devices/\(deviceId)/plug", token: token, json: [:])
        try await advance(token: token, seconds: 600)
    }

    /// Lets simulated time pass in steps through the stepped sandbox advance, which runs device sync, actions,
    /// schedules and smart charging after each step as their services would.
    func advance(token: String, seconds: Int, step: Int = 5) async throws {
        guard seconds > 0 else { return }
        let reply = try await send(.post, "/sandbox/clock/advance", token: token, json: ["seconds": .number(Double(seconds)), "stepSeconds": .number(Double(step))])
        guard reply.status == 200 else { throw TestFailure("advance answered \(reply.status): \(reply.body)") }
    }
}
