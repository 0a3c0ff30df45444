import Foundation
import Logging
import Synchronization

/// Writes each log record as one JSON object per line (`time`, `level`, `label`, `message`, `source` and the metadata
/// as string members), for log collectors; `gridlink serve --log-format json`.
public struct JSONLogHandler: LogHandler {
    /// Where the lines go, one writer at a time so lines never interleave.
    private final class Output: Sendable {
        let handle: FileHandle
        let lock = Mutex(())
        init(_ handle: FileHandle) { self.handle = handle }
        func write(_ line: Data) { lock.withLock { _ in handle.write(line) } }
    }

    private let label: String
    private let output: Output
    /// Least severe level written.
    public var logLevel: Logger.Level = .info
    /// Metadata of every record of this logger.
    public var metadata: Logger.Metadata = [:]

    /// A handler for `label` writing to `handle` (standard output by default).
    public init(label: String, handle: FileHandle = .standardOutput) {
        self.label = label
        self.output = Output(handle)
    }

    /// The value of one metadata key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one record as a JSON line.
    public func log(event: LogEvent) {
        var record: [String: String] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { record[key] = "\(value)" }
        record["time"] = Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date())
        record["level"] = event.level.rawValue
        record["label"] = label
        record["message"] = "\(event.message)"
        record["source"] = event.source
        guard var line = try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        line.append(UInt8(ascii: "\n"))
        output.write(line)
    }
}
