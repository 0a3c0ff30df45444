#!/usr/bin/env python3
"""Enode's Python SDK (`enode` on PyPI, generated from Enode's OpenAPI 2024-10-01) against a running Gridlink.

Calls the service-health operations (the six vendor lists, the integrations list, readiness) as the SDK
calls them, without a token, and checks that its models accept the answers; then, with a sandbox client's
token, that a vendor outage fault shows as OUTAGE for that client only.

Environment: GRIDLINK_URL, GRIDLINK_CLIENT_ID, GRIDLINK_CLIENT_SECRET (a sandbox client).
Run by scripts/sdk-checks.sh (CI step 5).
"""
import os
import sys

import httpx
from enode import Enode


def value(field):
    """An enum member's value, or the string itself."""
    return getattr(field, "value", field)


def main() -> int:
    base = os.environ["GRIDLINK_URL"].rstrip("/")
    sdk = Enode(server_url=base)
    health = sdk.service_health
    operations = {
        "chargers": health.check_charger_vendors,
        "vehicles": health.get_vehicle_vendors,
        "batteries": health.get_battery_vendors,
        "inverters": health.get_inverter_vendors,
        "hvacs": health.get_hvac_vendors,
        "meters": health.get_meter_vendors,
    }
    for name, operation in operations.items():
        vendors = operation()
        if not vendors or any(value(v.status) != "READY" for v in vendors):
            raise SystemExit(f"/health/{name} without a token: expected every vendor READY, got {vendors!r}")
        print(f"[enode-sdk] /health/{name}: {len(vendors)} vendors parsed by the SDK's models")
    integrations = health.list_integrations()
    if not integrations or not all(i.asset_types and i.scopes for i in integrations):
        raise SystemExit(f"/integrations: unexpected answer {integrations!r}")
    storage = health.list_integrations(asset_types="battery,meter")
    if not storage or any(not {value(t) for t in i.asset_types} <= {"battery", "meter"} for i in storage):
        raise SystemExit(f"/integrations?assetTypes=battery,meter: unexpected answer {storage!r}")
    print(f"[enode-sdk] /integrations: {len(integrations)} integrations parsed ({len(storage)} for battery,meter)")
    health.check_readiness()
    print("[enode-sdk] /health/ready: ready")

    token = httpx.post(f"{base}/oauth2/token", auth=(os.environ["GRIDLINK_CLIENT_ID"], os.environ["GRIDLINK_CLIENT_SECRET"]),
                       data={"grant_type": "client_credentials"}).raise_for_status().json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    fault = httpx.post(f"{base}/sandbox/faults", headers=bearer, json={"kind": "outage", "scope": {"vendor": "ZAPTEC"}}).raise_for_status().json()
    try:
        def zaptec(vendors):
            return next(value(v.status) for v in vendors if value(v.vendor) == "ZAPTEC")

        seen = zaptec(health.check_charger_vendors(http_headers=bearer))
        integration = zaptec(health.list_integrations(http_headers=bearer))
        anonymous = zaptec(health.check_charger_vendors())
        if (seen, integration, anonymous) != ("OUTAGE", "OUTAGE", "READY"):
            raise SystemExit(f"outage fault: with token {seen}/{integration}, without {anonymous}; expected OUTAGE/OUTAGE, READY")
        print("[enode-sdk] the client's outage shows with its token (health and integrations), not without")
    finally:
        httpx.delete(f"{base}/sandbox/faults/{fault['id']}", headers=bearer).raise_for_status()
    print("[enode-sdk] OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
