extension Array where Element: Hashable {
    /// The elements without repeats, each kept at its first occurrence (how request lists with duplicates are read).
    public func removingDuplicates() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
