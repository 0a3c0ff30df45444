import Foundation
import Synchronization

/// A validated public base URL (`scheme://host[:port]`), under which clients and browsers reach this server.
public struct PublicURL: Sendable, CustomStringConvertible {
    /// The base URL without a trailing slash, e.g. `https://gridlink.example.com`.
    public let description: String

    /// Validates `text`: an absolute http or https URL with a host and no path, query, fragment or credentials
    /// (the Link UI's forms post to root-relative paths, so the server must be reachable at the root).
    public init(validating text: String) throws(PublicURLError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            throw PublicURLError(text: text, reason: "must be an absolute http or https URL such as https://gridlink.example.com")
        }
        guard components.user == nil, components.password == nil else { throw PublicURLError(text: text, reason: "must not carry credentials") }
        guard components.query == nil, components.fragment == nil else { throw PublicURLError(text: text, reason: "must not have a query or fragment") }
        guard components.path.isEmpty || components.path == "/" else { throw PublicURLError(text: text, reason: "must not have a path") }
        let port = components.port.map { ":\($0)" } ?? ""
        description = "\(scheme)://\(components.percentEncodedHost ?? host)\(port)"
    }

    /// The URL of the address a server listens on: `http://host:port` (IPv6 hosts in brackets).
    init(listeningOn host: String, port: Int) {
        description = host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }
}

/// Why a public URL was refused.
public struct PublicURLError: Error, CustomStringConvertible {
    /// The refused value.
    public let text: String
    /// What is wrong with it.
    public let reason: String

    /// "The public URL "…" must …".
    public var description: String { "The public URL \"\(text)\" \(reason)" }
}

/// Where absolute links to this server (the Link UI's `linkUrl`) point: the configured public URL, else the address
/// the server listens on, never a request's `Host` header.
public final class PublicOrigin: Sendable {
    private let configured: PublicURL?
    private let listening: Mutex<PublicURL>

    /// An origin that answers `configured` when set, else the listening address (127.0.0.1:8080 until the server reports one).
    public init(configured: PublicURL?) {
        self.configured = configured
        self.listening = Mutex(PublicURL(listeningOn: "127.0.0.1", port: 8080))
    }

    /// Records the address the server is bound to (with the actual port when it was asked for port 0).
    func listen(host: String, port: Int) {
        listening.withLock { $0 = PublicURL(listeningOn: host, port: port) }
    }

    /// The base URL absolute links start with.
    public var url: PublicURL { configured ?? listening.withLock { $0 } }
}
