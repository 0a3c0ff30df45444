import GridlinkCore
@testable import GridlinkServer
import Testing

@Suite("Version transforms")
struct TransformTests {
    /// A stand-in for a later change, to check ordering across several transforms.
    struct RenameField: ResponseTransform {
        let introducedIn: APIVersion
        let summary = "renames b to a"
        func downgrade(_ body: JSONValue) -> JSONValue {
            guard case .array(let items) = body else { return body }
            return .array(items.map { item in
                var item = item
                item["b"] = item["a"]
                item["a"] = nil
                if case .object(let fields) = item { return .object(fields.filter { $0.value != .null }) }
                return item
            })
        }
    }

    @Test("2023-08-01 pagination: envelope becomes a bare array only for older versions")
    func unpaginatedList() {
        let body: JSONValue = ["data": [["id": "1"]], "pagination": ["after": nil, "before": nil]]
        let rendering = VersionedRendering([UnpaginatedListTransform()])
        #expect(rendering.render(body, for: .v2023_05_01) == [["id": "1"]])
        #expect(rendering.render(body, for: .v2023_08_01) == body)
        #expect(!rendering.needsTransform(for: .v2024_10_01))
        #expect(rendering.needsTransform(for: .v2023_02_01))
    }

    @Test("transforms apply newest first, each only below its own version")
    func ordering() {
        let rendering = VersionedRendering([RenameField(introducedIn: .v2023_03_01), UnpaginatedListTransform()])
        let body: JSONValue = ["data": [["a": 1]], "pagination": ["after": nil, "before": nil]]
        #expect(rendering.render(body, for: .v2023_04_01) == [["a": 1]])
        #expect(rendering.render(body, for: .v2023_02_01) == [["b": 1]])
    }
}
