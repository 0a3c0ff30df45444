import Foundation
import GridlinkCore
import GridlinkStore
import HTTPTypes
import Hummingbird

/// The hosted Link UI at `/link/{token}`: brand choice, consent, vendor login (with one-time code), success.
struct LinkUIController: Sendable {
    let dependencies: ServerDependencies
    /// Vendor sign-ins waiting for a one-time code, in memory only.
    let pendingLogins: PendingLogins

    /// The Link UI over `dependencies`, with no sign-in pending.
    init(dependencies: ServerDependencies) {
        self.dependencies = dependencies
        self.pendingLogins = PendingLogins(clock: dependencies.wallClock)
    }

    private static let tag = "Link UI"
    private static let html = OpenAPIOperation.ResponseSpec("A Link UI page", schema: ["type": "string"], contentType: "text/html")
    private static let pageResponses: [Int: OpenAPIOperation.ResponseSpec] = [
        200: html, 303: .init("Continue to the next step or back to the app"), 404: html, 410: html,
    ]
    private static func formBody(_ fields: [String]) -> (contentType: String, schema: JSONValue) {
        ("application/x-www-form-urlencoded", ["type": "object", "properties": .object(Dictionary(uniqueKeysWithValues: fields.map { ($0, ["type": "string"]) }))])
    }

    /// Adds the Link UI routes.
    func register(in registry: RouteRegistry) {
        registry.add(.get, "/link/{token}", access: .open, operation: .init(
            "linkPage", summary: "The current step of a Link UI session", tag: Self.tag, responses: Self.pageResponses)
        ) { request, context in
            try await withSession(request, context) { session, state, pages in
                switch state.step {
                case .chooseVendor:
                    let search = request.uri.queryParameters["q"].map(String.init) ?? ""
                    return Self.page(pages.vendorSelection(vendors: VendorCatalogue.vendors(of: state.vendorType), search: search))
                case .consent:
                    let app = try await dependencies.store.read { [clientId = session.row.clientId] in try await $0.client(id: clientId) }?.name ?? ""
                    return Self.page(pages.consent(vendor: state.vendor ?? "", app: app, scopes: state.scopes))
                case .login: return Self.page(pages.login(vendor: state.vendor ?? ""))
                case .oneTimeCode:
                    // The sign-in waiting for this code lived in memory: after its expiry or a restart, sign in again.
                    guard await pendingLogins.login(session: session.row.digest) != nil else {
                        return Self.page(pages.login(vendor: state.vendor ?? "", error: pages.strings.signInAgain))
                    }
                    return Self.page(pages.oneTimeCode(vendor: state.vendor ?? ""))
                case .done: return Self.page(pages.message(title: pages.strings.usedTitle, text: pages.strings.usedText), status: .gone)
                }
            }
        }

        registry.add(.post, "/link/{token}/vendor", access: .open, operation: .init(
            "linkChooseVendor", summary: "Choose the brand", tag: Self.tag, requestBody: Self.formBody(["vendor"]), responses: Self.pageResponses)
        ) { request, context in
            try await withSession(request, context) { session, state, pages in
                let form = try await Self.form(request)
                guard state.step == .chooseVendor, let vendor = form["vendor"], VendorCatalogue.vendors(of: state.vendorType).contains(vendor) else {
                    return Self.redirect(session.path)
                }
                var next = state
                next.vendor = vendor
                next.step = .consent
                try await save(session, next)
                return Self.redirect(session.path)
            }
        }

        registry.add(.post, "/link/{token}/consent", access: .open, operation: .init(
            "linkConsent", summary: "Accept or deny the requested access", tag: Self.tag, requestBody: Self.formBody(["decision"]), responses: Self.pageResponses)
        ) { request, context in
            try await withSession(request, context) { session, state, pages in
                let form = try await Self.form(request)
                guard state.step == .consent else { return Self.redirect(session.path) }
                if form["decision"] == "accept" {
                    var next = state
                    next.step = .login
                    try await save(session, next)
                    return Self.redirect(session.path)
                }
                return try await leave(session, state, error: "access_denied", message: "consent request denied", pages: pages)
            }
        }

        registry.add(.post, "/link/{token}/login", access: .open, operation: .init(
            "linkLogin", summary: "Sign in to the vendor account", tag: Self.tag, requestBody: Self.formBody(["username", "password"]), responses: Self.pageResponses)
        ) { request, context in
            try await withSession(request, context) { session, state, pages in
                let form = try await Self.form(request)
                // A one-time code step whose sign-in is gone (expired, restarted) shows the sign-in form again.
                guard state.step == .login || state.step == .oneTimeCode, let vendor = state.vendor else { return Self.redirect(session.path) }
                let username = form["username"] ?? ""
                let password = form["password"] ?? ""
                let outcome = try await dependencies.connector.login(
                    clientId: session.row.clientId, vendor: vendor, vendorType: state.vendorType, username: username, password: password, oneTimeCode: nil)
                switch outcome {
                case .linked(let accountRef):
                    return try await complete(session, state, accountRef: accountRef, pages: pages)
                case .oneTimeCodeRequired:
                    await pendingLogins.hold(username: username, password: password, session: session.row.digest)
                    var next = state
                    next.step = .oneTimeCode
                    try await save(session, next)
                    return Self.redirect(session.path)
                case .invalidCredentials:
                    return Self.page(pages.login(vendor: vendor, error: pages.strings.wrongCredentials, username: username), status: .unauthorized)
                case .vendorUnavailable:
                    return Self.page(pages.login(vendor: vendor, error: pages.strings.fill(pages.strings.vendorDown, BrandNames.brand(of: vendor)), username: username),
                                     status: .serviceUnavailable)
                }
            }
        }

        registry.add(.post, "/link/{token}/otp", access: .open, operation: .init(
            "linkOneTimeCode", summary: "Enter the vendor's one-time code", tag: Self.tag, requestBody: Self.formBody(["code"]), responses: Self.pageResponses)
        ) { request, context in
            try await withSession(request, context) { session, state, pages in
                let form = try await Self.form(request)
                guard state.step == .oneTimeCode, let vendor = state.vendor,
                      let pending = await pendingLogins.login(session: session.row.digest) else { return Self.redirect(session.path) }
                let outcome = try await dependencies.connector.login(
                    clientId: session.row.clientId, vendor: vendor, vendorType: state.vendorType, username: pending.username,
                    password: pending.password, oneTimeCode: form["code"] ?? "")
                guard case .linked(let accountRef) = outcome else {
                    return Self.page(pages.oneTimeCode(vendor: vendor, error: pages.strings.wrongCode), status: .unauthorized)
                }
                return try await complete(session, state, accountRef: accountRef, pages: pages)
            }
        }

        registry.add(.get, "/link/{token}/close", access: .open, operation: .init(
            "linkClose", summary: "Leave the Link UI without linking", tag: Self.tag, responses: Self.pageResponses)
        ) { request, context in
            try await withSession(request, context) { session, state, pages in
                try await leave(session, state, error: "user_cancelled", message: "user closed session", pages: pages)
            }
        }
    }

    /// A session opened through its URL: the token the browser holds and the stored row its digest names.
    private struct OpenSession {
        /// The token from the URL.
        let token: String
        /// The stored session.
        let row: LinkSessionRow

        /// The session's Link UI page.
        var path: String { "/link/\(token)" }
    }

    /// Loads the session by the digest of the URL's token, answering explanatory pages for unknown, expired and used sessions.
    private func withSession(
        _ request: Request, _ context: GridlinkRequestContext,
        _ body: (OpenSession, LinkSession, LinkPages) async throws -> Response
    ) async throws -> Response {
        let token = try context.parameters.require("token")
        let acceptLanguage = request.headers[.acceptLanguage]
        guard let session = try await dependencies.store.read({ try await $0.linkSession(token: token) }),
              let state = try? JSONDecoder().decode(LinkSession.self, from: Data(session.body.utf8)) else {
            let pages = LinkPages(strings: .forLanguage("browser", acceptLanguage: acceptLanguage), colorScheme: "system", token: nil)
            return Self.page(pages.message(title: pages.strings.unknownTitle, text: pages.strings.unknownText), status: .notFound)
        }
        let strings = LinkStrings.forLanguage(state.language, acceptLanguage: acceptLanguage)
        let closed = LinkPages(strings: strings, colorScheme: state.colorScheme, token: nil)
        if session.usedAt != nil {
            return Self.page(closed.message(title: strings.usedTitle, text: strings.usedText), status: .gone)
        }
        if dependencies.wallClock.now() >= session.expiresAt {
            return Self.page(closed.message(title: strings.expiredTitle, text: strings.expiredText), status: .gone)
        }
        return try await body(OpenSession(token: token, row: session), state, LinkPages(strings: strings, colorScheme: state.colorScheme, token: token))
    }

    /// Links the vendor account, spends the session, discovers the devices, and shows the success page.
    private func complete(_ opened: OpenSession, _ state: LinkSession, accountRef: String, pages: LinkPages) async throws -> Response {
        let session = opened.row
        let now = dependencies.wallClock.now()
        var done = state
        done.step = .done
        let body = String(decoding: try JSONEncoder().encode(done), as: UTF8.self)
        await pendingLogins.forget(session: session.digest)
        let grant = AccountLinker.Grant(
            clientId: session.clientId, userId: session.userId, vendor: state.vendor ?? "", accountRef: accountRef,
            scopes: [state.vendorType: state.scopes])
        let linked = try await dependencies.accountLinker.link(grant) { store in
            guard try await store.consumeLinkSession(digest: session.digest, at: now) else { return false }
            try await store.updateLinkSession(digest: session.digest, body: body)
            return true
        }
        guard linked else { return Self.page(pages.message(title: pages.strings.usedTitle, text: pages.strings.usedText), status: .gone) }
        return Self.page(pages.success(vendor: grant.vendor, continueURL: state.redirectUri))
    }

    /// Ends the session without linking: back to the app with `error` and `error_message`, or a closing page.
    private func leave(_ session: OpenSession, _ state: LinkSession, error: String, message: String, pages: LinkPages) async throws -> Response {
        let now = dependencies.wallClock.now()
        let digest = session.row.digest
        await pendingLogins.forget(session: digest)
        _ = try await dependencies.store.write { try await $0.consumeLinkSession(digest: digest, at: now) }
        guard let redirect = state.redirectUri, var components = URLComponents(string: RedirectURI.encoded(redirect)) else {
            return Self.page(pages.message(title: pages.strings.close, text: message))
        }
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "error", value: error), URLQueryItem(name: "error_message", value: message)]
        return Self.redirect(components.string ?? redirect)
    }

    private func save(_ session: OpenSession, _ state: LinkSession) async throws {
        let body = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
        let digest = session.row.digest
        try await dependencies.store.write { try await $0.updateLinkSession(digest: digest, body: body) }
    }

    private static func form(_ request: Request) async throws -> [String: String] {
        var request = request
        let body = try await request.collectBody(upTo: ServerLimits.maxBodySize)
        return FormURLEncoding.parse(String(buffer: body))
    }

    private static func page(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    private static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
