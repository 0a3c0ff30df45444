import GridlinkCore
import Hummingbird

/// Renders list endpoints: a page with cursors from 2023-08-01, every item as a bare array before.
struct ListRendering: Sendable {
    private static let rendering = VersionedRendering([UnpaginatedListTransform()])

    /// Answers a list request: parses paging parameters, fetches through `fetch`, renders `render(item)` per item.
    ///
    /// `versioned: false` is for Gridlink's own APIs (the sandbox), which have no pre-2023-08-01 shape.
    static func respond<Item: Sendable, Body: Encodable>(
        to request: Request, context: GridlinkRequestContext, versioned: Bool = true,
        fetch: @Sendable (PageRequest) async throws -> Page<Item>,
        render: (Item) -> Body
    ) async throws -> Response {
        if versioned && rendering.needsTransform(for: context.apiVersion) {
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
        return try JSONCoding.response(PaginatedList(data: page.items.map(render), pagination: .init(after: page.after, before: page.before)))
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
