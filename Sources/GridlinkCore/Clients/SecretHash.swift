import Crypto
import Foundation

/// A salted SHA-256 digest of a client secret; the secret itself is never stored.
///
/// Secrets are 256-bit random values, so a fast salted hash is sufficient: slow KDFs
/// protect guessable passwords, and the token endpoint stays cheap.
public struct SecretHash: Sendable, Equatable {
    /// Random salt, hex encoded.
    public let salt: String
    /// SHA-256 of salt and secret, hex encoded.
    public let digest: String

    /// Wraps a stored salt and digest.
    public init(salt: String, digest: String) {
        self.salt = salt
        self.digest = digest
    }

    /// Hashes `secret` with a new random salt.
    public static func make(secret: String) -> SecretHash {
        let salt = RandomToken.hex(bytes: 16)
        return SecretHash(salt: salt, digest: digestHex(salt: salt, secret: secret))
    }

    /// True when `secret` hashes to this digest (constant-time comparison).
    public func matches(_ secret: String) -> Bool {
        let candidate = Array(Self.digestHex(salt: salt, secret: secret).utf8)
        let expected = Array(digest.utf8)
        guard candidate.count == expected.count else { return false }
        return zip(candidate, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func digestHex(salt: String, secret: String) -> String {
        SHA256.hash(data: Data((salt + ":" + secret).utf8)).hexString
    }
}

/// Random, URL-safe identifiers and secrets from the system's secure generator.
public enum RandomToken {
    /// `bytes` random bytes, hex encoded.
    public static func hex(bytes: Int) -> String {
        randomBytes(bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// `bytes` random bytes, base64url encoded without padding.
    public static func urlSafe(bytes: Int) -> String {
        Data(randomBytes(bytes)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hex rendering of the bytes.
    public var hexString: String { map { String(format: "%02x", $0) }.joined() }
}

/// Access tokens are stored by their SHA-256 digest so a database leak reveals no usable token.
public enum AccessTokenDigest {
    /// Hex SHA-256 of the bearer token.
    public static func of(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }
}

/// Link session tokens are stored by their SHA-256 digest, as access tokens are: the token in a Link UI URL is the
/// only copy, and a database leak reveals no usable link.
public enum LinkTokenDigest {
    /// Hex SHA-256 of the link token.
    public static func of(_ token: String) -> String {
        AccessTokenDigest.of(token)
    }
}
