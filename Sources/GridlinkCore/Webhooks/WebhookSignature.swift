import Crypto
import Foundation

/// The `x-enode-signature` of a delivery: `sha1=` + lowercase hex HMAC-SHA1 of the raw body with the webhook secret.
public enum WebhookSignature {
    /// Signs `body` with `secret`.
    public static func sign(body: Data, secret: String) -> String {
        let code = HMAC<Insecure.SHA1>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha1=" + Data(code).hexString
    }
}

/// The Standard Webhooks signature (standardwebhooks.com), sent besides `x-enode-signature` when a webhook asks for
/// it: `webhook-signature: v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`.
public enum StandardWebhookSignature {
    /// The prefix of a Standard Webhooks secret, followed by the key in base64.
    public static let secretPrefix = "whsec_"

    /// The HMAC key of a webhook secret: the base64-decoded bytes after `whsec_`, else the secret's UTF-8 bytes.
    public static func key(secret: String) -> Data {
        if secret.hasPrefix(secretPrefix), let decoded = decodedKey(secret) { return decoded }
        return Data(secret.utf8)
    }

    /// The key bytes of a `whsec_` secret; nil when the rest is not non-empty base64.
    public static func decodedKey(_ secret: String) -> Data? {
        let encoded = String(secret.dropFirst(secretPrefix.count))
        let padded = encoded + String(repeating: "=", count: (4 - encoded.count % 4) % 4)
        guard let data = Data(base64Encoded: padded), !data.isEmpty else { return nil }
        return data
    }

    /// The `webhook-signature` value for `body` sent as message `id` at `timestamp` (Unix seconds).
    public static func sign(id: String, timestamp: Int64, body: Data, secret: String) -> String {
        var signed = Data("\(id).\(timestamp).".utf8)
        signed.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key(secret: secret)))
        return "v1," + Data(code).base64EncodedString()
    }

    /// The `webhook-id` of a batch of outbox events for one webhook: derived from the webhook and the events'
    /// sequences, so every redelivery of the same batch carries the same id.
    public static func messageId(webhookId: String, eventSequences: [Int64]) -> String {
        let digest = SHA256.hash(data: Data((webhookId + ":" + eventSequences.map(String.init).joined(separator: ",")).utf8))
        return "msg_" + Data(digest).hexString.prefix(32)
    }
}
