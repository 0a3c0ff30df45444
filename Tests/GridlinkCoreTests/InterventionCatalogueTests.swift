import Foundation
@testable import GridlinkCore
import Testing

@Suite("Intervention catalogue")
struct InterventionCatalogueTests {
    @Test("ids are stable name-based UUIDs; each kind's capabilities belong to its type and no capability has two kinds")
    func ids() throws {
        #expect(InterventionCatalogue.relink.id == "b7c5a4e2-6d1f-4c3a-9e8b-2f0d1a7c9e31")
        #expect(AssetRenderer.relinkInterventionId == InterventionCatalogue.relink.id)
        let ids = InterventionCatalogue.interventionIds(vendor: "TESLA", type: .vehicle, capability: "location")
        #expect(ids.count == 1)
        let id = try #require(ids.first)
        #expect(UUID(uuidString: id) != nil && Array(id)[14] == "5")
        #expect(InterventionCatalogue.intervention(id: id)?.kind == .vehicleLocationSharing)
        #expect(InterventionCatalogue.intervention(id: id.uppercased())?.id == id)
        for type in VendorType.allCases {
            let capabilities = InterventionKind.allCases.filter { $0.vendorType == type }.flatMap(\.capabilities)
            #expect(Set(capabilities).count == capabilities.count, "\(type)")
        }
        #expect(InterventionCatalogue.interventionIds(vendor: "TESLA", type: .hvac, capability: "setPermanentHold").isEmpty)
        #expect(InterventionCatalogue.interventionIds(vendor: "TESLA", type: .vehicle, capability: "teleport").isEmpty)
    }

    @Test("every kind has its own text in every language, with the brand filled in")
    func texts() {
        for kind in InterventionKind.allCases {
            let english = InterventionTexts.text(kind, .english)
            #expect(!english.title.isEmpty && !english.description.isEmpty, "\(kind)")
            #expect(InterventionTexts.text(kind, .norwegian).title != english.title, "\(kind)")
            #expect(InterventionTexts.text(kind, .german).title != english.title, "\(kind)")
        }
        let easee = InterventionCatalogue.all.first { $0.vendor == "EASEE" && $0.kind == .chargerCloudControl }
        #expect(easee?.text(in: .norwegian).title == "Slå på fjernstyring av Easee-laderen")
    }

    @Test("language tags and Accept-Language ranges")
    func languages() {
        #expect(TextLanguage(tag: "nb-NO") == .norwegian && TextLanguage(tag: "no") == .norwegian && TextLanguage(tag: "DE_at") == .german)
        #expect(TextLanguage(tag: "fr-FR") == nil && TextLanguage(tag: "") == nil)
        #expect(TextLanguage.preferred(acceptLanguage: "fr;q=0.9, de;q=0.8, nb;q=0.95") == .norwegian)
        #expect(TextLanguage.preferred(acceptLanguage: "de;q=0, en-GB;q=0.1") == .english)
        #expect(TextLanguage.preferred(acceptLanguage: "fr, *;q=0.1") == .english)
        #expect(TextLanguage.preferred(acceptLanguage: "fr, es") == nil)
        #expect(TextLanguage.preferred(acceptLanguage: ";;,q=1") == nil)
    }
}
