import Foundation
import GridlinkCore
import Testing

@Suite("Core values")
struct CoreTests {
    @Test("API versions are ordered by date and ranges are half-open")
    func versionOrdering() {
        #expect(APIVersion.ordered.map(\.rawValue) == APIVersion.ordered.map(\.rawValue).sorted())
        #expect(APIVersion.current == .v2024_10_01)
        let legacy = VersionRange(removed: .v2023_08_01)
        #expect(legacy.contains(.v2023_05_01))
        #expect(!legacy.contains(.v2023_08_01))
        let modern = VersionRange(introduced: .v2023_08_01)
        #expect(modern.contains(.v2023_08_01) && modern.contains(.v2024_10_01) && !modern.contains(.v2023_02_01))
    }

    @Test("cursors round-trip and reject foreign strings")
    func cursors() {
        #expect(PageCursor.decode(PageCursor.encode(42)) == 42)
        #expect(PageCursor.decode("MjAyMy0wNy0xOFQxMDowODowMi4zNzNa") == nil)
        #expect(PageCursor.decode("") == nil)
        #expect(PageCursor.decode("%%%") == nil)
    }

    @Test("page requests validate size and exclusivity")
    func pageRequests() throws {
        #expect(try PageRequest.parse(after: nil, before: nil, pageSize: nil) == PageRequest(position: .first, size: 50))
        #expect(try PageRequest.parse(after: PageCursor.encode(7), before: nil, pageSize: "100") == PageRequest(position: .after(7), size: 100))
        #expect(try PageRequest.parse(after: nil, before: PageCursor.encode(7), pageSize: "1") == PageRequest(position: .before(7), size: 1))
        #expect(throws: Problem.self) { try PageRequest.parse(after: "a", before: "b", pageSize: nil) }
        #expect(throws: Problem.self) { try PageRequest.parse(after: nil, before: nil, pageSize: "0") }
        #expect(throws: Problem.self) { try PageRequest.parse(after: nil, before: nil, pageSize: "101") }
    }

    @Test("secret hashes are salted and only match their secret")
    func secretHashes() {
        let first = SecretHash.make(secret: "s3cret")
        let second = SecretHash.make(secret: "s3cret")
        #expect(first.salt != second.salt && first.digest != second.digest)
        #expect(first.matches("s3cret") && second.matches("s3cret"))
        #expect(!first.matches("s3cret ") && !first.matches(""))
    }

    @Test("the manual clock moves only when told")
    func manualClock() {
        let clock = ManualClock(start: Date(timeIntervalSince1970: 0))
        #expect(clock.now() == Date(timeIntervalSince1970: 0))
        clock.advance(by: 90)
        #expect(clock.now() == Date(timeIntervalSince1970: 90))
        clock.set(Date(timeIntervalSince1970: 5))
        #expect(clock.now() == Date(timeIntervalSince1970: 5))
    }

    @Test("tokens minted now expire after the documented lifetime")
    func tokenLifetime() {
        let now = Date(timeIntervalSince1970: 1000)
        let token = IssuedToken.mint(at: now)
        #expect(token.expiresAt == now.addingTimeInterval(3600))
        #expect(token.token.count >= 43)
        #expect(token.token != IssuedToken.mint(at: now).token)
    }
}
