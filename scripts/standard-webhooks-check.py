#!/usr/bin/env python3
"""Verifies Gridlink's Standard Webhooks headers with the `standardwebhooks` package (PyPI) against a running server.

A webhook with `"standardWebhooks": true` and a `whsec_` secret points at a receiver here that fails the first
delivery and accepts the next; linking a sandbox charger writes `user:charger:discovered`. Every delivery must
verify with `standardwebhooks.Webhook(secret).verify`, the retry must carry the same `webhook-id`, and a tampered
body must not verify. Then a raw (non-`whsec_`) secret is checked through the test event with
`Webhook(secret.encode())`.

Environment: GRIDLINK_URL, GRIDLINK_CLIENT_ID, GRIDLINK_CLIENT_SECRET (a sandbox client; the server should run with
`--sim-speed 60` so the sandbox retry after ~30 simulated seconds comes within a second).
Run by scripts/sdk-checks.sh (CI step 5).
"""
import base64
import os
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import httpx
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError


class Receiver(BaseHTTPRequestHandler):
    """Records every POST; answers 500 to the first batch of events, 200 to everything else."""

    received: list = []
    failed_once = False

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        Receiver.received.append((dict(self.headers.items()), body))
        status = 200
        if b"user:charger:discovered" in body and not Receiver.failed_once:
            Receiver.failed_once = True
            status = 500
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def wait_for(predicate, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def main() -> int:
    base = os.environ["GRIDLINK_URL"].rstrip("/")
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook_url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
    token = httpx.post(f"{base}/oauth2/token", auth=(os.environ["GRIDLINK_CLIENT_ID"], os.environ["GRIDLINK_CLIENT_SECRET"]),
                       data={"grant_type": "client_credentials"}).raise_for_status().json()["access_token"]
    api = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"})

    secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    webhook = api.post("/webhooks", json={"url": hook_url, "secret": secret, "events": ["user:charger:discovered"],
                                          "standardWebhooks": True}).raise_for_status().json()
    assert webhook["standardWebhooks"] is True, webhook

    user = f"swcheck-{secrets.token_hex(4)}"
    link = api.post(f"/users/{user}/link", json={"vendorType": "charger", "vendor": "EASEE", "scopes": ["charger:read:data"],
                                                 "language": "en-US", "redirectUri": "https://app.example.com"}).raise_for_status().json()
    path = urlparse(link["linkUrl"]).path
    form = {"content-type": "application/x-www-form-urlencoded"}
    httpx.post(base + path + "/consent", headers=form, content="decision=accept")
    httpx.post(base + path + "/login", headers=form, content=f"username={user}&password=gridlink")

    def batches():
        return [(h, b) for h, b in Receiver.received if b"user:charger:discovered" in b]

    if not wait_for(lambda: len(batches()) >= 2):
        raise SystemExit(f"expected a failed delivery and its retry, got {len(batches())} deliveries")
    verifier = Webhook(secret)
    ids = []
    for headers, body in batches()[:2]:
        verifier.verify(body, headers)
        ids.append({k.lower(): v for k, v in headers.items()}["webhook-id"])
        try:
            verifier.verify(body.replace(b"discovered", b"Discovered"), headers)
            raise SystemExit("a tampered body verified")
        except WebhookVerificationError:
            pass
    if ids[0] != ids[1]:
        raise SystemExit(f"webhook-id changed across a redelivery: {ids}")
    print(f"[standard-webhooks] delivery and retry verified (whsec_ secret), same webhook-id {ids[0]}")

    raw = secrets.token_hex(20)
    api.patch(f"/webhooks/{webhook['id']}", json={"secret": raw}).raise_for_status()
    before = len(Receiver.received)
    result = api.post(f"/webhooks/{webhook['id']}/test").raise_for_status().json()
    assert result["status"] == "SUCCESS", result
    headers, body = Receiver.received[before]
    Webhook(raw.encode()).verify(body, headers)
    print("[standard-webhooks] test event verified (raw secret keyed by its UTF-8 bytes)")
    receiver.shutdown()
    print("[standard-webhooks] OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
