import ArgumentParser
import AsyncHTTPClient
import Foundation
import GridlinkCore
import NIOCore
import NIOHTTP1

/// Where the running server is and which client to act as.
struct ServerConnectionOptions: ParsableArguments {
    @Option(help: "Base URL of the running server. Env: GRIDLINK_URL.")
    var url: String = ProcessInfo.processInfo.environment["GRIDLINK_URL"] ?? "http://127.0.0.1:8080"

    @Option(name: .customLong("client-id"), help: "Sandbox client id. Env: GRIDLINK_CLIENT_ID.")
    var clientId: String = ProcessInfo.processInfo.environment["GRIDLINK_CLIENT_ID"] ?? ""

    @Option(name: .customLong("client-secret"), help: "Sandbox client secret. Env: GRIDLINK_CLIENT_SECRET.")
    var clientSecret: String = ProcessInfo.processInfo.environment["GRIDLINK_CLIENT_SECRET"] ?? ""

    /// The server's base URL without a trailing slash.
    var base: String { url.hasSuffix("/") ? String(url.dropLast()) : url }

    /// A fresh access token for the client (client credentials grant). Missing credentials are reported here rather
    /// than at parsing, so commands that work offline need none.
    func accessToken() async throws -> String {
        guard !clientId.isEmpty, !clientSecret.isEmpty else {
            throw ValidationError("Pass --client-id and --client-secret (or GRIDLINK_CLIENT_ID and GRIDLINK_CLIENT_SECRET).")
        }
        let basic = Data("\(clientId):\(clientSecret)".utf8).base64EncodedString()
        let token = try await send(.POST, base + "/oauth2/token",
                                   headers: [("Authorization", "Basic \(basic)"), ("Content-Type", "application/x-www-form-urlencoded")],
                                   body: "grant_type=client_credentials")
        guard token.status == 200, case .string(let accessToken) = token.json?["access_token"] else {
            throw SandboxCommandError(message: "Could not get a token: \(token.text)")
        }
        return accessToken
    }

    /// Calls the API as the client and prints the JSON answer; a problem answer becomes a non-zero exit.
    func call(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil) async throws {
        var headers = [("Authorization", "Bearer \(try await accessToken())")]
        var payload: String?
        if let body {
            headers.append(("Content-Type", "application/json"))
            payload = String(decoding: try JSONEncoder().encode(body), as: UTF8.self)
        }
        let reply = try await send(method, base + path, headers: headers, body: payload)
        if let json = reply.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(json), as: UTF8.self))
        }
        guard reply.status < 400 else { throw ExitCode.failure }
    }

    private func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)], body: String?) async throws -> (status: Int, text: String, json: JSONValue?) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 24))
        return (Int(response.status.code), text, try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)))
    }
}

/// A failure explained to the user.
struct SandboxCommandError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Parses `key=value` arguments into a JSON object: numbers, booleans and `null` are typed, everything else is a string.
enum KeyValueArguments {
    static func object(_ pairs: [String]) throws -> JSONValue {
        var object: [String: JSONValue] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "=") else { throw ValidationError("Expected key=value, got \(pair)") }
            let key = String(pair[..<equals])
            let raw = String(pair[pair.index(after: equals)...])
            object[key] = switch raw {
            case "true": .bool(true)
            case "false": .bool(false)
            case "null": .null
            default: Double(raw).map { .number($0) } ?? .string(raw)
            }
        }
        return .object(object)
    }

    /// Seconds in a duration such as `90`, `90s`, `15m`, `2h` or `1d`.
    static func seconds(_ text: String) throws -> Double {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        if let last = text.last, let unit = units[last], let value = Double(text.dropLast()) { return value * unit }
        guard let value = Double(text) else { throw ValidationError("Expected a duration like 90s, 15m, 2h or 1d; got \(text)") }
        return value
    }
}
