import Crypto
import Foundation

/// Every intervention Gridlink reports: the vendor-agnostic re-link, and each kind for every vendor of its type.
public enum InterventionCatalogue {
    /// Reported on every capability while a vendor account's credentials are invalid.
    public static let relink = Intervention(
        id: "b7c5a4e2-6d1f-4c3a-9e8b-2f0d1a7c9e31", vendor: nil, vendorType: nil,
        introducedAt: InterventionKind.relink.introducedAt, kind: .relink)

    /// All interventions, the re-link first, then by asset type, kind and vendor.
    public static let all: [Intervention] = [relink] + InterventionKind.allCases.flatMap { kind -> [Intervention] in
        guard let type = kind.vendorType else { return [] }
        return VendorCatalogue.vendors(of: type).map { vendor in
            Intervention(id: id(kind, type, vendor), vendor: vendor, vendorType: type, introducedAt: kind.introducedAt, kind: kind)
        }
    }

    private static let byId: [String: Intervention] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    /// The intervention with `id`, if any.
    public static func intervention(id: String) -> Intervention? {
        byId[id.lowercased()]
    }

    /// The ids of the interventions that unlock `capability` on a `type` device of `vendor`.
    public static func interventionIds(vendor: String, type: VendorType, capability: String) -> [String] {
        InterventionKind.allCases.filter { $0.vendorType == type && $0.capabilities.contains(capability) }
            .map { id($0, type, vendor) }
            .filter { byId[$0] != nil }
    }

    /// A name-based (version 5) UUID, so an intervention keeps its id across releases.
    private static func id(_ kind: InterventionKind, _ type: VendorType, _ vendor: String) -> String {
        var bytes = Array(Insecure.SHA1.hash(data: Data("gridlink:intervention:\(kind.rawValue):\(type.rawValue):\(vendor)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex[hex.index(hex.startIndex, offsetBy: range.lowerBound)..<hex.index(hex.startIndex, offsetBy: range.upperBound)])
        }
        return parts.joined(separator: "-")
    }
}
