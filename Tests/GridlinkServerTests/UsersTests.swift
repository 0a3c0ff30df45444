import Foundation
import GridlinkCore
import GridlinkStore
import Testing

@Suite("Users API")
struct UsersTests {
    @Test("GET /users is an empty page for a new client")
    func emptyList() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let reply = try await server.send(.get, "/users", token: token)
            #expect(reply.status == 200)
            #expect(reply.json == ["data": [], "pagination": ["after": nil, "before": nil]])
            #expect(reply.version == "2024-10-01")
        }
    }

    @Test("GET /users/{userId} shows linked vendors; delete, deauthorize and unlink work")
    func userLifecycle() async throws {
        try await TestServer.run { server in
            let (clientId, token) = try await server.clientToken()
            try await server.createUser("alice", clientId: clientId)
            try await server.store.write { session in
                try await session.linkVendor(clientId: clientId, userId: "alice", vendor: "TESLA", vendorType: .vehicle, accountRef: "acct-1", at: server.clock.now())
                try await session.linkVendor(clientId: clientId, userId: "alice", vendor: "EASEE", vendorType: .charger, accountRef: "acct-1", at: server.clock.now())
            }
            let user = try await server.send(.get, "/users/alice", token: token)
            #expect(user.status == 200)
            #expect(user.json == ["id": "alice", "linkedVendors": [
                ["vendor": "EASEE", "vendorType": "charger", "isValid": true],
                ["vendor": "TESLA", "vendorType": "vehicle", "isValid": true],
            ]])

            #expect(try await server.send(.delete, "/users/alice/vendors/EASEE", token: token).status == 204)
            #expect(try await server.send(.delete, "/users/alice/vendors/EASEE", token: token).status == 404)
            let unknownVendor = try await server.send(.delete, "/users/alice/vendors/ACME", token: token)
            #expect(unknownVendor.status == 400)
            #expect(unknownVendor.detail.contains("\"vendor\""))

            #expect(try await server.send(.delete, "/users/alice/authorization", token: token).status == 204)
            let deauthorized = try await server.send(.get, "/users/alice", token: token)
            #expect(deauthorized.json?["linkedVendors"] == [["vendor": "TESLA", "vendorType": "vehicle", "isValid": false]])

            #expect(try await server.send(.delete, "/users/alice", token: token).status == 204)
            #expect(try await server.send(.get, "/users/alice", token: token).status == 404)
            #expect(try await server.send(.delete, "/users/alice", token: token).status == 404)
        }
    }

    @Test("another client's user is a 404 on every user route, never a 403 or a leak")
    func crossClientIsNotFound() async throws {
        try await TestServer.run { server in
            let (owner, ownerToken) = try await server.clientToken()
            let (_, otherToken) = try await server.clientToken()
            try await server.createUser("bob", clientId: owner)
            try await server.store.write { try await $0.linkVendor(clientId: owner, userId: "bob", vendor: "TESLA", vendorType: .vehicle, accountRef: "acct-1", at: server.clock.now()) }
            for (method, path) in [(HTTPMethodName.get, "/users/bob"), (.delete, "/users/bob/authorization"),
                                   (.delete, "/users/bob/vendors/TESLA"), (.delete, "/users/bob")] {
                let reply = try await server.send(method.method, path, token: otherToken)
                #expect(reply.status == 404, "\(method) \(path)")
                #expect(reply.isProblem)
                #expect(!reply.body.contains("TESLA"))
            }
            let list = try await server.send(.get, "/users", token: otherToken)
            #expect(list.json?["data"] == [])
            // The owner's data is untouched.
            let owned = try await server.send(.get, "/users/bob", token: ownerToken)
            #expect(owned.json?["linkedVendors"] == [["vendor": "TESLA", "vendorType": "vehicle", "isValid": true]])
        }
    }

    @Test("paging GET /users with cursors neither skips nor repeats while users are added")
    func paginationOverHTTP() async throws {
        try await TestServer.run { server in
            let (clientId, token) = try await server.clientToken()
            for index in 0..<11 {
                try await server.createUser(String(format: "user-%02d", index), clientId: clientId)
                server.clock.advance(by: 1)
            }
            var seen: [String] = []
            var uri = "/users?pageSize=4"
            var round = 0
            while true {
                let reply = try await server.send(.get, uri, token: token)
                #expect(reply.status == 200)
                guard case .array(let items) = reply.json?["data"] else { throw TestFailure("no data") }
                seen += items.compactMap { if case .string(let id) = $0["id"] { id } else { nil } }
                #expect(items.allSatisfy { $0["createdAt"] != nil && $0["scopes"] == [] })
                round += 1
                try await server.createUser("late-\(round)", clientId: clientId)
                guard case .string(let after) = reply.json?["pagination"]?["after"] else { break }
                uri = "/users?pageSize=4&after=\(after)"
            }
            #expect(seen == (0..<11).reversed().map { String(format: "user-%02d", $0) })
            let newest = try await server.send(.get, "/users?pageSize=3", token: token)
            #expect(newest.json?["data"]?.description.contains("late-3") == true)
            #expect(newest.json?["pagination"]?["before"] == .null)
        }
    }

    @Test("invalid paging parameters are 400 problems naming the parameter")
    func invalidPaging() async throws {
        try await TestServer.run { server in
            let (_, token) = try await server.clientToken()
            let cursor = PageCursor.encode(5)
            for (query, field) in [("pageSize=0", "pageSize"), ("pageSize=101", "pageSize"), ("pageSize=ten", "pageSize"),
                                   ("after=bogus", "after"), ("before=%%%", "before"),
                                   ("after=\(cursor)&before=\(cursor)", "after")] {
                let reply = try await server.send(.get, "/users?\(query)", token: token)
                #expect(reply.status == 400, "\(query)")
                #expect(reply.isProblem)
                #expect(reply.detail.contains("\"\(field)\""), "\(query): \(reply.body)")
            }
        }
    }
}

/// Methods used in table-driven tests.
enum HTTPMethodName {
    case get, delete
    var method: HTTPRequestMethod { self == .get ? .get : .delete }
}

import HTTPTypes
typealias HTTPRequestMethod = HTTPRequest.Method

extension JSONValue: CustomStringConvertible {
    public var description: String {
        (try? String(decoding: JSONEncoder().encode(self), as: UTF8.self)) ?? "?"
    }
}
