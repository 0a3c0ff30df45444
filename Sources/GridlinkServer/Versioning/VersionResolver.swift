import Foundation
import GridlinkCore
import HTTPTypes
import Hummingbird

/// Works out the API version a request is answered in.
enum VersionResolver {
    /// The version named by the `Enode-Version` header, nil when absent; 400 for an unknown value.
    static func headerVersion(of request: Request) throws(Problem) -> APIVersion? {
        guard let raw = request.headers[.enodeVersion] else { return nil }
        guard let version = APIVersion(rawValue: raw.trimmingCharacters(in: .whitespaces)) else {
            let known = APIVersion.ordered.map(\.rawValue).joined(separator: ", ")
            throw .badRequest("\"Enode-Version\" must be one of [\(known)]; got \"\(raw)\"")
        }
        return version
    }

    /// The header's version, else the client's pinned version.
    static func effectiveVersion(of request: Request, pinned: APIVersion) throws(Problem) -> APIVersion {
        try headerVersion(of: request) ?? pinned
    }

    /// The version used for responses written before the caller is known: a valid header, else the current version.
    static func provisionalVersion(of request: Request) -> APIVersion {
        (try? headerVersion(of: request)) ?? .current
    }
}
