#!/usr/bin/env python3
"""Headless-browser test of the hosted Link UI (/link/TOKEN) of a running `gridlink serve`.

Drives Debian's chromium through chromedriver with Selenium 4, walks real link sessions end to end
and saves a numbered PNG screenshot of every step (NN-<flow>-<step>.png) under the artifact directory.

Usage:
  scripts/link-ui-browser.py --base-url http://127.0.0.1:PORT --token ACCESS_TOKEN [--out-dir DIR]
  (or GRIDLINK_BASE_URL / GRIDLINK_TOKEN / LINK_UI_ARTIFACT_DIR in the environment)

The token is a client_credentials bearer token of a *sandbox* client of that server.
scripts/link-ui-browser.sh starts a fresh server, gets the token and runs this script.

Flows:
  A  en-US, light: brand selection -> TESLA -> consent -> accept -> wrong password -> right password
     -> one-time code (wrong, then 123456) -> success -> continue to redirectUri; the user then has
     one vehicle in the API; reopening the used link shows the "already used" page (410).
  B  nb-NO, dark, vendor VOLVO preset: starts on consent; deny -> redirect with error=access_denied.
  C  de-DE: brand selection -> close (x) -> redirect with error=user_cancelled.
  D  vendor KIA preset, magic password `gridlink`: consent -> accept -> login -> success at once.
  E  unknown link token -> #message page (404).

Prints one `ok ...` line per checked step; on the first failed check prints `FAIL ...`, saves a
screenshot and the page source (NN-FAILED-*.png/.html) and exits 1. Exit 2: bad usage/environment.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

try:
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException, WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webelement import WebElement
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError as exc:  # pragma: no cover - environment problem, not a test failure
    print(f"link-ui-browser: selenium is not importable ({exc}); "
          "install scripts/requirements-ci.txt into .build/ci-venv", file=sys.stderr)
    sys.exit(2)

ROOT = Path(__file__).resolve().parent.parent
SCOPES = ["vehicle:read:data", "vehicle:read:location", "vehicle:control:charging"]
WAIT_SECONDS = 15
# Overlays the current URL on a page before a viewport screenshot (headless screenshots show no address bar).
URL_BANNER_JS = """
const b = document.createElement('div');
b.textContent = 'URL: ' + location.href;
b.style.cssText = 'position:fixed;top:0;left:0;right:0;z-index:2147483647;padding:10px 14px;'
    + 'background:#ffd54f;color:#000;font:bold 15px/1.4 monospace;word-break:break-all;border-bottom:2px solid #000';
document.documentElement.appendChild(b);
"""


class CheckFailed(Exception):
    pass


class Run:
    """Browser, API client, screenshot numbering and step reporting for one test run."""

    def __init__(self, base_url: str, token: str, out_dir: Path, chromium: str, chromedriver: str):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.out_dir = out_dir
        self.shot_no = 0
        self.checks = 0
        self.flow = "-"
        self.redirect_uri = f"{self.base_url}/openapi.json?from=link"

        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,900",
                    "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--lang=en-US",
                    "--disable-extensions", "--disable-background-networking", "--disable-sync",
                    "--hide-scrollbars", "--force-device-scale-factor=1"):
            options.add_argument(arg)
        # Network events let us check the HTTP status of each document (401, 410, 404 pages).
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        service = Service(chromedriver, log_output=str(out_dir / "chromedriver.log"))
        self.driver = webdriver.Chrome(options=options, service=service)
        self.driver.set_page_load_timeout(30)
        caps = self.driver.capabilities
        print(f"browser: {caps.get('browserName')} {caps.get('browserVersion')}, "
              f"chromedriver {(caps.get('chrome') or {}).get('chromedriverVersion', '?').split(' ')[0]}")

    # ---- reporting ---------------------------------------------------------------------------

    def ok(self, message: str) -> None:
        self.checks += 1
        print(f"ok   [{self.flow}] {message}", flush=True)

    def check(self, condition: bool, message: str, detail: str = "") -> None:
        if not condition:
            raise CheckFailed(f"[{self.flow}] {message}" + (f" -- {detail}" if detail else ""))
        self.ok(message)

    def shot(self, name: str, *, full_page: bool = True) -> Path:
        """Save a PNG as NN-<flow>-<name>.png: the full page (falls back to the 1000x900 viewport), or
        for full_page=False the viewport with a banner showing the current URL (used for the
        redirectUri pages, where the URL is what matters and the page is a long JSON document)."""
        self.shot_no += 1
        path = self.out_dir / f"{self.shot_no:02d}-{self.flow}-{name}.png"
        if not full_page:
            self.driver.execute_script(URL_BANNER_JS)
        saved = False
        if full_page:
            try:
                self._full_page_png(path)
                saved = True
            except WebDriverException:
                pass
        if not saved and not self.driver.save_screenshot(str(path)):
            raise CheckFailed(f"could not save screenshot {path}")
        print(f"     screenshot {os.path.relpath(path)}", flush=True)
        return path

    def _full_page_png(self, path: Path) -> None:
        import base64

        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        width = max(1000, int(size["width"]))
        height = max(1, min(int(size["height"]), 8000))
        data = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        })
        path.write_bytes(base64.b64decode(data["data"]))

    def save_failure(self, reason: str) -> None:
        self.shot_no += 1
        stem = self.out_dir / f"{self.shot_no:02d}-FAILED-{self.flow}"
        try:
            self.driver.save_screenshot(str(stem) + ".png")
            Path(str(stem) + ".html").write_text(self.driver.page_source, encoding="utf-8")
            print(f"     failure screenshot {stem}.png, page source {stem}.html (url {self.driver.current_url})",
                  file=sys.stderr)
        except Exception as exc:  # noqa: BLE001 - best effort while failing anyway
            print(f"     (could not save failure screenshot: {exc})", file=sys.stderr)

    def close(self) -> None:
        try:
            self.driver.quit()
        except Exception:  # noqa: BLE001
            pass

    # ---- API ---------------------------------------------------------------------------------

    def api(self, method: str, path: str, body: dict | None = None) -> tuple[int, object]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + path, data=data, method=method)
        req.add_header("Authorization", f"Bearer {self.token}")
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=15) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read()
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw.decode(errors="replace")
        return status, payload

    def api_ok(self, method: str, path: str, body: dict | None, expect: tuple[int, ...]) -> object:
        status, payload = self.api(method, path, body)
        if status not in expect:
            raise CheckFailed(f"[{self.flow}] {method} {path} returned {status} (expected {expect}): {payload}")
        return payload

    def new_link(self, user_id: str, language: str, scheme: str, vendor: str | None = None) -> dict:
        body = {"vendorType": "vehicle", "scopes": SCOPES, "language": language,
                "redirectUri": self.redirect_uri, "colorScheme": scheme}
        if vendor:
            body["vendor"] = vendor
        link = self.api_ok("POST", f"/users/{urllib.parse.quote(user_id)}/link", body, (200, 201))
        if not isinstance(link, dict) or not str(link.get("linkUrl", "")).startswith(f"{self.base_url}/link/"):
            raise CheckFailed(f"[{self.flow}] unexpected link response: {link}")
        self.ok(f"POST /users/{user_id}/link ({language}, {scheme}{', vendor ' + vendor if vendor else ''}) "
                f"-> {link['linkUrl']}")
        return link

    # ---- browser helpers ---------------------------------------------------------------------

    def drain_network(self) -> None:
        self.driver.get_log("performance")

    def document_status(self) -> int | None:
        """HTTP status of the last top-level document loaded since the previous drain_network()."""
        status = None
        for entry in self.driver.get_log("performance"):
            try:
                msg = json.loads(entry["message"])["message"]
            except (KeyError, ValueError):
                continue
            if msg.get("method") == "Network.responseReceived" and msg["params"].get("type") == "Document":
                status = msg["params"]["response"].get("status")
        return int(status) if status is not None else None

    def open(self, url: str) -> int | None:
        self.drain_network()
        self.driver.get(url)
        return self.document_status()

    def click(self, element_id: str) -> int | None:
        """Click #element_id, wait until a new document has fully loaded; returns its HTTP status.

        A marker set on the current window object disappears only when another document replaces
        it, so this does not depend on element references that go stale mid-navigation."""
        element = self.find(element_id)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); window.__gridlinkOldPage = true;",
                                   element)
        self.drain_network()
        try:
            element.click()
        except WebDriverException as exc:
            # The click started a navigation and chromedriver lost the node meanwhile: harmless when
            # the new page arrives (checked below); anything else fails there with a clear message.
            print(f"     (click on #{element_id}: {(exc.msg or str(exc)).splitlines()[0]}; waiting for the page)",
                  flush=True)

        def new_page_loaded(driver) -> bool:
            try:
                return bool(driver.execute_script(
                    "return window.__gridlinkOldPage === undefined && document.readyState === 'complete'"))
            except WebDriverException:
                return False  # navigation in progress

        try:
            WebDriverWait(self.driver, WAIT_SECONDS, poll_frequency=0.1).until(new_page_loaded)
        except TimeoutException:
            raise CheckFailed(f"[{self.flow}] clicking #{element_id} did not load a new page "
                              f"(still {self.driver.current_url}, title {self.driver.title!r})") from None
        return self.document_status()

    def find(self, element_id: str) -> WebElement:
        try:
            return WebDriverWait(self.driver, WAIT_SECONDS).until(
                EC.presence_of_element_located((By.ID, element_id)))
        except TimeoutException:
            raise CheckFailed(f"[{self.flow}] no element #{element_id} on {self.driver.current_url} "
                              f"(title {self.driver.title!r})") from None

    def has(self, element_id: str) -> bool:
        return bool(self.driver.find_elements(By.ID, element_id))

    def visible_text(self, element_id: str) -> str:
        element = self.find(element_id)
        return (element.text or "").strip()

    def type_into(self, element_id: str, text: str) -> None:
        element = self.find(element_id)
        element.clear()
        element.send_keys(text)

    def html_attr(self, name: str) -> str:
        return self.driver.find_element(By.TAG_NAME, "html").get_attribute(name) or ""

    def expect_page(self, *, ids: tuple[str, ...], lang: str, theme: str | None, what: str,
                    status: int | None = None, got_status: int | None = None) -> None:
        missing = [i for i in ids if not self.has(i)]
        self.check(not missing, f"{what}: elements {', '.join('#' + i for i in ids)} present",
                   f"missing {missing} on {self.driver.current_url} (title {self.driver.title!r})")
        page_lang = self.html_attr("lang")
        self.check(page_lang.lower().startswith(lang.lower()), f"{what}: <html lang={page_lang!r}>",
                   f"expected a {lang!r} page")
        if theme is not None:
            page_theme = self.html_attr("data-theme")
            self.check(page_theme == theme, f"{what}: data-theme={page_theme!r}", f"expected {theme!r}")
            self.check_background(theme, what)
        if status is not None:
            self.check(got_status == status, f"{what}: HTTP {got_status}", f"expected HTTP {status}")

    def check_background(self, theme: str, what: str) -> None:
        """The page really renders in the scheme: light page background vs dark one."""
        rgb = self.driver.execute_script("return getComputedStyle(document.body).backgroundColor")
        nums = [int(n) for n in re.findall(r"\d+", rgb or "")[:3]]
        if len(nums) != 3:
            raise CheckFailed(f"[{self.flow}] {what}: cannot read body background colour ({rgb!r})")
        luminance = (0.299 * nums[0] + 0.587 * nums[1] + 0.114 * nums[2]) / 255
        dark = luminance < 0.5
        self.check(dark == (theme == "dark"), f"{what}: body background {rgb} looks {'dark' if dark else 'light'}",
                   f"expected a {theme} background")

    def wait_url(self, predicate, what: str) -> str:
        try:
            WebDriverWait(self.driver, WAIT_SECONDS).until(lambda d: predicate(d.current_url))
        except TimeoutException:
            raise CheckFailed(f"[{self.flow}] {what}: current URL is {self.driver.current_url}") from None
        return self.driver.current_url


def redirect_params(url: str) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)


# ------------------------------------------------------------------------------------------------
# Flows
# ------------------------------------------------------------------------------------------------

def flow_a_full(run: Run, tag: str) -> None:
    run.flow = "A"
    print("--- flow A: en-US, light, brand selection -> TESLA with one-time code -> success")
    username, password = f"driver-{tag}@example.com", "s3cret"
    account = run.api_ok("POST", "/sandbox/accounts", {
        "vendor": "TESLA", "username": username, "password": password, "devices": [{"type": "vehicle"}]}, (200, 201))
    run.ok(f"POST /sandbox/accounts: TESLA account {username} with {len(account.get('deviceIds') or [])} device(s)")
    status, _ = run.api("PATCH", "/sandbox/clock", {"isPaused": True})
    run.check(status in (200, 204), f"PATCH /sandbox/clock isPaused=true -> {status}")

    user_id = f"browser-a-{tag}"
    link = run.new_link(user_id, "en-US", "light")
    link_url = link["linkUrl"]

    # 1. brand selection
    st = run.open(link_url)
    run.expect_page(ids=("vendor-TESLA", "vendor-VOLVO", "close"), lang="en", theme="light",
                    what="brand selection", status=200, got_status=st)
    close_href = run.find("close").get_attribute("href") or ""
    run.check(close_href.endswith(f"/link/{link['linkToken']}/close"), f"brand selection: close link -> {close_href}")
    run.shot("brand-selection")

    # 2. consent
    st = run.click("vendor-TESLA")
    run.check(run.driver.current_url == link_url, "vendor-TESLA posts and comes back to the link URL",
              run.driver.current_url)
    run.expect_page(ids=("accept", "deny", "close"), lang="en", theme="light", what="consent",
                    status=200, got_status=st)
    scopes = [li.text.replace("✓", "").strip() for li in run.driver.find_elements(By.CSS_SELECTOR, "ul.scopes li")]
    run.check(len(scopes) == len(SCOPES), f"consent lists {len(scopes)} scopes: {scopes}")
    body_text = run.driver.find_element(By.TAG_NAME, "body").text
    raw = [s for s in SCOPES if s in body_text]
    run.check(not raw, "consent describes scopes in words (no raw scope ids shown)", f"raw ids visible: {raw}")
    run.check("Tesla" in body_text, "consent names the chosen brand (Tesla)")
    run.shot("consent")

    # 3. login, wrong password
    st = run.click("accept")
    run.expect_page(ids=("username", "password", "submit", "close"), lang="en", theme="light",
                    what="login", status=200, got_status=st)
    pw_type = run.find("password").get_attribute("type")
    run.check(pw_type == "password", f"login: #password is type={pw_type!r}")
    run.shot("login")
    run.type_into("username", username)
    run.type_into("password", "wrong-password")
    st = run.click("submit")
    run.expect_page(ids=("error", "username", "password", "submit"), lang="en", theme="light",
                    what="login with wrong password", status=401, got_status=st)
    err = run.visible_text("error")
    run.check(bool(err) and run.find("error").is_displayed(), f"login error shown: {err!r}")
    kept = run.find("username").get_attribute("value") or ""
    print(f"     note: after the wrong password the username field is "
          f"{'kept (' + repr(kept) + ')' if kept else 'empty (the user has to type it again)'}", flush=True)
    run.shot("login-wrong-password")

    # 4. right password -> one-time code
    run.type_into("username", username)
    run.type_into("password", password)
    st = run.click("submit")
    run.expect_page(ids=("code", "submit", "close"), lang="en", theme="light", what="one-time code",
                    status=200, got_status=st)
    run.check(not run.has("error"), "one-time code page shows no error yet")
    run.shot("one-time-code")
    run.type_into("code", "000000")
    st = run.click("submit")
    run.expect_page(ids=("error", "code", "submit"), lang="en", theme="light", what="wrong one-time code",
                    status=None)
    err = run.visible_text("error")
    run.check(bool(err), f"one-time code error shown (HTTP {st}): {err!r}")
    run.shot("one-time-code-wrong")
    run.type_into("code", "123456")
    st = run.click("submit")

    # 5. success
    run.expect_page(ids=("success", "continue"), lang="en", theme="light", what="success", status=200, got_status=st)
    run.check(not run.has("error"), "success page shows no error")
    href = run.find("continue").get_attribute("href") or ""
    run.check(href == run.redirect_uri, f"success: #continue href is the redirectUri ({href})",
              f"expected {run.redirect_uri}")
    run.shot("success")
    run.click("continue")
    url = run.wait_url(lambda u: u.startswith(run.redirect_uri), "continue should go to the redirectUri")
    params = redirect_params(url)
    run.check("error" not in params, f"continue -> {url} (no error parameter)")
    run.shot("redirect-after-success", full_page=False)

    # 6. the API sees the linked vehicle
    vehicles = run.api_ok("GET", f"/users/{user_id}/vehicles", None, (200,))
    data = vehicles.get("data") if isinstance(vehicles, dict) else None
    run.check(isinstance(data, list) and len(data) == 1, f"GET /users/{user_id}/vehicles -> {len(data or [])} vehicle",
              f"response: {json.dumps(vehicles)[:500]}")
    vehicle = data[0]
    run.check(vehicle.get("vendor") in (None, "TESLA"), f"vehicle {vehicle.get('id')} vendor {vehicle.get('vendor')}")

    # 7. the link cannot be used twice
    st = run.open(link_url)
    run.expect_page(ids=("message",), lang="en", theme="light", what="reopened used link", status=410, got_status=st)
    msg = run.visible_text("message")
    heading = run.driver.find_element(By.TAG_NAME, "h1").text.strip() if run.driver.find_elements(By.TAG_NAME, "h1") else ""
    run.check("already been used" in f"{heading} {msg}", f"used link page: heading {heading!r}, #message {msg!r}",
              "expected 'This link has already been used'")
    run.check(not run.has("vendor-TESLA") and not run.has("accept") and not run.has("username"),
              "used link shows no brand/consent/login controls")
    run.shot("link-already-used")


def flow_b_deny(run: Run, tag: str) -> None:
    run.flow = "B"
    print("--- flow B: nb-NO, dark, vendor VOLVO preset -> deny")
    link = run.new_link(f"browser-b-{tag}", "nb-NO", "dark", vendor="VOLVO")
    st = run.open(link["linkUrl"])
    run.check(not run.has("vendor-VOLVO"), "vendor preset skips brand selection")
    run.expect_page(ids=("accept", "deny", "close"), lang="nb", theme="dark", what="consent (nb-NO)",
                    status=200, got_status=st)
    body_text = run.driver.find_element(By.TAG_NAME, "body").text
    run.check("Volvo" in body_text, "consent names Volvo")
    english = [w for w in ("Review", "Allow", "Deny", "Secured by") if w in body_text]
    run.check(not english, "consent text is not English", f"English words found: {english}; text: {body_text!r}")
    run.shot("consent-nb-dark")
    run.click("deny")
    url = run.wait_url(lambda u: u.startswith(run.redirect_uri), "deny should redirect to the redirectUri")
    params = redirect_params(url)
    run.check(params.get("error") == ["access_denied"], f"deny -> {url}", f"params {params}")
    run.check(params.get("error_message") == ["consent request denied"], "deny: error_message='consent request denied'",
              f"params {params}")
    run.check(params.get("from") == ["link"], "deny keeps the redirectUri's own query (from=link)", f"params {params}")
    run.shot("redirect-after-deny", full_page=False)


def flow_c_close(run: Run, tag: str) -> None:
    run.flow = "C"
    print("--- flow C: de-DE, brand selection -> close")
    link = run.new_link(f"browser-c-{tag}", "de-DE", "light")
    st = run.open(link["linkUrl"])
    run.expect_page(ids=("vendor-TESLA", "close"), lang="de", theme="light", what="brand selection (de-DE)",
                    status=200, got_status=st)
    title = run.driver.title
    run.check(title != "Choose your brand", f"brand selection title is translated: {title!r}")
    run.shot("brand-selection-de")
    run.click("close")
    url = run.wait_url(lambda u: u.startswith(run.redirect_uri), "close should redirect to the redirectUri")
    params = redirect_params(url)
    run.check(params.get("error") == ["user_cancelled"], f"close -> {url}", f"params {params}")
    run.check(params.get("error_message") == ["user closed session"], "close: error_message='user closed session'",
              f"params {params}")
    run.shot("redirect-after-close", full_page=False)


def flow_d_magic(run: Run, tag: str) -> None:
    run.flow = "D"
    print("--- flow D: vendor KIA preset, magic password 'gridlink'")
    user_id = f"browser-d-{tag}"
    link = run.new_link(user_id, "en-US", "light", vendor="KIA")
    st = run.open(link["linkUrl"])
    run.expect_page(ids=("accept", "deny"), lang="en", theme="light", what="consent (KIA)", status=200, got_status=st)
    run.check("Kia" in run.driver.find_element(By.TAG_NAME, "body").text, "consent names Kia")
    run.shot("consent-kia")
    st = run.click("accept")
    run.expect_page(ids=("username", "password", "submit"), lang="en", theme="light", what="login (KIA)",
                    status=200, got_status=st)
    run.type_into("username", "anyone")
    run.type_into("password", "gridlink")
    run.shot("login-magic-password")
    st = run.click("submit")
    run.check(not run.has("code"), "magic password 'gridlink' asks for no one-time code")
    run.expect_page(ids=("success", "continue"), lang="en", theme="light", what="success (KIA)",
                    status=200, got_status=st)
    run.shot("success-kia")
    vehicles = run.api_ok("GET", f"/users/{user_id}/vehicles", None, (200,))
    data = vehicles.get("data") if isinstance(vehicles, dict) else None
    run.check(isinstance(data, list) and len(data) == 1, f"GET /users/{user_id}/vehicles -> {len(data or [])} vehicle",
              f"response: {json.dumps(vehicles)[:500]}")


def flow_e_unknown(run: Run, tag: str) -> None:
    run.flow = "E"
    print("--- flow E: unknown link token")
    st = run.open(f"{run.base_url}/link/no-such-token-{tag}")
    run.expect_page(ids=("message",), lang="en", theme=None, what="unknown link", status=404, got_status=st)
    heading = run.driver.find_element(By.TAG_NAME, "h1").text.strip() if run.driver.find_elements(By.TAG_NAME, "h1") else ""
    run.check(bool(run.visible_text("message")),
              f"unknown link page: heading {heading!r}, #message {run.visible_text('message')!r}")
    run.shot("unknown-link")


# ------------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", default=os.environ.get("GRIDLINK_BASE_URL"),
                        help="server base URL, e.g. http://127.0.0.1:8080 (env GRIDLINK_BASE_URL)")
    parser.add_argument("--token", default=os.environ.get("GRIDLINK_TOKEN"),
                        help="bearer token of a sandbox client (env GRIDLINK_TOKEN)")
    parser.add_argument("--out-dir", default=os.environ.get("LINK_UI_ARTIFACT_DIR",
                                                            str(ROOT / ".build/ci-artifacts/link-ui")),
                        help="screenshot directory (emptied of old PNGs first; env LINK_UI_ARTIFACT_DIR)")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium"))
    parser.add_argument("--chromedriver", default=os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"))
    parser.add_argument("--flows", default="ABCDE", help="which flows to run (default ABCDE)")
    args = parser.parse_args()
    unknown = sorted(set(args.flows.upper()) - set("ABCDE"))
    if unknown or not args.flows:
        parser.error(f"--flows takes letters from ABCDE (got {args.flows!r})")

    if not args.base_url or not args.token:
        parser.error("--base-url and --token (or GRIDLINK_BASE_URL / GRIDLINK_TOKEN) are required")
    for what, path in (("chromium", args.chromium), ("chromedriver", args.chromedriver)):
        if not os.access(path, os.X_OK):
            print(f"link-ui-browser: {what} not found at {path} (apt-get install chromium chromium-driver)",
                  file=sys.stderr)
            return 2

    out_dir = Path(args.out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in list(out_dir.glob("*.png")) + list(out_dir.glob("*-FAILED-*.html")) + [out_dir / "chromedriver.log"]:
        old.unlink(missing_ok=True)
    print(f"screenshots -> {out_dir}")

    started = time.monotonic()
    try:
        run = Run(args.base_url, args.token, out_dir, args.chromium, args.chromedriver)
    except WebDriverException as exc:
        print(f"FAIL could not start {args.chromium} through {args.chromedriver}: {exc.msg or exc} "
              f"(see {out_dir / 'chromedriver.log'})", file=sys.stderr)
        return 1
    tag = uuid.uuid4().hex[:8]
    flows = {"A": flow_a_full, "B": flow_b_deny, "C": flow_c_close, "D": flow_d_magic, "E": flow_e_unknown}
    try:
        for letter in args.flows.upper():
            flows[letter](run, tag)
    except CheckFailed as failure:
        print(f"FAIL {failure}", file=sys.stderr, flush=True)
        run.save_failure(str(failure))
        print(f"link-ui-browser: FAILED after {run.checks} passed checks "
              f"({time.monotonic() - started:.1f}s)", file=sys.stderr)
        return 1
    except WebDriverException as exc:
        import traceback

        where = "".join(traceback.format_tb(exc.__traceback__)[-4:])
        print(f"FAIL [{run.flow}] browser error: {exc.msg or exc}\n{where}", file=sys.stderr, flush=True)
        run.save_failure("webdriver error")
        return 1
    finally:
        run.close()
    print(f"{run.shot_no} screenshots in {out_dir} ({time.monotonic() - started:.1f}s)")
    print(f"link-ui-browser: {run.checks} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
