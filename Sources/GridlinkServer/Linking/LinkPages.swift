import GridlinkCore

/// Server-rendered Link UI pages: plain HTML forms that work without JavaScript.
struct LinkPages {
    let strings: LinkStrings
    let colorScheme: String
    let token: String?

    /// HTML-escapes text.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A round monogram standing in for a vendor logo, coloured by the vendor name.
    static func monogram(_ vendor: String) -> String {
        let brand = BrandNames.brand(of: vendor)
        let letters = brand.split(separator: " ").prefix(2).compactMap(\.first).map(String.init).joined()
        let hue = vendor.unicodeScalars.reduce(0) { ($0 * 31 + Int($1.value)) % 360 }
        return "<span class=\"logo\" style=\"background:hsl(\(hue) 55% 45%)\" aria-hidden=\"true\">\(escape(letters.uppercased()))</span>"
    }

    /// The brand choice: brands in alphabetical order, narrowed by a search (`?q=`, case-insensitive, no script needed).
    func vendorSelection(vendors: [String], search: String = "") -> String {
        let query = search.trimmingCharacters(in: .whitespaces)
        let shown = vendors
            .map { (vendor: $0, brand: BrandNames.brand(of: $0)) }
            .filter { query.isEmpty || $0.brand.localizedCaseInsensitiveContains(query) || $0.vendor.localizedCaseInsensitiveContains(query) }
            .sorted { $0.brand.localizedCaseInsensitiveCompare($1.brand) == .orderedAscending }
        let buttons = shown.map { vendor, brand in
            """
            <li><form method="post" action="/link/\(token ?? "")/vendor"><input type="hidden" name="vendor" value="\(Self.escape(vendor))">\
            <button class="vendor" type="submit" id="vendor-\(Self.escape(vendor))">\(Self.monogram(vendor))<span>\(Self.escape(brand))</span></button></form></li>
            """
        }.joined()
        let searchForm = """
            <form method="get" action="/link/\(token ?? "")" class="search" role="search"><input type="search" id="brand-search" name="q" \
            value="\(Self.escape(query))" aria-label="\(strings.searchBrands)" placeholder="\(strings.searchBrands)">\
            <button type="submit" class="secondary">\(strings.searchBrands)</button></form>
            """
        let list = shown.isEmpty ? "<p class=\"hint\" id=\"no-brand\">\(strings.noBrandFound)</p>" : "<ul class=\"vendors\">\(buttons)</ul>"
        return page(title: strings.chooseBrand, body: "<p class=\"hint\">\(strings.chooseBrandHint)</p>\(searchForm)\(list)")
    }

    /// The consent step: the app asks for access to the user's brand account, listing the requested scopes.
    func consent(vendor: String, app: String, scopes: [String]) -> String {
        let brand = Self.escape(BrandNames.brand(of: vendor))
        let items = scopes.map { scope in
            "<li><span class=\"check\">✓</span>\(Self.escape(strings.scopeText[scope] ?? scope))</li>"
        }.joined()
        return page(title: strings.reviewAccess, vendor: vendor, body: """
            <p class="hint">\(strings.consentHint(app: Self.escape(app), brand: brand))</p><ul class="scopes">\(items)</ul>
            <form method="post" action="/link/\(token ?? "")/consent" class="actions">
            <button type="submit" name="decision" value="accept" id="accept" class="primary">\(strings.accept)</button>
            <button type="submit" name="decision" value="deny" id="deny" class="secondary">\(strings.deny)</button></form>
            """)
    }

    /// The vendor sign-in form; after a failed attempt it shows the error and keeps the username typed.
    func login(vendor: String, error: String? = nil, username: String = "") -> String {
        let brand = Self.escape(BrandNames.brand(of: vendor))
        return page(title: strings.fill(strings.signIn, brand), vendor: vendor, body: """
            <p class="hint">\(strings.fill(strings.signInHint, brand))</p>\(errorBox(error))
            <form method="post" action="/link/\(token ?? "")/login" class="stack">
            <label for="username">\(strings.username)</label><input id="username" name="username" autocomplete="username" value="\(Self.escape(username))" required>
            <label for="password">\(strings.password)</label><input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit" id="submit" class="primary">\(strings.continueLabel)</button></form>
            """)
    }

    func oneTimeCode(vendor: String, error: String? = nil) -> String {
        let brand = Self.escape(BrandNames.brand(of: vendor))
        return page(title: strings.codeTitle, vendor: vendor, body: """
            <p class="hint">\(strings.fill(strings.codeHint, brand))</p>\(errorBox(error))
            <form method="post" action="/link/\(token ?? "")/otp" class="stack">
            <label for="code">\(strings.code_)</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required>
            <button type="submit" id="submit" class="primary">\(strings.continueLabel)</button></form>
            """)
    }

    /// The success page, with a link and a 5-second refresh back to `continueURL` (percent-encoded, then HTML-escaped).
    func success(vendor: String, continueURL: String?) -> String {
        let brand = Self.escape(BrandNames.brand(of: vendor))
        let target = continueURL.map { Self.escape(RedirectURI.encoded($0)) }
        let button = target.map { "<a id=\"continue\" class=\"button primary\" href=\"\($0)\">\(strings.backToApp)</a>" } ?? ""
        let refresh = target.map { "<meta http-equiv=\"refresh\" content=\"5; url=\($0)\">" } ?? ""
        return page(title: strings.successTitle, vendor: vendor, head: refresh, closable: false,
                    body: "<p class=\"success\" id=\"success\">\(strings.fill(strings.successText, brand))</p>\(button)")
    }

    func message(title: String, text: String) -> String {
        page(title: title, closable: false, body: "<p class=\"hint\" id=\"message\">\(Self.escape(text))</p>")
    }

    private func errorBox(_ error: String?) -> String {
        error.map { "<p class=\"error\" id=\"error\" role=\"alert\">\(Self.escape($0))</p>" } ?? ""
    }

    private func page(title: String, vendor: String? = nil, head: String = "", closable: Bool = true, body: String) -> String {
        let theme = colorScheme == "system" ? "" : " data-theme=\"\(Self.escape(colorScheme))\""
        let close = closable && token != nil
            ? "<a class=\"close\" id=\"close\" href=\"/link/\(token ?? "")/close\" aria-label=\"\(strings.close)\">×</a>" : ""
        let logo = vendor.map { "<div class=\"brand\">\(Self.monogram($0))</div>" } ?? ""
        return """
            <!doctype html><html lang="\(strings.code)"\(theme)><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">\(head)<title>\(Self.escape(title))</title>
            <style>\(Self.css)</style></head><body><main class="card">\(close)\(logo)<h1>\(Self.escape(title))</h1>\(body)
            <footer>\(strings.poweredBy)</footer></main></body></html>
            """
    }

    static let css = """
        :root{--bg:#f4f5f7;--card:#fff;--text:#17191c;--muted:#5d6470;--line:#e3e6ea;--accent:#1f6feb;--accent-text:#fff;--error:#b42318;--ok:#067647}
        [data-theme=dark]{--bg:#0f1114;--card:#1a1d21;--text:#eef0f3;--muted:#a3aab5;--line:#2c3036;--accent:#4c8dff;--accent-text:#0b0d10;--error:#ff8a80;--ok:#6ee7a8}
        @media (prefers-color-scheme:dark){:root:not([data-theme=light]){--bg:#0f1114;--card:#1a1d21;--text:#eef0f3;--muted:#a3aab5;--line:#2c3036;--accent:#4c8dff;--accent-text:#0b0d10;--error:#ff8a80;--ok:#6ee7a8}}
        *{box-sizing:border-box}body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
        .card{position:relative;width:min(440px,94vw);background:var(--card);border:1px solid var(--line);border-radius:16px;padding:32px;box-shadow:0 10px 30px rgba(0,0,0,.08)}
        h1{font-size:22px;margin:8px 0 4px}.hint{color:var(--muted);margin:0 0 20px}.close{position:absolute;right:18px;top:12px;font-size:26px;color:var(--muted);text-decoration:none}
        .logo{display:inline-flex;align-items:center;justify-content:center;width:40px;height:40px;border-radius:50%;color:#fff;font-weight:700;font-size:14px;flex:none}
        .brand .logo{width:56px;height:56px;font-size:18px}.vendors{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:1fr 1fr;gap:10px}
        .search{display:flex;gap:8px;margin:0 0 12px}.search input{flex:1}.vendors form{margin:0}.vendor{width:100%;display:flex;align-items:center;gap:10px;padding:10px;border:1px solid var(--line);border-radius:12px;background:transparent;color:var(--text);font:inherit;cursor:pointer;text-align:left}
        .vendor:hover{border-color:var(--accent)}.scopes{list-style:none;padding:0;margin:0 0 24px}.scopes li{display:flex;gap:10px;padding:10px 0;border-bottom:1px solid var(--line)}
        .check{color:var(--ok);font-weight:700}.stack{display:flex;flex-direction:column;gap:8px}label{font-size:14px;color:var(--muted)}
        input{font:inherit;padding:10px 12px;border:1px solid var(--line);border-radius:10px;background:transparent;color:var(--text)}
        button.primary,.button.primary{margin-top:12px;padding:12px;border:0;border-radius:10px;background:var(--accent);color:var(--accent-text);font:inherit;font-weight:600;cursor:pointer;text-align:center;text-decoration:none;display:block}
        button.secondary{margin-top:8px;padding:12px;border:1px solid var(--line);border-radius:10px;background:transparent;color:var(--text);font:inherit;cursor:pointer;width:100%}
        .actions button{width:100%}.error{color:var(--error);background:color-mix(in srgb,var(--error) 10%,transparent);padding:10px 12px;border-radius:10px}
        .success{color:var(--ok);font-weight:600}footer{margin-top:28px;font-size:12px;color:var(--muted);text-align:center}
        """
}
