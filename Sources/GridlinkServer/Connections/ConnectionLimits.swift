import Foundation

/// How many connections the server holds open and how long it waits for a client before closing its connection.
public struct ConnectionLimits: Sendable, Equatable {
    /// Most connections open at once; at the limit the longest-idle connection is closed to admit a new one.
    public var maxConnections: Int
    /// How long a connection may sit without a request in progress (keep-alive or freshly opened, no byte sent).
    public var idleTimeout: Duration
    /// How long a request head may take from its first byte until it is complete.
    public var headerTimeout: Duration
    /// How long a request body may go without a byte arriving.
    public var bodyTimeout: Duration

    /// Limits with the documented defaults: 30 s idle, 10 s header, 30 s body, a connection cap sized from the descriptor limit.
    public init(
        maxConnections: Int = ConnectionLimits.defaultMaxConnections(), idleTimeout: Duration = .seconds(30),
        headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30)
    ) {
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
    }

    /// The default cap: the process's open-file limit less headroom for the database, webhook and vendor sockets and
    /// files (a quarter of the limit, at least 128), and never below 16.
    public static func defaultMaxConnections(fileLimit: Int = ConnectionLimits.openFileLimit()) -> Int {
        max(16, fileLimit - max(128, fileLimit / 4))
    }

    /// The soft `RLIMIT_NOFILE` of this process (1,024 when it cannot be read).
    public static func openFileLimit() -> Int {
        var limit = rlimit()
        #if canImport(Glibc)
            let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
            let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return 1_024 }
        // RLIM_INFINITY is the largest value, which clamps to Int.max.
        return Int(clamping: limit.rlim_cur)
    }
}
