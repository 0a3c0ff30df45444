import GridlinkCore
import Hummingbird

/// Renders list endpoints: a page with cursors from 2023-08-01, every item as a bare array before.
struct ListRendering: Sendable {
    /// Answers a list request: parses paging parameters, fetches through `fetch`, renders `render(item)` per item.
    ///
    /// `rendering` holds the route's dated transforms; nil is for Gridlink's own APIs (the sandbox), which have one shape.
    static func respond<Item: Sendable, Body: Encodable>(
        to request: Request, context: GridlinkRequestContext, rendering: VersionedRendering? = .lists,
        fetch: @Sendable (PageRequest) async throws -> Page<Item>,
        render: (Item) -> Body
    ) async throws -> Response {
        if let rendering, context.apiVersion < UnpaginatedListTransform.version {
            var items: [Item] = []
            var page = try await fetch(PageRequest(size: PageRequest.maximumSize))
            items += page.items
            while let after = page.after, let position = PageCursor.decode(after) {
                page = try await fetch(PageRequest(position: .after(position), size: PageRequest.maximumSize))
                items += page.items
            }
            let everything = PaginatedList(data: items.map(render), pagination: .init(after: nil, before: nil))
            return try rendering.response(everything, for: context.apiVersion)
        }
        let query = request.uri.queryParameters
        let pageRequest = try PageRequest.parse(
            after: query["after"].map(String.init), before: query["before"].map(String.init),
            pageSize: query["pageSize"].map(String.init))
        let page = try await fetch(pageRequest)
        let body = PaginatedList(data: page.items.map(render), pagination: .init(after: page.after, before: page.before))
        guard let rendering else { return try JSONCoding.response(body) }
        return try rendering.response(body, for: context.apiVersion)
    }
}

/// The `{data, pagination}` envelope of paginated lists.
struct PaginatedList<Item: Encodable>: Encodable {
    /// Cursors to the neighbouring pages.
    struct Cursors: Encodable {
        let after: String?
        let before: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(after, forKey: .after)
            try container.encode(before, forKey: .before)
        }

        enum CodingKeys: String, CodingKey { case after, before }
    }

    let data: [Item]
    let pagination: Cursors
}
