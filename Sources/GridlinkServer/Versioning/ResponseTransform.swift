import Foundation
import GridlinkCore
import Hummingbird

/// One dated breaking change, able to turn a response of its version back into the previous version's shape.
///
/// Transforms run newest first for every change newer than the request's version, so each
/// only needs to know the shape directly after its own change.
public protocol ResponseTransform: Sendable {
    /// The version that introduced the change.
    var introducedIn: APIVersion { get }
    /// What changed, for docs/VERSIONS.md and logs.
    var summary: String { get }
    /// Rewrites a response body of `introducedIn` into the shape before it.
    func downgrade(_ body: JSONValue) -> JSONValue
}

/// Applies a route's transforms for a request version.
public struct VersionedRendering: Sendable {
    /// The route's transforms, any order.
    public let transforms: [any ResponseTransform]

    /// Creates a rendering from a route's transforms.
    public init(_ transforms: [any ResponseTransform]) {
        self.transforms = transforms.sorted { $0.introducedIn > $1.introducedIn }
    }

    /// True when a response for `version` needs at least one transform.
    public func needsTransform(for version: APIVersion) -> Bool {
        transforms.contains { version < $0.introducedIn }
    }

    /// The body as a client on `version` expects it.
    public func render(_ body: JSONValue, for version: APIVersion) -> JSONValue {
        transforms.filter { version < $0.introducedIn }.reduce(body) { $1.downgrade($0) }
    }
}

extension VersionedRendering {
    /// A JSON response of `body` in the shape `version` expects; encoded directly when no transform applies.
    func response(_ body: some Encodable, for version: APIVersion, status: HTTPResponse.Status = .ok) throws -> Response {
        guard needsTransform(for: version) else { return try JSONCoding.response(body, status: status) }
        let encoded = try JSONCoding.makeEncoder().encode(body)
        let value = try JSONDecoder().decode(JSONValue.self, from: encoded)
        return try JSONCoding.response(render(value, for: version), status: status)
    }
}
