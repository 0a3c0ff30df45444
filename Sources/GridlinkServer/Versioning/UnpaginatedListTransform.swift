import GridlinkCore

/// 2023-08-01 introduced cursor pagination for every list; earlier versions get a bare array of items.
public struct UnpaginatedListTransform: ResponseTransform {
    /// The version that introduced pagination.
    public static let version = APIVersion.v2023_08_01
    /// Always 2023-08-01.
    public let introducedIn = UnpaginatedListTransform.version
    /// Describes the change.
    public let summary = "List endpoints return {data, pagination} instead of a bare array"

    /// Creates the transform.
    public init() {}

    /// `{data: [...], pagination}` → `[...]`.
    public func downgrade(_ body: JSONValue) -> JSONValue {
        body["data"] ?? body
    }
}
