/// The dotted names of the fields that differ between two renderings of an asset.
public enum FieldDiff {
    /// Keys whose changes alone do not count as a state change.
    public static let ignored: Set<String> = ["lastSeen", "lastUpdated"]

    /// Dotted paths of changed leaves (arrays compare whole), in sorted order.
    public static func changedFields(from old: JSONValue, to new: JSONValue) -> [String] {
        var changes: [String] = []
        collect(old, new, path: "", into: &changes)
        return changes.sorted()
    }

    private static func collect(_ old: JSONValue?, _ new: JSONValue?, path: String, into changes: inout [String]) {
        if case .object(let oldObject) = old, case .object(let newObject) = new {
            for key in Set(oldObject.keys).union(newObject.keys) where !ignored.contains(key) {
                collect(oldObject[key], newObject[key], path: path.isEmpty ? key : "\(path).\(key)", into: &changes)
            }
        } else if old != new {
            changes.append(path)
        }
    }
}
