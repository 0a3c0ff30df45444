import Foundation

/// Where a page starts: the first page, or strictly older/newer than a cursor position.
public enum PagePosition: Sendable, Equatable {
    /// The newest items.
    case first
    /// Items older than the given position (the `after` cursor).
    case after(Int64)
    /// Items newer than the given position (the `before` cursor).
    case before(Int64)
}

/// A validated request for one page of a newest-first list.
public struct PageRequest: Sendable, Equatable {
    /// Default page size when the client sends none.
    public static let defaultSize = 50
    /// Largest accepted page size.
    public static let maximumSize = 100

    /// Where the page starts.
    public let position: PagePosition
    /// How many items the page holds at most.
    public let size: Int

    /// Creates a page request; `size` must already be validated.
    public init(position: PagePosition = .first, size: Int = PageRequest.defaultSize) {
        self.position = position
        self.size = size
    }

    /// Parses the `after`, `before` and `pageSize` query values, throwing 400 problems naming the parameter.
    public static func parse(after: String?, before: String?, pageSize: String?) throws(Problem) -> PageRequest {
        if after != nil && before != nil {
            throw .badRequest("\"after\" and \"before\" cannot be used together")
        }
        var size = defaultSize
        if let pageSize {
            guard let parsed = Int(pageSize), (1...maximumSize).contains(parsed) else {
                throw .badRequest("\"pageSize\" must be an integer between 1 and \(maximumSize)")
            }
            size = parsed
        }
        if let after {
            guard let position = PageCursor.decode(after) else { throw .badRequest("\"after\" is not a valid cursor") }
            return PageRequest(position: .after(position), size: size)
        }
        if let before {
            guard let position = PageCursor.decode(before) else { throw .badRequest("\"before\" is not a valid cursor") }
            return PageRequest(position: .before(position), size: size)
        }
        return PageRequest(position: .first, size: size)
    }
}

/// Opaque cursor encoding: base64url of a versioned position marker.
public enum PageCursor {
    private static let prefix = "gl1:"

    /// Encodes a list position as an opaque cursor.
    public static func encode(_ position: Int64) -> String {
        Data((prefix + String(position)).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes a cursor produced by ``encode(_:)``; nil for anything else.
    public static func decode(_ cursor: String) -> Int64? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
              text.hasPrefix(prefix), let value = Int64(text.dropFirst(prefix.count)), value >= 0 else { return nil }
        return value
    }
}

/// One page of a newest-first list with the cursors to its neighbours.
public struct Page<Item: Sendable>: Sendable {
    /// The items, newest first.
    public let items: [Item]
    /// Cursor to the next (older) page, nil when there is none.
    public let after: String?
    /// Cursor to the previous (newer) page, nil when there is none.
    public let before: String?

    /// Creates a page.
    public init(items: [Item], after: String?, before: String?) {
        self.items = items
        self.after = after
        self.before = before
    }

    /// The same page with every item transformed.
    public func map<Other: Sendable>(_ transform: (Item) throws -> Other) rethrows -> Page<Other> {
        Page<Other>(items: try items.map(transform), after: after, before: before)
    }
}

extension Page {
    /// One page of an in-memory list, newest first, positioned by each item's monotonic `position`.
    public static func slice(_ items: [Item], request: PageRequest, position: (Item) -> Int64) -> Page<Item> {
        let newestFirst = items.sorted { position($0) > position($1) }
        let window: ArraySlice<Item>
        switch request.position {
        case .first: window = newestFirst.prefix(request.size)
        case .after(let cursor): window = newestFirst.filter { position($0) < cursor }.prefix(request.size)
        case .before(let cursor): window = newestFirst.filter { position($0) > cursor }.suffix(request.size)
        }
        guard let newest = window.first.map(position), let oldest = window.last.map(position) else {
            return Page(items: [], after: nil, before: nil)
        }
        let hasOlder = newestFirst.contains { position($0) < oldest }
        let hasNewer = newestFirst.contains { position($0) > newest }
        return Page(items: Array(window), after: hasOlder ? PageCursor.encode(oldest) : nil, before: hasNewer ? PageCursor.encode(newest) : nil)
    }
}
