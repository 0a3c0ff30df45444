import Foundation
import GridlinkCore

/// Vendor sign-ins waiting for their one-time code, keyed by link session (its token digest).
///
/// What the user typed is needed once more, for the second login call with the code, and is never written to the
/// database: it stays in this process's memory for ``lifetime`` of wall time, and is forgotten when the code is
/// accepted or the session ends. After a restart, or when the code is posted to another process (several servers on
/// PostgreSQL), there is nothing to resume and the user signs in again.
actor PendingLogins {
    /// A username and password waiting for their one-time code.
    struct Login: Sendable {
        /// The vendor username as typed.
        let username: String
        /// The vendor password as typed.
        let password: String
        /// When it is forgotten.
        let expiresAt: Date
    }

    /// How long a sign-in waits for its code (wall time: a person reads the code from their phone).
    static let lifetime: TimeInterval = 600

    private let clock: any GridClock
    private var logins: [String: Login] = [:]

    /// An empty set of pending sign-ins whose expiry reads `clock`.
    init(clock: any GridClock) {
        self.clock = clock
    }

    /// Holds `username` and `password` for the session with `digest` until the code comes or ``lifetime`` passes.
    func hold(username: String, password: String, session digest: String) {
        let now = clock.now()
        logins = logins.filter { $0.value.expiresAt > now }
        logins[digest] = Login(username: username, password: password, expiresAt: now.addingTimeInterval(Self.lifetime))
    }

    /// The sign-in waiting for the session with `digest`, unless it expired or was never held here.
    func login(session digest: String) -> Login? {
        guard let login = logins[digest] else { return nil }
        guard login.expiresAt > clock.now() else {
            logins[digest] = nil
            return nil
        }
        return login
    }

    /// Forgets the sign-in of the session with `digest`.
    func forget(session digest: String) {
        logins[digest] = nil
    }
}
