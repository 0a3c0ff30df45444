import Foundation
import GridlinkCore
import GridlinkSandbox
import GridlinkStore

/// `gridlink serve --demo`: a ready sandbox on a fresh database. Creates a sandbox client with a token, a user with a
/// car and a charger linked at one home (headless linking, as `POST /sandbox/links`), the home as a location (priced by
/// the sandbox market of its area) and a smart-charging policy on the car, through the same code as the API routes.
public struct DemoSetup: Sendable {
    let dependencies: ServerDependencies

    /// The demo's user.
    public static let userId = "demo-user"
    /// The sandbox site the car and the charger share.
    static let siteId = "home"

    /// What the demo created, for the start-up instructions.
    public struct Created: Sendable {
        /// The sandbox client's id.
        public let clientId: String
        /// Its secret (shown once).
        public let clientSecret: String
        /// An access token valid one hour of wall time.
        public let accessToken: String
        /// The car's API asset id.
        public let vehicleId: String
        /// The charger's API asset id.
        public let chargerId: String
        /// The car's sandbox device id.
        public let carDeviceId: String
        /// The charger's sandbox device id.
        public let chargerDeviceId: String
    }

    /// A demo over the server's dependencies.
    public init(dependencies: ServerDependencies) {
        self.dependencies = dependencies
    }

    /// Sets the demo up; nil, with nothing changed, when the database already has API clients.
    public func run() async throws -> Created? {
        let store = dependencies.store
        let wallNow = dependencies.wallClock.now()
        let credentials = try await store.write { session -> (client: APIClient, secret: String, token: String)? in
            guard try await session.clients().isEmpty else { return nil }
            let (client, secret) = try await ClientRegistration.create(
                name: "Gridlink demo", environment: .sandbox, apiVersion: .current, at: wallNow, in: session)
            let token = IssuedToken.mint(at: wallNow)
            try await session.insertToken(token, clientId: client.id, issuedAt: wallNow)
            return (client, secret, token.token)
        }
        guard let credentials else { return nil }
        let clientId = credentials.client.id
        let car = try await link(clientId: clientId, vendor: "KIA", device: DeviceSpec(type: .vehicle, model: "EV6"))
        let charger = try await link(clientId: clientId, vendor: "EASEE", device: DeviceSpec(type: .charger, model: "Charge"))
        let site = try await dependencies.sandbox.read { $0.site(Self.siteId) }
        let now = dependencies.clock.now()
        let home = Location(
            id: UUID().uuidString.lowercased(), clientId: clientId, userId: Self.userId, name: "Home", latitude: site.latitude,
            longitude: site.longitude, timezoneName: "Europe/Oslo", createdAt: now)
        let policy: JSONValue = ["isEnabled": true, "deadline": "07:00", "minimumChargeLimit": 20]
        try await store.write { session in
            try await LocationsController.add(home, in: session, at: now)
            _ = try await SmartChargingPolicies.update(
                vehicleId: car.assetId, clientId: clientId, with: policy, version: .current, at: now, in: session)
        }
        await dependencies.smartChargingRunner.refresh(clientId: clientId, vehicleId: car.assetId)
        return Created(
            clientId: clientId, clientSecret: credentials.secret, accessToken: credentials.token, vehicleId: car.assetId,
            chargerId: charger.assetId, carDeviceId: car.deviceId, chargerDeviceId: charger.deviceId)
    }

    /// Creates a virtual account of `vendor` at the demo's home with `device`, links it to the demo user, and answers
    /// the device's sandbox and asset ids.
    private func link(clientId: String, vendor: String, device: DeviceSpec) async throws -> (deviceId: String, assetId: String) {
        let linked = try await dependencies.sandboxLinking.link(
            clientId: clientId, userId: Self.userId, account: .new(vendor: vendor, siteId: Self.siteId, devices: [device]), scopes: nil)
        guard let first = linked.devices.first else { throw Problem.serverError() }
        return (first.deviceId, first.assetId)
    }
}
