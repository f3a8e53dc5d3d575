#!/usr/bin/env python3
"""Guard scenarios with raw sockets from chosen loopback source addresses: sessions held open
while a ban is made, password guessing on connections opened in advance, a full server,
trickling clients.
Usage: guard_scenarios.py SCENARIO JSON-ARGS; prints one JSON object; exit 0 unless crashed."""
import json, socket, subprocess, sys, threading, time

sys.path.insert(0, __import__("os").path.dirname(__file__))
from parent_watch import exit_with_parent

exit_with_parent()
scenario = sys.argv[1]
a = json.loads(sys.argv[2])
HOST = "127.0.0.1"
out = {}


def connect(port, source, timeout=10):
    s = socket.socket()
    s.bind((source, 0))
    s.settimeout(timeout)
    s.connect((HOST, port))
    return s


def line(s):
    data = b""
    while not data.endswith(b"\n"):
        c = s.recv(1)
        if not c:
            break
        data += c
    return data.decode("utf-8", "replace").rstrip("\r\n")


def greet(port, source):
    s = connect(port, source)
    return s, line(s)


def rest(s, timeout=10):
    """Everything until the server closes ("TIMEOUT" appended if it does not)."""
    s.settimeout(timeout)
    data = b""
    try:
        while True:
            c = s.recv(4096)
            if not c:
                break
            data += c
    except socket.timeout:
        data += b"TIMEOUT"
    except ConnectionResetError:
        data += b"RESET"
    return data.decode("utf-8", "replace")


def pop3_guess(port, source, user, passwords):
    """Wrong passwords, one POP3 connection each; the answers (or what refused it)."""
    answers = []
    for p in passwords:
        try:
            s, g = greet(port, source)
            if not g.startswith("+OK"):
                answers.append(g)
                break
            s.sendall(b"USER " + user.encode() + b"\r\n")
            line(s)
            s.sendall(b"PASS " + p.encode() + b"\r\n")
            r = line(s)
            s.close()
        except OSError as e:
            r = "ERROR " + str(e)
        answers.append(r)
        if not r.startswith("-ERR [AUTH]"):
            break
    return answers


if scenario == "ban_cuts_sessions":
    # Sessions on every service held open from `source`, then a ban (wrong POP3 passwords
    # from the same address, or a command): what each open session is told, and when.
    ports, source = a["ports"], a["source"]
    held = {}
    for name in ("SMTP", "IMAP", "POP3"):
        s, g = greet(ports[name], source)
        held[name] = s
        out.setdefault("greetings", {})[name] = g
    start = time.time()
    if "guess" in a:
        out["guesses"] = pop3_guess(ports["POP3"], source, a["guess"], ["wrong%d" % i for i in range(a["count"])])
    else:
        r = subprocess.run(a["command"], capture_output=True, text=True)
        out["command"] = [r.returncode, r.stdout, r.stderr]
    out["goodbyes"] = {name: rest(s) for name, s in held.items()}
    out["seconds"] = time.time() - start
    # A new connection is refused.
    s, g = greet(ports["SMTP"], source)
    out["after"] = g
elif scenario == "guess_in_parallel":
    # `connections` POP3 connections opened in advance from one address, each trying
    # `per_connection` wrong passwords as fast as it is answered.
    port, source, user = a["port"], a["source"], a["user"]
    conns = []
    for i in range(a["connections"]):
        s, g = greet(port, source)
        s.sendall(b"USER " + user.encode() + b"\r\n")
        line(s)
        conns.append(s)
    results = [[] for _ in conns]

    def guess(i, s):
        for k in range(a["per_connection"]):
            try:
                s.sendall(("PASS guess-%d-%d\r\n" % (i, k)).encode())
                r = line(s)
            except OSError as e:
                r = "ERROR " + str(e)
            results[i].append(r)
            if not r.startswith("-ERR [AUTH]"):
                break
            try:
                s.sendall(b"USER " + user.encode() + b"\r\n")
                line(s)
            except OSError:
                break
    start = time.time()
    threads = [threading.Thread(target=guess, args=(i, s)) for i, s in enumerate(conns)]
    for t in threads: t.start()
    for t in threads: t.join(60)
    out["seconds"] = time.time() - start
    out["verified_wrong"] = sum(1 for r in results for x in r if x.startswith("-ERR [AUTH]"))
    out["ends"] = [r[-1] if r else "" for r in results]
elif scenario == "fill_then_deliver":
    # `idle` SMTP connections from several addresses, greeted and silent; then a delivery
    # from `client`; then what the idle ones were told.
    port = a["port"]
    idle = []
    for i in range(a["idle"]):
        src = a.get("idle_source") or "127.0.%d.%d" % (20 + i // 10, 1 + i % 10)
        try:
            s, g = greet(port, src)
            idle.append((s, g))
        except OSError as e:
            idle.append((None, "ERROR " + str(e)))
    out["idle_greetings"] = [g for _, g in idle]
    s, g = greet(port, a["client"])
    out["greeting"] = g
    replies = []
    if g.startswith("220"):
        for cmd in ["EHLO client.test", "MAIL FROM:<a@remote.test>", "RCPT TO:<%s>" % a["rcpt"], "DATA"]:
            s.sendall((cmd + "\r\n").encode())
            r = line(s)
            while r[3:4] == "-":
                r = line(s)
            replies.append(r)
        s.sendall(b"Subject: room\r\n\r\nmade room\r\n.\r\n")
        replies.append(line(s))
        s.sendall(b"QUIT\r\n")
    out["replies"] = replies
    closed = []
    for c, _ in idle:
        if c is None:
            continue
        c.setblocking(False)
        try:
            d = c.recv(4096)
            closed.append(d.decode("utf-8", "replace").strip() if d else "CLOSED")
        except BlockingIOError:
            pass
    out["idle_told"] = closed
elif scenario == "trickle":
    # One byte of an unfinished command every `every` seconds; how long until the server
    # closes, and what it said.
    s, g = greet(a["port"], a["source"])
    out["greeting"] = g
    start = time.time()
    told = ""
    payload = a["payload"].encode()
    i = 0
    try:
        while time.time() - start < a["limit"]:
            s.sendall(payload[i % len(payload):i % len(payload) + 1])
            i += 1
            s.settimeout(a["every"])
            try:
                d = s.recv(4096)
                if not d:
                    break
                told += d.decode("utf-8", "replace")
            except socket.timeout:
                pass
    except OSError:
        pass
    out["told"] = told
    out["seconds"] = time.time() - start
elif scenario == "imap_read":
    # Reading mail (SELECT, FETCH) and changing a flag, with imaplib: what each answered.
    import imaplib
    m = imaplib.IMAP4(HOST, a["port"])
    m.login(a["user"], a["password"])
    def answer(f, *args):
        try:
            typ, data = f(*args)
            return [typ, [d.decode("utf-8", "replace") if isinstance(d, bytes) else
                          (d[1].decode("utf-8", "replace") if isinstance(d, tuple) else str(d)) for d in data]]
        except imaplib.IMAP4.error as e:
            return ["ERROR", [str(e)]]
    out["select"] = answer(m.select, "INBOX")
    if a.get("fetch", True):
        out["fetch"] = answer(m.fetch, "1", "(BODY[])")
        out["store"] = answer(m.store, "1", "+FLAGS", "(\\Flagged)")
    m.logout()
else:
    raise SystemExit("unknown scenario " + scenario)

print(json.dumps(out))
