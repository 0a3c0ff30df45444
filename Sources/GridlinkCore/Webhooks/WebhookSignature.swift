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
