/// Webhook event names the changelog renamed, and what each is called in a given API version.
public enum WebhookEventNames {
    /// A current event name → the version that introduced it and the name it had before.
    static let renames: [String: (since: APIVersion, before: String)] = [
        "user:vendor-action:updated": (.v2023_03_01, "user:charge-action:updated"),
    ]

    /// The name the event currently called `name` has in `version`.
    public static func name(_ name: String, in version: APIVersion) -> String {
        guard let rename = renames[name], version < rename.since else { return name }
        return rename.before
    }

    /// The current name of an event known as `name` in some version (itself when never renamed).
    public static func current(_ name: String) -> String {
        renames.first { $0.value.before == name }?.key ?? name
    }
}
