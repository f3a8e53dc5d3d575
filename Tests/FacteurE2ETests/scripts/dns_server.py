#!/usr/bin/env python3
"""A tiny authoritative DNS server on loopback for tests (dnslib).
Usage: dns_server.py PORT 'zone text in BIND format'. Prints READY when listening."""
import sys, time
from parent_watch import exit_with_parent
exit_with_parent()
from dnslib.server import DNSServer
from dnslib.zoneresolver import ZoneResolver

port = int(sys.argv[1])
resolver = ZoneResolver(sys.argv[2], glob=False)
udp = DNSServer(resolver, port=port, address="127.0.0.1")
tcp = DNSServer(resolver, port=port, address="127.0.0.1", tcp=True)
udp.start_thread(); tcp.start_thread()
print("READY", flush=True)
deadline = time.time() + 600
while time.time() < deadline and udp.isAlive():
    time.sleep(0.2)
