import Foundation

/// The secrets that currently authenticate a client: the active one and, during a
/// rotation's grace period, the previous one.
public struct ClientCredentials: Sendable, Equatable {
    /// How long a rotated-out secret keeps working.
    public static let rotationGracePeriod: TimeInterval = 24 * 60 * 60

    /// Hash of the active secret.
    public let current: SecretHash
    /// Hash of the previous secret, if a rotation happened.
    public let previous: SecretHash?
    /// When the previous secret stops working.
    public let previousExpiresAt: Date?

    /// Wraps stored credentials.
    public init(current: SecretHash, previous: SecretHash?, previousExpiresAt: Date?) {
        self.current = current
        self.previous = previous
        self.previousExpiresAt = previousExpiresAt
    }

    /// True when `secret` is the active secret, or the previous one still inside its grace period at `now`.
    public func accepts(_ secret: String, at now: Date) -> Bool {
        if current.matches(secret) { return true }
        guard let previous, let previousExpiresAt, now < previousExpiresAt else { return false }
        return previous.matches(secret)
    }
}

/// A freshly issued bearer token.
public struct IssuedToken: Sendable, Equatable {
    /// Lifetime of every access token.
    public static let lifetime: TimeInterval = 3600

    /// The opaque bearer token, shown once.
    public let token: String
    /// When the token stops being accepted.
    public let expiresAt: Date

    /// Creates an issued token value.
    public init(token: String, expiresAt: Date) {
        self.token = token
        self.expiresAt = expiresAt
    }

    /// Mints a new random token valid for ``lifetime`` from `now`.
    public static func mint(at now: Date) -> IssuedToken {
        IssuedToken(token: RandomToken.urlSafe(bytes: 32), expiresAt: now.addingTimeInterval(lifetime))
    }
}
