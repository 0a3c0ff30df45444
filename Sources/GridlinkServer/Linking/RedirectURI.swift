import Foundation
import GridlinkCore

/// The rules for a link session's `redirectUri`, where the Link UI sends the user back to the app.
enum RedirectURI {
    /// Schemes a browser would run or read locally instead of navigating back to the app.
    static let forbiddenSchemes: Set<String> = ["javascript", "data", "vbscript", "file"]

    /// Characters kept as they are when a URI is rendered: RFC 3986's unreserved and reserved characters and `%`.
    private static let uriCharacters = CharacterSet(charactersIn:
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!$&'()*+,;=%")

    /// Throws a 400 problem naming `redirectUri` unless `uri` is an absolute URI the user may be sent to: an http or
    /// https URL with a host, or an app scheme such as `myapp://done`; never `javascript:`, `data:`, `vbscript:` or `file:`.
    static func validate(_ uri: String) throws {
        let invalid = Problem.badRequest("\"redirectUri\" must be an absolute URI such as https://app.example.com/linked or myapp://linked")
        // Browsers drop tabs and line breaks inside URLs ("java\tscript:"), so no whitespace or control character passes.
        guard !uri.unicodeScalars.contains(where: { CharacterSet.whitespacesAndNewlines.contains($0) || CharacterSet.controlCharacters.contains($0) }),
              let colon = uri.firstIndex(of: ":") else { throw invalid }
        let scheme = uri[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { throw invalid }
        let lowered = scheme.lowercased()
        if forbiddenSchemes.contains(lowered) {
            throw Problem.badRequest("\"redirectUri\" must not use the \(lowered): scheme; use an http, https or app scheme such as myapp://linked")
        }
        guard let components = URLComponents(string: encoded(uri)) else { throw invalid }
        if lowered == "http" || lowered == "https", components.host?.isEmpty ?? true { throw invalid }
    }

    /// `uri` with every character that may not appear in a URI (quotes, angle brackets, spaces, non-ASCII)
    /// percent-encoded; HTML-escape it as well before putting it into an attribute.
    static func encoded(_ uri: String) -> String {
        uri.addingPercentEncoding(withAllowedCharacters: uriCharacters) ?? uri
    }
}
