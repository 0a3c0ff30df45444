import Foundation
import GridlinkCore
import Hummingbird

/// The JSON conventions of the API: ISO-8601 timestamps with milliseconds in UTC.
enum JSONCoding {
    /// An encoder for response bodies.
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(timestamp(date))
        }
        return encoder
    }

    /// The wire form of a timestamp, e.g. `2023-07-18T10:08:02.373Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    /// A response with `body` encoded as JSON.
    static func response(_ body: some Encodable, status: HTTPResponse.Status = .ok, contentType: String = "application/json") throws -> Response {
        let data = try makeEncoder().encode(body)
        return Response(
            status: status,
            headers: [.contentType: contentType],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
