#!/usr/bin/env python3
"""A NAT-PMP responder on loopback for tests (RFC 6886 §3.2): answers a public address request.
Usage: natpmp_responder.py PORT PUBLIC_IPV4. Prints READY when listening."""
import socket, struct, sys, time
from parent_watch import exit_with_parent
exit_with_parent()

port, public = int(sys.argv[1]), sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", port))
s.settimeout(0.5)
print("READY", flush=True)
deadline = time.time() + 300
while time.time() < deadline:
    try:
        data, peer = s.recvfrom(64)
    except socket.timeout:
        continue
    if data[:2] == b"\x00\x00":
        s.sendto(struct.pack("!BBHI", 0, 128, 0, int(time.time()) & 0xFFFFFFFF) + socket.inet_aton(public), peer)
