"""An independent XML-RPC peer for the marshalling test: Python's standard xmlrpc.server.

Serves two servers on 127.0.0.1 (ephemeral ports) and prints "<port_allow_none> <port_no_none>":
the first accepts and returns None (<nil/>), the second is marshalled like Odoo's
(allow_none=False), so a None result becomes a fault "cannot marshal None".
Runs until killed.
"""
import datetime
import sys
import threading
import xmlrpc.client
import xmlrpc.server


def sample():
    return {
        "int": 42,
        "neg": -7,
        "yes": True,
        "no": False,
        "text": "a <b> & \"c\" \u00e9",
        "float": 19.99,
        "whole_float": 25.0,
        "when": datetime.datetime(2025, 1, 15, 10, 30, 0),
        "blob": xmlrpc.client.Binary(b"\x00\x01\xffpdf"),
        "list": [1, "two", [3.5]],
        "struct": {"k": "v"},
        "empty": "",
    }


def types(value):
    return {k: type(v).__name__ for k, v in value.items()}


def fail():
    raise xmlrpc.client.Fault(4, "You are not allowed to create 'Journal Entry' (account.move) records.")


def nothing():
    return None


def make(allow_none):
    server = xmlrpc.server.SimpleXMLRPCServer(
        ("127.0.0.1", 0), allow_none=allow_none, logRequests=False, use_builtin_types=False)
    server.register_function(lambda x: x, "echo")
    server.register_function(sample, "sample")
    server.register_function(types, "types")
    server.register_function(fail, "fail")
    server.register_function(nothing, "nothing")
    return server


def main():
    servers = [make(True), make(False)]
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    print(" ".join(str(s.server_address[1]) for s in servers), flush=True)
    sys.stdin.read()  # until the test closes our stdin (or kills us)


if __name__ == "__main__":
    main()
