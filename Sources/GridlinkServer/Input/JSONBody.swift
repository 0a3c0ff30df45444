import Foundation
import GridlinkCore
import Hummingbird

/// Decodes JSON request bodies, turning every decoding failure into a 400 problem that names the field.
enum JSONBody {
    /// Decodes the body as `type` with `decoder`; an empty body decodes as `{}` when `allowEmpty` is set.
    static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, allowEmpty: Bool = false, decoder: JSONDecoder = JSONDecoder()
    ) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: ServerLimits.maxBodySize)
        var data = Data(buffer: buffer)
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            guard allowEmpty else { throw Problem.badRequest("A JSON request body is required") }
            data = Data("{}".utf8)
        }
        if let contentType = request.headers[.contentType]?.lowercased(), !contentType.contains("json") {
            throw Problem.unsupportedMediaType("Content-Type must be application/json; got \(contentType)")
        }
        do {
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw Problem.badRequest(describe(error))
        }
    }

    /// A sentence naming the field a decoding error is about.
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "\"\(path(context.codingPath + [key]))\" is required"
        case .typeMismatch(let type, let context):
            return context.codingPath.isEmpty ? "The request body must be a JSON \(typeName(type))"
                : "\"\(path(context.codingPath))\" must be \(article(typeName(type)))"
        case .valueNotFound(let type, let context):
            return context.codingPath.isEmpty ? "The request body must not be null"
                : "\"\(path(context.codingPath))\" must be \(article(typeName(type))), not null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "The request body is not valid JSON" }
            let reason = context.debugDescription.hasPrefix("must be") ? context.debugDescription : "has an invalid value"
            return "\"\(path(context.codingPath))\" \(reason)"
        @unknown default:
            return "The request body could not be decoded"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.reduce("") { path, key in
            if let index = key.intValue { return path + "[\(index)]" }
            return path.isEmpty ? key.stringValue : path + "." + key.stringValue
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is [String: Any].Type: "object"
        case is String.Type: "string"
        case is Bool.Type: "boolean"
        case is Int.Type, is Int64.Type: "integer"
        case is Double.Type, is Float.Type: "number"
        case is any Collection.Type: "array"
        default: "object"
        }
    }

    private static func article(_ name: String) -> String {
        ["a", "e", "i", "o", "u"].contains(name.first.map(String.init) ?? "") ? "an \(name)" : "a \(name)"
    }
}
