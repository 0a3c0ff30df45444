import GridlinkCore

/// Applies a per-item change (to an asset, a schedule…) to a single item, a bare list, or a paginated list.
enum ItemBodies {
    /// The body with `transform` applied to each item it holds.
    static func map(_ body: JSONValue, _ transform: (JSONValue) -> JSONValue) -> JSONValue {
        switch body {
        case .array(let items): return .array(items.map(transform))
        case .object where body["data"] != nil && body["pagination"] != nil:
            var page = body
            if case .array(let items) = body["data"] { page["data"] = .array(items.map(transform)) }
            return page
        default: return transform(body)
        }
    }

    /// The body with `change` applied in place to each item it holds.
    static func update(_ body: JSONValue, _ change: (inout JSONValue) -> Void) -> JSONValue {
        map(body) { item in
            var item = item
            change(&item)
            return item
        }
    }
}
