/// A dated Enode API version; later versions compare greater.
public enum APIVersion: String, CaseIterable, Sendable, Comparable, Codable {
    case v2023_02_01 = "2023-02-01"
    case v2023_03_01 = "2023-03-01"
    case v2023_04_01 = "2023-04-01"
    case v2023_04_15 = "2023-04-15"
    case v2023_05_01 = "2023-05-01"
    case v2023_08_01 = "2023-08-01"
    case v2024_01_01 = "2024-01-01"
    case v2024_10_01 = "2024-10-01"

    /// The newest version, pinned on new clients and used when nothing else applies.
    public static let current: APIVersion = .v2024_10_01

    /// Versions in release order.
    public static let ordered: [APIVersion] = allCases

    private var index: Int { Self.ordered.firstIndex(of: self)! }

    /// Orders versions by release date.
    public static func < (lhs: APIVersion, rhs: APIVersion) -> Bool { lhs.index < rhs.index }
}

/// A half-open span of API versions in which something (a route, a field) exists.
public struct VersionRange: Sendable, Equatable {
    /// The first version that has it, or nil for "since the beginning".
    public let introduced: APIVersion?
    /// The first version that no longer has it, or nil for "still present".
    public let removed: APIVersion?

    /// Creates a range from `introduced` (inclusive) to `removed` (exclusive).
    public init(introduced: APIVersion? = nil, removed: APIVersion? = nil) {
        self.introduced = introduced
        self.removed = removed
    }

    /// Every version.
    public static let always = VersionRange()

    /// True when `version` falls inside the range.
    public func contains(_ version: APIVersion) -> Bool {
        if let introduced, version < introduced { return false }
        if let removed, version >= removed { return false }
        return true
    }
}
