#!/usr/bin/env python3
"""Captures a real Odoo's replies to the calls in CALLS (JSON-RPC and XML-RPC) and, on 19+,
JSON2_CALLS, for the contract suite's fake-versus-live comparison
(tests/contract/fake_matches_live_test.cpp).

    python3 tests/data/odoo/capture.py URL DB USER API_KEY OUT.json

Read-only apart from calls that Odoo refuses (nothing is created). Requests are stored with the
placeholders {db}, {uid} and {key}; the test fills in the fake's values.
"""
import json
import sys
import urllib.error
import urllib.request
import xmlrpc.client

url, db, user, key, out = sys.argv[1:6]

WRONG_KEY = "0000000000000000000000000000000000000000"


def ek(model, method, args, kwargs=None, wrong_key=False):
    return {"service": "object", "method": "execute_kw",
            "args": ["{db}", "{uid}", WRONG_KEY if wrong_key else "{key}", model, method, args,
                     kwargs or {}]}


CALLS = {
    "version": {"service": "common", "method": "version", "args": []},
    "authenticate_wrong_key": {"service": "common", "method": "authenticate",
                               "args": ["{db}", user, WRONG_KEY, {}]},
    "execute_kw_wrong_key": ek("res.partner", "search_count", [[]], wrong_key=True),
    "search_read_country": ek("res.country", "search_read", [[["code", "=", "US"]]],
                              {"fields": ["name", "code"]}),
    "search_count_country": ek("res.country", "search_count", [[["code", "in", ["US", "DE"]]]]),
    "name_search_country": ek("res.country", "name_search", ["United States"], {"limit": 1}),
    "fields_get_sale_order": ek("sale.order", "fields_get",
                                [["partner_id", "order_line", "state", "amount_total",
                                  "date_order", "client_order_ref"]],
                                {"attributes": ["type", "string", "required", "readonly",
                                                "relation"]}),
    "read_invalid_field": ek("res.partner", "search_read", [[]],
                             {"fields": ["no_such_field"], "limit": 1}),
    "domain_invalid_field": ek("res.partner", "search_count", [[["no_such_field", "=", 1]]]),
    "unknown_model": ek("no.such.model", "search_count", [[]]),
    "unknown_method": ek("res.partner", "no_such_method", [[]]),
    "private_method": ek("res.partner", "_compute_display_name", [[]]),
    "write_missing_record": ek("res.partner", "write", [[999999999], {"name": "x"}]),
    "confirm_missing_order": ek("sale.order", "action_confirm", [[999999999]]),
    "create_order_without_partner": ek("sale.order", "create", [[{"client_order_ref": "x"}]]),
    "create_partner_bad_selection": ek("res.partner", "create",
                                       [[{"name": "x", "type": "bogus"}]]),
    "load_bad_selection": ek("res.partner", "load",
                             [["name", "type"], [["cct-never-good", "contact"],
                                                 ["cct-never-bad", "no-such-type"]]]),
}


# JSON-2 (19+): model, method, named arguments, and whether to send a wrong key.
JSON2_CALLS = {
    "search_read_country": ("res.country", "search_read",
                            {"domain": [["code", "=", "US"]], "fields": ["name", "code"]}),
    "name_search_country": ("res.country", "name_search", {"name": "United States", "limit": 1}),
    "read_invalid_field": ("res.partner", "search_read",
                           {"domain": [], "fields": ["no_such_field"], "limit": 1}),
    "unknown_model": ("no.such.model", "search_count", {"domain": []}),
    "unknown_method": ("res.partner", "no_such_method", {}),
    "private_method": ("res.partner", "_compute_display_name", {"ids": []}),
    "write_missing_record": ("res.partner", "write", {"ids": [999999999], "vals": {"name": "x"}}),
    "create_order_without_partner": ("sale.order", "create",
                                     {"vals_list": [{"client_order_ref": "x"}]}),
    "missing_argument": ("res.partner", "search", {}),
    "wrong_key": ("res.partner", "search_count", {"domain": []}),
}


def post(params):
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}).encode()
    req = urllib.request.Request(url.rstrip("/") + "/jsonrpc", body,
                                 {"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


uid = post({"service": "common", "method": "authenticate", "args": [db, user, key, {}]})["result"]


def fill(v):
    if isinstance(v, list):
        return [fill(x) for x in v]
    if isinstance(v, dict):
        return {k: fill(x) for k, x in v.items()}
    return {"{db}": db, "{uid}": uid, "{key}": key}.get(v, v) if isinstance(v, str) else v


def xmlrpc_call(params):
    """The XML-RPC reply decoded: {"result": …} or {"fault": {"code", "string"}} (fault 1's
    string is a traceback: only its last line is kept)."""
    body = xmlrpc.client.dumps(tuple(fill(params["args"])), params["method"]).encode()
    req = urllib.request.Request(url.rstrip("/") + "/xmlrpc/2/" + params["service"], body,
                                 {"Content-Type": "text/xml"})
    with urllib.request.urlopen(req) as r:
        text = r.read()
    try:
        (result,), _ = xmlrpc.client.loads(text)
        return {"result": result}
    except xmlrpc.client.Fault as f:
        string = f.faultString
        if f.faultCode == 1:
            string = string.strip().splitlines()[-1]
        return {"fault": {"code": f.faultCode, "string": string}}


def json2(model, method, named, wrong_key):
    req = urllib.request.Request(
        url.rstrip("/") + f"/json/2/{model}/{method}", json.dumps(named).encode(),
        {"Content-Type": "application/json", "X-Odoo-Database": db,
         "Authorization": "bearer " + (WRONG_KEY if wrong_key else key)})
    try:
        with urllib.request.urlopen(req) as r:
            return {"status": r.status, "body": json.load(r)}
    except urllib.error.HTTPError as e:
        body = json.load(e)
        if isinstance(body, dict) and "debug" in body:
            body["debug"] = body["debug"].strip().splitlines()[-1] if body["debug"] else ""
        return {"status": e.code, "body": body}


replies = {}
for name, params in CALLS.items():
    reply = post(fill(params))
    if "error" in reply:
        # The traceback names the server's paths: keep only its last line.
        debug = reply["error"]["data"].get("debug", "")
        reply["error"]["data"]["debug"] = debug.strip().splitlines()[-1] if debug else debug
    replies[name] = {"request": params, "reply": reply, "xmlrpc": xmlrpc_call(params)}

json2_replies = {}
major = post({"service": "common", "method": "version", "args": []})["result"][
    "server_version_info"][0]
if major >= 19:
    for name, (model, method, named) in JSON2_CALLS.items():
        json2_replies[name] = {"model": model, "method": method, "named": named,
                               "wrong_key": name == "wrong_key",
                               "reply": json2(model, method, named, name == "wrong_key")}

version = post({"service": "common", "method": "version", "args": []})["result"]["server_serie"]
json.dump({"provenance": f"Odoo {version} Community, a new database (sale_management, stock, "
                         f"account, stock_delivery, base_automation, no demo data), "
                         f"captured with tests/data/odoo/capture.py",
           "calls": replies, "json2": json2_replies}, open(out, "w"), indent=1, sort_keys=True)
