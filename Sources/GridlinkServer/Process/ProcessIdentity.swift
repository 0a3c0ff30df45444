import Foundation
import GridlinkCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who holds a lease or claim: the host, the host's boot, the process id and start time, and a random nonce per server.
///
/// The name lets a starting process recognise holds of earlier processes on the same host and boot that have ended: their
/// process id no longer runs, or now belongs to a process that started at another time (a restarted container reuses pid 1).
/// Those holds are released at once instead of waiting for them to expire. Holds of any other process wait out their expiry.
public struct ProcessIdentity: Sendable, Equatable {
    /// The host name.
    public let host: String
    /// The kernel's boot id (`/proc/sys/kernel/random/boot_id`) and the process's pid namespace (`/proc/self/ns/pid`):
    /// process ids compare only within one namespace (two containers with one host name share a boot but not pids).
    /// Empty where there is no boot id, and then nothing is released.
    public let boot: String
    /// The process id.
    public let pid: Int32
    /// When the process started, in clock ticks since boot (`/proc/PID/stat`); empty where unknown.
    public let started: String
    /// Random per server instance, so two servers in one process (tests) are told apart.
    public let nonce: String

    /// A new identity for a server in this process.
    public static func forThisProcess() -> ProcessIdentity {
        let pid = getpid()
        return ProcessIdentity(host: ProcessInfo.processInfo.hostName, boot: bootId(), pid: pid, started: startTime(of: pid) ?? "",
                               nonce: RandomToken.hex(bytes: 4))
    }

    /// The name written into leases and claims.
    public var holderName: String { ["gridlink@" + host, boot, String(pid), started, nonce].joined(separator: "#") }

    /// Creates an identity from its parts.
    public init(host: String, boot: String, pid: Int32, started: String, nonce: String) {
        self.host = host
        self.boot = boot
        self.pid = pid
        self.started = started
        self.nonce = nonce
    }

    /// Reads an identity back from a holder name; nil for names of another form (older releases).
    public init?(holderName: String) {
        guard holderName.hasPrefix("gridlink@") else { return nil }
        let parts = holderName.dropFirst("gridlink@".count).split(separator: "#", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, let pid = Int32(parts[2]) else { return nil }
        self.init(host: parts[0], boot: parts[1], pid: pid, started: parts[3], nonce: parts[4])
    }

    /// Whether `other` ran on this host since this boot and has certainly ended. `startTime` reads a running process's
    /// start time (nil when no such process runs).
    public func hasOutlived(_ other: ProcessIdentity, startTime: (Int32) -> String? = ProcessIdentity.startTime) -> Bool {
        guard other.host == host, !boot.isEmpty, other.boot == boot, !other.started.isEmpty else { return false }
        return startTime(other.pid) != other.started
    }

    /// The start time of process `pid` (field 22 of `/proc/PID/stat`), nil when it does not run (a zombie has ended too)
    /// or cannot be read.
    public static func startTime(of pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let commandEnd = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (command)" the fields start at field 3 (state); the start time is field 22.
        let fields = stat[stat.index(after: commandEnd)...].split(separator: " ")
        guard fields.count > 19, fields[0] != "Z" else { return nil }
        return String(fields[19])
    }

    private static func bootId() -> String {
        let boot = ((try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let namespace = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/pid")) ?? ""
        guard !boot.isEmpty else { return "" }
        return namespace.isEmpty ? boot : boot + "/" + namespace
    }
}
