#!/usr/bin/env python3
"""POP3 scenarios against a real Facteur server, with Python's poplib, smtplib and raw sockets.
Usage: pop3_scenarios.py SCENARIO HOST PORT [ARGS...]; prints one JSON object; exit 0 unless crashed.
PORT is the POP3 port, except for `deliver` (the SMTP port)."""
import base64, hashlib, json, os, poplib, smtplib, socket, ssl, sys, time

scenario, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
args = sys.argv[4:]
out = {}


def tls_context():
    # The server's certificate is self-signed.
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def text(e):
    a = e.args[0] if e.args else e
    return a.decode("utf-8", "replace") if isinstance(a, bytes) else str(a)


def login(user, password, tls="stls"):
    if tls == "implicit":
        p = poplib.POP3_SSL(host, port, context=tls_context(), timeout=10)
    else:
        p = poplib.POP3(host, port, timeout=10)
        if tls == "stls":
            p.stls(context=tls_context())
    p.user(user)
    p.pass_(password)
    return p


class Raw:
    """A line-oriented client on a plain or TLS socket, for what poplib cannot do."""

    def __init__(self, source=None):
        self.sock = socket.create_connection((host, port), timeout=10, source_address=(source, 0) if source else None)
        self.buf = b""

    def line(self):
        while b"\n" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                rest, self.buf = self.buf, b""
                return rest.decode("utf-8", "replace") if rest else None
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r").decode("utf-8", "replace")

    def send(self, data):
        self.sock.sendall(data.encode() if isinstance(data, str) else data)

    def cmd(self, command):
        self.send(command + "\r\n")
        return self.line()

    def multiline(self):
        """The body of a multi-line response, unstuffed, without the terminating "."."""
        lines = []
        while True:
            l = self.line()
            if l is None or l == ".":
                return lines
            lines.append(l[1:] if l.startswith(".") else l)

    def raw_until_terminator(self):
        """Raw octets of a multi-line body up to and including CRLF.CRLF."""
        data = self.buf
        self.buf = b""
        while True:
            if data.startswith(b".\r\n") or b"\r\n.\r\n" in data:
                end = 3 if data.startswith(b".\r\n") else data.index(b"\r\n.\r\n") + 5
                self.buf = data[end:]
                return data[:end]
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                return data
            data += chunk

    def starttls(self):
        self.sock = tls_context().wrap_socket(self.sock, server_hostname=host)

    def closed(self):
        try:
            return self.sock.recv(1) == b""
        except (ConnectionResetError, ssl.SSLError):
            return True
        except socket.timeout:
            return False


def expected_wire(message, top=None):
    """RFC 1939 §3 and §7: CRLF lines, byte-stuffed, terminated; TOP keeps headers and `top` body lines."""
    lines = message.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    out = []
    in_header, body = True, 0
    for l in lines:
        if top is not None and not in_header and body >= top:
            break
        if l.endswith(b"\r"):
            l = l[:-1]
        out.append((b"." + l if l.startswith(b".") else l) + b"\r\n")
        if in_header:
            if l == b"":
                in_header = False
        else:
            body += 1
    return b"".join(out) + b".\r\n"


def plain(user, password, authz=""):
    return base64.b64encode(f"{authz}\0{user}\0{password}".encode()).decode()


if scenario == "deliver":
    rcpt, subject = args[0], args[1]
    s = smtplib.SMTP(host, port, timeout=10)
    s.ehlo("client.test")
    refused = s.sendmail("sender@remote.test", [rcpt], f"Subject: {subject}\r\nFrom: sender@remote.test\r\n\r\n"
                         f"First line of {subject}.\r\n.leading dot\r\nlast line\r\n")
    out["refused"] = len(refused)
    s.quit()

elif scenario == "session":
    user, password = args[0], args[1]
    p = poplib.POP3(host, port, timeout=10)
    out["greeting"] = p.getwelcome().decode()
    out["capa_before"] = sorted(p.capa().keys())
    out["stls"] = p.stls(context=tls_context()).decode()
    out["tls_version"] = p.sock.version()
    out["capa_after"] = sorted(p.capa().keys())
    out["user"] = p.user(user).decode()
    out["pass"] = p.pass_(password).decode()
    out["stat"] = list(p.stat())
    resp, lines, _ = p.list()
    out["list"] = [l.decode() for l in lines]
    resp, lines, _ = p.uidl()
    out["uidl"] = [l.decode() for l in lines]
    resp, lines, octets = p.retr(1)
    out["retr_status"] = resp.decode()
    out["retr"] = [l.decode() for l in lines]
    resp, lines, _ = p.top(1, 0)
    out["top0"] = [l.decode() for l in lines]
    resp, lines, _ = p.top(1, 1)
    out["top1"] = [l.decode() for l in lines]
    out["noop"] = p.noop().decode()
    try:
        p.retr(99)
    except poplib.error_proto as e:
        out["retr_missing"] = text(e)
    out["quit"] = p.quit().decode()

elif scenario == "login":
    p = login(args[0], args[1])
    out["stat"] = list(p.stat())
    out["quit"] = p.quit().decode()

elif scenario == "shutdown":
    # The server stops while a session has a message marked: it says so, and deletes nothing.
    import os, signal
    user, password, pid = args[0], args[1], int(args[2])
    p = login(user, password)
    out["dele"] = p.dele(1).decode()
    os.kill(pid, signal.SIGTERM)
    out["notice"] = p.file.readline().decode().rstrip("\r\n")
    out["eof"] = p.file.readline() == b""

elif scenario == "limits":
    r = Raw()
    r.line()
    out["long_line"] = r.cmd("NOOP " + "x" * 5000)
    out["after_long_line"] = r.cmd("CAPA")
    r.multiline()
    answers = []
    out["closed"] = False
    for i in range(20):
        try:
            answer = r.cmd(f"BOGUS{i}")
        except (ConnectionResetError, BrokenPipeError):
            out["closed"] = True
            break
        if answer is None:
            out["closed"] = True
            break
        answers.append(answer)
    out["bogus"] = answers

elif scenario == "abuse":
    # args: source — unknown commands until the server hangs up, then a new connection from there.
    source = args[0]
    r = Raw(source)
    out["greeting"] = r.line()
    answers = []
    for i in range(20):
        try:
            answer = r.cmd(f"BOGUS{i}")
        except (ConnectionResetError, BrokenPipeError):
            break
        if answer is None:
            break
        answers.append(answer)
    out["answers"] = answers
    time.sleep(0.2)
    try:
        out["again"] = Raw(source).line()
    except OSError as e:
        out["again"] = "ERROR " + str(e)

elif scenario == "parallel":
    # Several users' sessions at once, over STLS and implicit TLS alternately: each sees its own mail.
    import threading
    password, tls_port, users = args[0], int(args[1]), args[2:]
    results, lock = {}, threading.Lock()

    def worker(i, user):
        got = []
        for round in range(3):
            if (i + round) % 2:
                p = poplib.POP3_SSL(host, tls_port, context=tls_context(), timeout=30)
            else:
                p = poplib.POP3(host, port, timeout=30)
                p.stls(context=tls_context())
            p.user(user)
            p.pass_(password)
            resp, lines, _ = p.retr(1)
            got.append([l.decode() for l in lines if l.startswith(b"Subject: ")])
            p.quit()
        with lock:
            results[user] = got

    threads = [threading.Thread(target=worker, args=(i, u)) for i, u in enumerate(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out["subjects"] = results

elif scenario == "auth_plain":
    user, password = args[0], args[1]
    r = Raw()
    r.line()
    out["initial"] = r.cmd("AUTH PLAIN " + plain(user, password))
    out["stat"] = r.cmd("STAT")
    out["quit"] = r.cmd("QUIT")
    r = Raw()
    r.line()
    out["continuation"] = r.cmd("AUTH PLAIN")
    out["response"] = r.cmd(plain(user, password))
    out["quit2"] = r.cmd("QUIT")
    r = Raw()
    r.line()
    r.cmd("AUTH PLAIN")
    out["cancel"] = r.cmd("*")
    out["wrong"] = r.cmd("AUTH PLAIN " + plain(user, password + "x"))
    out["authz_other"] = r.cmd("AUTH PLAIN " + plain(user, password, authz="bob@example.test"))
    out["quit3"] = r.cmd("QUIT")

elif scenario == "dele_quit":
    user, password, n = args[0], args[1], int(args[2])
    p = login(user, password)
    out["dele"] = p.dele(n).decode()
    try:
        p.retr(n)
    except poplib.error_proto as e:
        out["retr_deleted"] = text(e)
    out["stat"] = list(p.stat())
    out["quit"] = p.quit().decode()

elif scenario == "dele_drop":
    user, password, n = args[0], args[1], int(args[2])
    p = login(user, password)
    out["dele"] = p.dele(n).decode()
    # No QUIT (RFC 1939 §6: nothing may be deleted). poplib's file keeps the socket open: shut it down.
    p.sock.shutdown(socket.SHUT_RDWR)
    p.sock.close()
    p.file.close()
    # The server notices the drop asynchronously; until then the maildrop is still locked.
    deadline = time.time() + 10
    while True:
        try:
            p = login(user, password)
            break
        except poplib.error_proto as e:
            if "[IN-USE]" not in text(e) or time.time() > deadline:
                raise
            time.sleep(0.05)
    out["stat_after"] = list(p.stat())
    p.quit()

elif scenario == "rset":
    user, password = args[0], args[1]
    p = login(user, password)
    out["stat0"] = list(p.stat())
    p.dele(1)
    out["stat1"] = list(p.stat())
    out["rset"] = p.rset().decode()
    out["stat2"] = list(p.stat())
    out["quit"] = p.quit().decode()

elif scenario == "implicit":
    user, password = args[0], args[1]
    p = poplib.POP3_SSL(host, port, context=tls_context(), timeout=10)
    out["greeting"] = p.getwelcome().decode()
    out["tls_version"] = p.sock.version()
    out["capa"] = sorted(p.capa().keys())
    p.user(user)
    out["pass"] = p.pass_(password).decode()
    out["stat"] = list(p.stat())
    resp, lines, _ = p.retr(1)
    out["retr"] = [l.decode() for l in lines]
    out["quit"] = p.quit().decode()

elif scenario == "plaintext_from":
    user, password, source = args[0], args[1], args[2]
    r = Raw(source)
    out["greeting"] = r.line()
    r.cmd("CAPA")
    out["capa_plain"] = r.multiline()
    out["user_plain"] = r.cmd("USER " + user)
    if out["user_plain"].startswith("+OK"):
        out["pass_plain"] = r.cmd("PASS " + password)
        out["quit"] = r.cmd("QUIT")
        print(json.dumps(out))
        sys.exit(0)
    out["auth_plain"] = r.cmd("AUTH PLAIN " + plain(user, password))
    out["stls"] = r.cmd("STLS")
    r.starttls()
    r.cmd("CAPA")
    out["capa_tls"] = r.multiline()
    out["user"] = r.cmd("USER " + user)
    out["pass"] = r.cmd("PASS " + password)
    out["quit"] = r.cmd("QUIT")

elif scenario == "guess_passwords":
    # Password guessing from one address over STLS (one guess per connection, distinct passwords),
    # then one more connection: the guard must refuse it with -ERR at connect.
    user, source, count = args[0], args[1], int(args[2])
    answers = []
    for i in range(count):
        r = Raw(source)
        g = r.line()
        if not g or not g.startswith("+OK"):
            answers.append(g or "")
            break
        r.cmd("STLS"); r.starttls()
        r.cmd("USER " + user)
        answers.append(r.cmd("PASS guess-%d" % i))
        r.cmd("QUIT")
    out["answers"] = answers
    r = Raw(source)
    out["after"] = r.line()

elif scenario == "in_use":
    user, password = args[0], args[1]
    first = login(user, password)
    try:
        second = login(user, password)
        out["second"] = "+OK (not locked)"
        second.quit()
    except poplib.error_proto as e:
        out["second"] = text(e)
    out["first_stat"] = list(first.stat())
    first.quit()
    # The lock is free once QUIT has been answered.
    third = login(user, password)
    out["third"] = list(third.stat())
    third.quit()

elif scenario == "wrong_password":
    user, password = args[0], args[1]
    r = Raw()
    r.line()
    answers = []
    for name, pw in [(user, password + "-wrong"), ("nobody@example.test", password), ("x@" + "y" * 20, "z")]:
        r.cmd("USER " + name)
        answers.append(r.cmd("PASS " + pw))
    out["answers"] = answers
    out["closed_after_three"] = r.closed()

elif scenario == "retr_files":
    # Every message of the maildrop, found by its unique-id among the given files: RETR and TOP
    # octet for octet on a raw socket, then RETR line for line through poplib (which unstuffs).
    user, password, top, paths = args[0], args[1], int(args[2]), args[3:]
    by_uid = {os.path.basename(p).split(":")[0]: p for p in paths}
    results = {}
    r = Raw()
    r.line()
    r.cmd("USER " + user)
    out["pass"] = r.cmd("PASS " + password)
    out["uidl"] = r.cmd("UIDL")
    numbers = [l.split(" ") for l in r.multiline()]
    for n, uid in numbers:
        message = open(by_uid[uid], "rb").read()
        res = {"retr": r.cmd(f"RETR {n}")}
        got = r.raw_until_terminator()
        res["retr_equal"] = got == expected_wire(message)
        res["octets"] = len(got)
        res["top"] = r.cmd(f"TOP {n} {top}")
        res["top_equal"] = r.raw_until_terminator() == expected_wire(message, top)
        results[os.path.basename(by_uid[uid])] = res
    out["quit"] = r.cmd("QUIT")
    p = poplib.POP3(host, port, timeout=30)
    p.user(user)
    p.pass_(password)
    for entry in p.uidl()[1]:
        n, uid = entry.decode().split(" ")
        message = open(by_uid[uid], "rb").read()
        want = message.split(b"\n")
        if want and want[-1] == b"":
            want.pop()
        want = [l[:-1] if l.endswith(b"\r") else l for l in want]
        results[os.path.basename(by_uid[uid])]["poplib_equal"] = p.retr(int(n))[1] == want
    p.quit()
    out["messages"] = results

elif scenario == "retr_after_rename":
    # The message file is renamed (as an IMAP client's flag change does) after the maildrop was
    # listed; RETR still sends it, octet for octet.
    user, password, path, renamed = args[0], args[1], args[2], args[3]
    uid = os.path.basename(path).split(":")[0]
    r = Raw()
    r.line()
    r.cmd("USER " + user)
    out["pass"] = r.cmd("PASS " + password)
    r.cmd("UIDL")
    n = [l.split(" ")[0] for l in r.multiline() if l.split(" ")[1] == uid][0]
    os.rename(path, renamed)
    out["retr"] = r.cmd(f"RETR {n}")
    if out["retr"].startswith("+OK"):
        out["equal"] = r.raw_until_terminator() == expected_wire(open(renamed, "rb").read())
    out["quit"] = r.cmd("QUIT")

elif scenario == "retr_raw":
    # Exact octets of RETR / TOP compared with the RFC 1939 encoding of the stored file.
    user, password, n, path = args[0], args[1], int(args[2]), args[3]
    top = int(args[4]) if len(args) > 4 else None
    message = open(path, "rb").read()
    r = Raw()
    r.line()
    r.cmd("USER " + user)
    out["pass"] = r.cmd("PASS " + password)
    out["list"] = r.cmd(f"LIST {n}")
    # Size as POP3 counts it: CRLF endings, no stuffing.
    lines = message.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    out["expected_size"] = sum(len(l[:-1] if l.endswith(b"\r") else l) + 2 for l in lines)
    out["status"] = r.cmd(f"RETR {n}" if top is None else f"TOP {n} {top}")
    got = r.raw_until_terminator()
    want = expected_wire(message, top)
    out["octets"] = len(got)
    out["expected_octets"] = len(want)
    out["equal"] = hashlib.sha256(got).hexdigest() == hashlib.sha256(want).hexdigest()
    out["quit"] = r.cmd("QUIT")

elif scenario == "pipelining":
    user, password = args[0], args[1]
    r = Raw()
    r.line()
    r.send(f"CAPA\r\nUSER {user}\r\nPASS {password}\r\nSTAT\r\nLIST\r\nRETR 1\r\nUIDL 1\r\nTOP 1 0\r\nNOOP\r\nQUIT\r\n")
    replies = []
    for verb, multi in [("CAPA", True), ("USER", False), ("PASS", False), ("STAT", False), ("LIST", True),
                        ("RETR", True), ("UIDL", False), ("TOP", True), ("NOOP", False), ("QUIT", False)]:
        status = r.line()
        replies.append([verb, (status or "").split(" ")[0]])
        if multi and status and status.startswith("+OK"):
            r.multiline()
    out["replies"] = replies
    out["closed"] = r.closed()

elif scenario == "stls_injection":
    # RFC 2595 §4: plaintext sent behind STLS must be discarded, never answered.
    r = Raw()
    r.line()
    r.send("STLS\r\nCAPA\r\n")
    out["stls"] = r.line()
    out["buffered"] = len(r.buf)
    try:
        r.starttls()
        out["handshake"] = "ok"
        # The first answer under TLS must be to this CAPA, not to the injected one.
        out["capa"] = r.cmd("CAPA")
        r.multiline()
        out["quit"] = r.cmd("QUIT")
    except (ssl.SSLError, ConnectionResetError) as e:
        out["handshake"] = "failed: " + str(e)

elif scenario == "kick":
    user, password, control, log = args[0], args[1], args[2], args[3]
    p = login(user, password)
    local_port = p.sock.getsockname()[1]
    conn = None
    deadline = time.time() + 10
    while conn is None and time.time() < deadline:
        for l in open(log, encoding="utf-8", errors="replace"):
            if f"pop3 connect from 127.0.0.1:{local_port}" in l:
                conn = int(l.split(" pop3 connect")[0].split("#")[-1])
        time.sleep(0.05)
    out["connection"] = conn
    # The control protocol (docs/control-protocol.md): length-prefixed JSON frames, the server
    # says hello first.
    import struct
    c = socket.socket(socket.AF_UNIX)
    c.connect(control)
    cf = c.makefile("rb")

    def frame_out(obj):
        data = json.dumps(obj).encode()
        c.sendall(struct.pack(">I", len(data)) + data)

    def frame_in():
        (n,) = struct.unpack(">I", cf.read(4))
        return json.loads(cf.read(n))

    version = frame_in()["hello"]["_0"]["version"]
    frame_out({"hello": {"_0": {"protocol": "facteur-control", "version": version, "client": "pop3-test"}}})
    frame_out({"request": {"id": 1, "command": {"kick": {"connection": conn}}}})
    while True:
        m = frame_in()
        if "reply" in m:
            out["control"] = m["reply"]["reply"]
            break
    c.close()
    out["after_kick"] = p.file.readline().decode().rstrip("\r\n")
    out["eof"] = p.file.readline() == b""

else:
    raise SystemExit("unknown scenario " + scenario)

print(json.dumps(out))
