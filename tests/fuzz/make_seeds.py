#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into OUT/<target>/ from the repository's own data:
the Odoo captures (tests/data/odoo), the static sandbox answers and notification examples of
Amazon's models (tests/data/sp-api), the example configuration and the default mapping templates.
Seeds kept as files in tests/fuzz/seeds/<target>/ are used beside these."""
import hashlib
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parents[2]
out = pathlib.Path(sys.argv[1])
data = root / "tests" / "data"


def put(target, content):
    if isinstance(content, str):
        content = content.encode()
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(content).hexdigest()[:16]).write_bytes(content)


# Odoo JSON: every captured JSON-RPC envelope and JSON-2 body.
for f in sorted((data / "odoo").glob("captures-*/*.json")):
    if f.name.startswith("xmlrpc"):
        continue
    for value in json.loads(f.read_text()).values():
        if isinstance(value, dict) and "body" in value and "status" in value:
            value = value["body"]
        if isinstance(value, dict):
            value.pop("_http_status", None)
        put("odoo_json", json.dumps(value))

# SP-API: the static sandbox responses of the Orders and Reports models, each behind every
# selector byte of fuzz_spapi_json.
models = data / "sp-api" / "models"
for model in ["orders-api-model/orders_2026-01-01.json", "orders-api-model/ordersV0.json",
              "reports-api-model/reports_2021-06-30.json"]:
    spec = json.loads((models / model).read_text())
    for path in spec.get("paths", {}).values():
        for op in path.values():
            if not isinstance(op, dict):
                continue
            for resp in op.get("responses", {}).values():
                static = resp.get("x-amzn-api-sandbox", {}).get("static", [])
                for example in static:
                    body = json.dumps(example.get("response", {}))
                    for selector in range(8):
                        put("spapi_json", bytes([selector]) + body.encode())

# Notifications: every schema example, raw and inside an SQS ReceiveMessage answer.
for f in sorted((data / "sp-api" / "schemas" / "notifications").glob("*.json")):
    for example in json.loads(f.read_text()).get("examples", []):
        body = json.dumps(example)
        put("notifications", body)
        put("notifications", json.dumps({"Messages": [{
            "MessageId": "m1", "ReceiptHandle": "r1", "Body": body,
            "MD5OfBody": hashlib.md5(body.encode()).hexdigest(),
            "Attributes": {"ApproximateReceiveCount": "1"}}]}))

# Configuration and mapping templates.
put("config", (root / "config" / "clarity-connect.example.yaml").read_text())
for f in sorted((root / "config" / "mapping").glob("*.yaml")):
    put("mapping_template", f.read_text())
