#!/usr/bin/env python3
"""SMTP scenarios against a real Facteur server, with Python's smtplib and raw sockets.
Usage: smtp_scenarios.py SCENARIO HOST PORT [ARGS...]; prints one JSON object; exit 0 unless crashed."""
import json, smtplib, socket, ssl, sys, time

scenario, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
args = sys.argv[4:]
out = {}
import os
SOURCE = (os.environ["SOURCE"], 0) if os.environ.get("SOURCE") else None
_orig_create = socket.create_connection
def _create(addr, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **kw):
    return _orig_create(addr, timeout, source_address or SOURCE, **kw)
socket.create_connection = _create

def raw(lines, read_until=None, timeout=10):
    s = socket.create_connection((host, port), timeout=timeout)
    f = s.makefile("rb")
    greeting = f.readline().decode()
    s.sendall(lines)
    replies = []
    try:
        while True:
            line = f.readline()
            if not line:
                break
            replies.append(line.decode("utf-8", "replace").rstrip("\r\n"))
            if read_until and len([r for r in replies if r[3:4] == " "]) >= read_until:
                break
    except socket.timeout:
        replies.append("TIMEOUT")
    s.close()
    return greeting.strip(), replies

if scenario == "deliver":
    s = smtplib.SMTP(host, port, timeout=10)
    code, ehlo = s.ehlo("client.test")
    out["ehlo"] = ehlo.decode()
    refused = s.sendmail("sender@remote.test", args, "Subject: e2e hello\r\nFrom: sender@remote.test\r\n\r\nHello from smtplib.\r\n.leading dot\r\n")
    out["refused"] = {k: [v[0], v[1].decode()] for k, v in refused.items()}
    s.quit()
elif scenario == "starttls":
    s = smtplib.SMTP(host, port, timeout=10)
    s.ehlo("client.test")
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    code, _ = s.starttls(context=ctx)
    out["starttls"] = code
    out["cipher"] = s.sock.cipher()[0]
    out["version"] = s.sock.version()
    code, ehlo = s.ehlo("client.test")
    out["ehlo_after"] = ehlo.decode()
    s.sendmail("sender@remote.test", [args[0]], "Subject: over tls\r\n\r\nsecret stuff\r\n")
    s.quit()
elif scenario == "relay":
    s = smtplib.SMTP(host, port, timeout=10)
    s.ehlo("client.test")
    s.mail("spammer@remote.test")
    out["rcpt"] = [[c, m.decode()] for c, m in [s.rcpt(a) for a in args]]
    s.quit()
elif scenario == "pipelining":
    n = int(args[1])
    cmds = b"EHLO client.test\r\n"
    for i in range(n):
        cmds += b"MAIL FROM:<p@remote.test>\r\nRCPT TO:<" + args[0].encode() + b">\r\nDATA\r\n"
        cmds += b"Subject: pipelined %d\r\n\r\nbody %d\r\n.\r\n" % (i, i)
    cmds += b"QUIT\r\n"
    g, replies = raw(cmds)
    out["codes"] = [r[:3] for r in replies if r[3:4] == " "]
elif scenario == "bdat":
    body = b"Subject: chunked\r\n\r\nfirst chunk\r\n"
    body2 = b"second chunk with .dot\r\n.\r\n"
    cmds = b"EHLO c\r\nMAIL FROM:<b@remote.test>\r\nRCPT TO:<" + args[0].encode() + b">\r\n"
    cmds += b"BDAT %d\r\n" % len(body) + body + b"BDAT %d LAST\r\n" % len(body2) + body2 + b"QUIT\r\n"
    g, replies = raw(cmds)
    out["codes"] = [r[:3] for r in replies if r[3:4] == " "]
elif scenario == "oversize":
    size = int(args[1])
    s = smtplib.SMTP(host, port, timeout=30)
    s.ehlo("c")
    out["size_ext"] = s.esmtp_features.get("size")
    code, msg = s.mail("big@remote.test", ["SIZE=%d" % (size * 10)])
    out["mail_declared"] = [code, msg.decode()]
    s.rset()
    s.mail("big@remote.test")
    s.rcpt(args[0])
    code, msg = s.data(b"Subject: big\r\n\r\n" + (b"x" * 900 + b"\r\n") * (size // 900 + 10))
    out["data"] = [code, msg.decode()]
    code, msg = s.noop()
    out["noop_after"] = code
    s.quit()
elif scenario == "smuggling":
    cmds = (b"EHLO c\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<" + args[0].encode() + b">\r\nDATA\r\n"
            b"Subject: legit\r\n\r\nhello\n.\r\nMAIL FROM:<admin@example.test>\r\nRCPT TO:<" + args[0].encode() + b">\r\nDATA\r\nSubject: spoofed\r\n\r\nx\r\n.\r\nQUIT\r\n")
    g, replies = raw(cmds)
    out["codes"] = [r[:3] for r in replies if r[3:4] == " "]
elif scenario == "garbage":
    # Over-long line, binary junk, then a normal command: the server must answer, not crash.
    cmds = b"A" * 10000 + b"\r\n" + bytes(range(256)) + b"\r\nNOOP\r\nQUIT\r\n"
    g, replies = raw(cmds)
    out["codes"] = [r[:3] for r in replies if r[3:4] == " "]
elif scenario == "idle":
    # Connect, read the greeting, say nothing: the server must time out with 421.
    s = socket.create_connection((host, port), timeout=30)
    f = s.makefile("rb")
    out["greeting"] = f.readline().decode().strip()
    t = time.time()
    out["after_idle"] = f.readline().decode().strip()
    out["seconds"] = round(time.time() - t, 1)
    out["eof"] = f.readline() == b""
elif scenario == "greeting":
    s = socket.create_connection((host, port), timeout=10)
    out["greeting"] = s.makefile("rb").readline().decode().strip()
    s.close()
elif scenario == "hold":
    # Connect, greet, and keep the connection open for N seconds (for the console's panel 2).
    s = socket.create_connection((host, port), timeout=30)
    f = s.makefile("rb")
    out["greeting"] = f.readline().decode().strip()
    s.sendall(b"EHLO holder.test\r\n")
    while True:
        l = f.readline()
        if not l or l[3:4] == b" ": break
    time.sleep(float(args[0]))
    s.sendall(b"QUIT\r\n")
    s.close()
elif scenario == "proxy":
    # PROXY v1 header as HAProxy sends it, then read the greeting.
    s = socket.create_connection((host, port), timeout=10)
    try:
        s.sendall(("PROXY TCP4 %s 127.0.0.1 40000 25\r\n" % args[0]).encode())
        f = s.makefile("rb")
        out["greeting"] = f.readline().decode().strip()
        if out["greeting"].startswith("220"):
            s.sendall(b"QUIT\r\n"); f.readline()
    except OSError as e:
        out["greeting"] = ""
        out["error"] = str(e)
    s.close()
else:
    print("unknown scenario", scenario, file=sys.stderr)
    sys.exit(2)
print(json.dumps(out))
