import Foundation

/// Whether an intervention concerns the user's vendor account or the device itself (ENUMS InterventionDomain).
public enum InterventionDomain: String, Sendable, CaseIterable {
    case account = "Account", device = "Device"
}

/// Whether the user can resolve an intervention from anywhere or must be at the device (ENUMS InterventionResolutionAccess).
public enum ResolutionAccess: String, Sendable, CaseIterable {
    case remote = "Remote", physical = "Physical"
}

/// Who resolves an intervention: the user, or someone else such as an installer (ENUMS InterventionResolutionAgent).
public enum ResolutionAgent: String, Sendable, CaseIterable {
    case user = "User", thirdParty = "ThirdParty"
}

/// The localized words of an intervention's resolution.
public struct ResolutionText: Sendable, Equatable {
    /// Short title.
    public let title: String
    /// Markdown description of the steps.
    public let description: String

    /// Creates a text.
    public init(title: String, description: String) {
        self.title = title
        self.description = description
    }
}

/// A step the end user (or a third party) must take to unlock device capabilities (ENUMS Intervention).
public struct Intervention: Sendable, Equatable {
    /// Stable id (a UUID).
    public let id: String
    /// Vendor the intervention is for; nil when it applies to every vendor.
    public let vendor: String?
    /// Asset type it is for; nil when it applies to every type.
    public let vendorType: VendorType?
    /// When the intervention was introduced.
    public let introducedAt: Date
    /// The kind of step, which decides its domain, resolution and words.
    public let kind: InterventionKind

    /// Creates an intervention.
    public init(id: String, vendor: String?, vendorType: VendorType?, introducedAt: Date, kind: InterventionKind) {
        self.id = id
        self.vendor = vendor
        self.vendorType = vendorType
        self.introducedAt = introducedAt
        self.kind = kind
    }

    /// The brand shown to users, e.g. `Tesla`; nil for interventions of every vendor.
    public var brand: String? { vendor.map(BrandNames.brand(of:)) }

    /// Whether the intervention applies to `vendor` (nil matches) and `type` (nil matches).
    public func matches(vendor: String?, type: VendorType?) -> Bool {
        (vendor == nil || self.vendor == nil || self.vendor == vendor) && (type == nil || vendorType == nil || vendorType == type)
    }

    /// The resolution words in `language`.
    public func text(in language: TextLanguage) -> ResolutionText {
        let template = InterventionTexts.text(kind, language)
        let brand = self.brand ?? ""
        return ResolutionText(
            title: template.title.replacingOccurrences(of: "{brand}", with: brand),
            description: template.description.replacingOccurrences(of: "{brand}", with: brand))
    }

    /// The API's JSON body (ENUMS §2.9) with the resolution in `language`.
    public func json(in language: TextLanguage) -> JSONValue {
        let text = text(in: language)
        return [
            "id": .string(id),
            "vendor": vendor.map { .string($0) } ?? .null,
            "vendorType": vendorType.map { .string($0.rawValue) } ?? .null,
            "brand": brand.map { .string($0) } ?? .null,
            "introducedAt": .string(Timestamp.format(introducedAt)),
            "domain": .string(kind.domain.rawValue),
            "resolution": [
                "title": .string(text.title),
                "description": .string(text.description),
                "access": .string(kind.access.rawValue),
                "agent": .string(kind.agent.rawValue),
                "action": kind.linksAgain ? "Link" : .null,
            ],
        ]
    }
}
