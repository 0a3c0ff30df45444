import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive claim on a SQLite database file for one serving process, held until the process exits.
///
/// SQLite is Gridlink's single-process backend: two servers on one file would each run the background work and the sandbox
/// world on their own. `gridlink serve` takes this lock before anything else; a second server on the same file is refused
/// with ``StoreError/databaseInUse(_:)``. The lock is an `flock` on `<database>.lock`, which the kernel drops when the
/// process dies, so a crash never leaves a stale lock. One-shot commands (`clients create`, `migrate`) do not take it.
public final class ServingLock: Sendable {
    private let descriptor: Int32
    /// The lock file beside the database.
    public let path: String

    /// Takes the lock for the SQLite database at `databasePath`, recording this process's id in the lock file.
    public init(databasePath: String) throws {
        path = databasePath + ".lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreError.databaseInUse("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            throw StoreError.databaseInUse(
                "\(databasePath) is already served by another gridlink process\(holder.isEmpty ? "" : " (pid \(holder))"). "
                    + "SQLite supports one server process; stop the other one, or use PostgreSQL for several.")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
    }

    deinit {
        close(descriptor)
    }
}
