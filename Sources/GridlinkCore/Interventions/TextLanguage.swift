import Foundation

/// The languages Gridlink writes user-facing text in: English, Norwegian (bokmål) and German.
public enum TextLanguage: String, Sendable, CaseIterable {
    case english = "en", norwegian = "nb", german = "de"

    /// The language of a BCP 47 tag (`de-DE`, `nb`, `no`, `en-GB`, …); nil when Gridlink has no text in it.
    public init?(tag: String) {
        let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? ""
        switch primary {
        case "en": self = .english
        case "nb", "no", "nn": self = .norwegian
        case "de": self = .german
        default: return nil
        }
    }

    /// The preferred language of an `Accept-Language` value that Gridlink has text in (highest `q` first, then
    /// order; `*` means English); nil when there is none.
    public static func preferred(acceptLanguage: String) -> TextLanguage? {
        let ranges = acceptLanguage.split(separator: ",").enumerated().compactMap { index, part -> (String, Double, Int)? in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first, !tag.isEmpty else { return nil }
            let quality = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (tag, quality, index)
        }
        let ordered = ranges.filter { $0.1 > 0 }.sorted { ($0.1, -$0.2) > ($1.1, -$1.2) }
        for (tag, _, _) in ordered {
            if tag == "*" { return .english }
            if let language = TextLanguage(tag: tag) { return language }
        }
        return nil
    }
}
