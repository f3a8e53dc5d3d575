#!/usr/bin/env python3
"""Connects from SOURCE to an implicit-TLS listener, completes the TLS handshake and reads what
the server says before it closes. Usage: tls_refusal.py SOURCE HOST PORT; prints one JSON object:
{"handshake": bool, "lines": [...], "closed": bool}."""
import json, socket, ssl, sys

source, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
out = {"handshake": False, "lines": [], "closed": False}
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
raw = socket.create_connection((host, port), timeout=10, source_address=(source, 0))
try:
    s = ctx.wrap_socket(raw, server_hostname="mx.example.test")
    out["handshake"] = True
    data = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            out["closed"] = True
            break
        data += chunk
    out["lines"] = data.decode("utf-8", "replace").splitlines()
except (ssl.SSLError, ConnectionResetError, OSError) as e:
    out["closed"] = True
    out["error"] = str(e)
print(json.dumps(out))
