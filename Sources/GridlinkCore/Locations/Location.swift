import Foundation

/// A place the user's devices live at (a home, a cabin, a workplace), with the timezone its clock times use.
public struct Location: Sendable, Equatable, Codable {
    /// Location id (UUID).
    public let id: String
    /// Owning client.
    public let clientId: String
    /// Owning user.
    public let userId: String
    /// Display name.
    public var name: String
    /// WGS84 latitude in degrees.
    public var latitude: Double
    /// WGS84 longitude in degrees.
    public var longitude: Double
    /// IANA timezone name, `UTC` by default.
    public var timezoneName: String
    /// When the location was created.
    public let createdAt: Date

    /// Creates a location value.
    public init(id: String, clientId: String, userId: String, name: String, latitude: Double, longitude: Double, timezoneName: String, createdAt: Date) {
        self.id = id
        self.clientId = clientId
        self.userId = userId
        self.name = name
        self.latitude = latitude
        self.longitude = longitude
        self.timezoneName = timezoneName
        self.createdAt = createdAt
    }

    /// The location's timezone (UTC if the stored name is unknown to this system).
    public var timeZone: TimeZone { TimeZone(identifier: timezoneName) ?? TimeZone(identifier: "UTC")! }

    /// Whether `name` is an IANA timezone this system knows (`UTC` included).
    public static func isKnownTimezone(_ name: String) -> Bool {
        name == "UTC" || TimeZone.knownTimeZoneIdentifiers.contains(name)
    }
}

/// Decides which of a user's locations a positioned device is at.
public enum GeoFence {
    /// A device within this many metres of a location's coordinates is at that location.
    public static let radiusMeters = 200.0

    /// Great-circle distance in metres (haversine, mean Earth radius).
    public static func distanceMeters(latitude: Double, longitude: Double, to other: (latitude: Double, longitude: Double)) -> Double {
        let radians = Double.pi / 180
        let dLat = (other.latitude - latitude) * radians
        let dLon = (other.longitude - longitude) * radians
        let a = sin(dLat / 2) * sin(dLat / 2)
            + cos(latitude * radians) * cos(other.latitude * radians) * sin(dLon / 2) * sin(dLon / 2)
        return 6_371_008.8 * 2 * atan2(a.squareRoot(), (1 - a).squareRoot())
    }

    /// The id of the nearest location within ``radiusMeters`` of the position, or nil.
    public static func locationId(latitude: Double, longitude: Double, among locations: [Location]) -> String? {
        locations
            .map { (id: $0.id, distance: distanceMeters(latitude: latitude, longitude: longitude, to: ($0.latitude, $0.longitude))) }
            .filter { $0.distance <= radiusMeters }
            .min { $0.distance < $1.distance }?.id
    }
}
