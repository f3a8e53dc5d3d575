#!/usr/bin/env python3
"""IMAP scenarios against a real Facteur server, with Python's imaplib and imapclient (PyPI).
Usage: imap_scenarios.py SCENARIO HOST IMAP_PORT [ARGS...]; prints one JSON object on its last
line; exits 0 unless the script itself crashed (assertions are made by the Swift test)."""
import imaplib, json, os, re, smtplib, socket, ssl, sys, threading, time

scenario, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
args = sys.argv[4:]
out = {}


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class BoundIMAP4(imaplib.IMAP4):
    """imaplib from a chosen loopback source address (127.0.0.5 is 'another machine')."""
    source = None

    def _create_socket(self, timeout):
        src = (self.source, 0) if self.source else None
        return socket.create_connection((self.host, self.port), timeout, source_address=src)


def connect(source=None):
    BoundIMAP4.source = source
    return BoundIMAP4(host, port, timeout=15)


def text(data):
    return [d.decode("utf-8", "replace") if isinstance(d, bytes) else repr(d) for d in data]


def deliver(smtp_port, to, subject, body="Hello over SMTP.\r\n"):
    s = smtplib.SMTP(host, smtp_port, timeout=10)
    s.sendmail("sender@remote.test", [to], "Subject: " + subject + "\r\nFrom: Sender <sender@remote.test>\r\nTo: " + to +
               "\r\nMessage-ID: <" + subject.replace(" ", "-") + "@remote.test>\r\n\r\n" + body)
    s.quit()


def crlf(b):
    return re.sub(rb"(?<!\r)\n", b"\r\n", b)


def status_of(m, cmd, *a):
    try:
        typ, data = getattr(m, cmd)(*a)
        return [typ, text(data)]
    except m.error as e:
        return ["ERROR", str(e)]


if scenario == "session":
    # args: smtp_port user password fixtures_dir
    smtp_port, user, password, fixtures = int(args[0]), args[1], args[2], args[3]
    m = connect()
    out["greeting"] = m.welcome.decode()
    out["caps_before"] = list(m.capabilities)
    typ, _ = m.starttls(ssl_context=tls_context())
    out["starttls"] = typ
    out["tls_version"] = m.sock.version()
    out["caps_after"] = list(m.capabilities)
    typ, data = m.login(user, password)
    out["login"] = [typ, text(data)]
    typ, data = m.list()
    out["list"] = text(data)

    # A message delivered over SMTP, read over IMAP.
    deliver(smtp_port, user, "over smtp")
    typ, data = m.select("INBOX")
    out["select"] = [typ, text(data)]
    out["select_untagged"] = {k: text(v) for k, v in m.untagged_responses.items()}
    typ, data = m.fetch("1", "(UID FLAGS RFC822.SIZE ENVELOPE BODYSTRUCTURE BODY.PEEK[])")
    raw_env = data[0][0].decode("utf-8", "replace") if isinstance(data[0], tuple) else text(data)[0]
    out["fetch_smtp_meta"] = raw_env
    out["fetch_smtp_body"] = data[0][1].decode("utf-8", "replace") if isinstance(data[0], tuple) else ""
    typ, data = m.fetch("1", "(BODY[HEADER.FIELDS (SUBJECT)])")
    out["fetch_header_field"] = data[0][1].decode() if isinstance(data[0], tuple) else ""

    # APPEND every MIME fixture (literal), then read back BODY[] and BODYSTRUCTURE.
    typ, data = m.create("Fixtures")
    out["create_fixtures"] = typ
    names = sorted(n for n in os.listdir(fixtures) if n.startswith("msg_"))
    appended, mismatched, sizes_wrong = 0, [], []
    for n in names:
        raw = open(os.path.join(fixtures, n), "rb").read()
        typ, data = m.append("Fixtures", r"(\Seen)", imaplib.Time2Internaldate(time.time()), raw)
        if typ == "OK":
            appended += 1
        else:
            mismatched.append(n + ": append " + typ + " " + str(text(data)))
    out["appended"] = appended
    out["append_uid_code"] = text(data)[0] if data else ""
    typ, data = m.select("Fixtures")
    exists = int(data[0])
    out["fixtures_exists"] = exists
    for i, n in enumerate(names, start=1):
        raw = crlf(open(os.path.join(fixtures, n), "rb").read())
        typ, data = m.fetch(str(i), "(RFC822.SIZE BODY.PEEK[])")
        if typ != "OK" or not isinstance(data[0], tuple):
            mismatched.append(n + ": fetch " + typ)
            continue
        if data[0][1] != raw:
            mismatched.append(n)
        size = re.search(rb"RFC822\.SIZE (\d+)", data[0][0])
        if not size or int(size.group(1)) != len(raw):
            sizes_wrong.append(n)
    out["body_mismatches"] = mismatched
    out["size_mismatches"] = sizes_wrong
    typ, data = m.fetch("1:*", "(BODYSTRUCTURE ENVELOPE)")
    out["bodystructure_ok"] = typ
    out["bodystructure_count"] = len([d for d in data if d and d != b")"])
    typ, data = m.fetch("2", "(BODYSTRUCTURE)")
    out["bodystructure_msg02"] = text([d[0] if isinstance(d, tuple) else d for d in data])
    typ, data = m.fetch("2", "(BODY.PEEK[2.MIME] BODY.PEEK[1]<0.20>)")
    out["section_fetch"] = [typ, [text([x for x in d]) if isinstance(d, tuple) else text([d]) for d in data]]

    # STORE, SEARCH, UID commands.
    out["store"] = status_of(m, "store", "1:3", "+FLAGS", r"(\Flagged $Work)")
    out["store_minus"] = status_of(m, "store", "2", "-FLAGS.SILENT", r"(\Flagged)")
    out["search_flagged"] = status_of(m, "search", None, "FLAGGED")
    out["search_keyword"] = status_of(m, "search", None, "KEYWORD", "$Work")
    out["search_subject"] = status_of(m, "search", None, "SUBJECT", "digest")
    out["search_unseen"] = status_of(m, "search", None, "UNSEEN")
    typ, data = m.uid("SEARCH", None, "ALL")
    uids = [int(x) for x in data[0].split()]
    out["uid_search_all"] = len(uids)
    out["uid_fetch"] = status_of(m, "uid", "FETCH", "%d" % uids[-1], "(FLAGS)")
    out["uid_store"] = status_of(m, "uid", "STORE", "%d" % uids[-1], "+FLAGS", r"(\Answered)")

    # COPY, MOVE, EXPUNGE.
    out["copy"] = status_of(m, "copy", "1:2", "Archive")
    out["uid_copy"] = status_of(m, "uid", "COPY", "%d" % uids[2], "Archive")
    out["move"] = status_of(m, "_simple_command", "MOVE", "4:5", "Trash")
    out["move_untagged"] = text(m.untagged_responses.pop("EXPUNGE", []))
    m.untagged_responses.pop("OK", None)
    out["store_deleted"] = status_of(m, "store", "1", "+FLAGS.SILENT", r"(\Deleted)")
    out["expunge"] = status_of(m, "expunge")
    typ, data = m.select("Fixtures", readonly=True)
    out["exists_after"] = int(data[0])
    out["status_archive"] = status_of(m, "status", "Archive", "(MESSAGES UIDNEXT UNSEEN)")
    out["status_trash"] = status_of(m, "status", "Trash", "(MESSAGES)")
    out["copy_to_missing"] = status_of(m, "copy", "1", "Nowhere")

    # CREATE / RENAME / DELETE, hierarchy, non-ASCII names.
    out["create_nested"] = status_of(m, "create", "Projects/2026")
    out["rename"] = status_of(m, "rename", "Projects", "Work")
    out["create_utf7"] = status_of(m, "create", "&AMk-t&AOk-")  # "Été"
    out["list_after_rename"] = status_of(m, "list", '""', "*")
    out["delete"] = status_of(m, "delete", "Work/2026")
    out["delete_inbox"] = status_of(m, "delete", "INBOX")
    out["list_final"] = status_of(m, "list", '""', "*")

    # Names that try to leave the Maildir.
    escapes = {}
    for name in ["../escape", "..", "/abs", "a/../../b", "a//b", "Fixtures/..", ".hidden", "x/./y"]:
        escapes["create " + name] = status_of(m, "create", '"' + name + '"')
        escapes["select " + name] = status_of(m, "select", '"' + name + '"')
    escapes["rename to ../x"] = status_of(m, "rename", "Archive", '"../x"')
    out["escapes"] = escapes
    out["logout"] = m.logout()[0]

elif scenario == "plaintext":
    # args: source_address user password — LOGIN without TLS from another address.
    source, user, password = args[0], args[1], args[2]
    m = connect(source)
    out["caps"] = list(m.capabilities)
    try:
        typ, data = m.login(user, password)
        out["login"] = [typ, text(data)]
    except m.error as e:
        out["login"] = ["NO", str(e)]
    try:
        typ, data = m.authenticate("PLAIN", lambda _: ("\0" + user + "\0" + password).encode())
        out["authenticate"] = [typ, text(data)]
    except m.error as e:
        out["authenticate"] = ["NO", str(e)]
    # After STARTTLS the same login works.
    if "STARTTLS" in m.capabilities and out["login"][0] != "OK":
        m.starttls(ssl_context=tls_context())
        out["caps_tls"] = list(m.capabilities)
        try:
            out["login_tls"] = list(m.login(user, password))[0]
        except m.error as e:
            out["login_tls"] = str(e)
    m.logout()

elif scenario == "subscriptions":
    # args: user password — a subscribed mailbox that is deleted stays subscribed (RFC 3501 §6.3.6),
    # LSUB still lists it, plain LIST does not, LIST (SUBSCRIBED) marks it \NonExistent.
    user, password = args[0], args[1]
    m = connect()
    m.login(user, password)
    m.create("Gone")
    m.subscribe("Gone")
    m.delete("Gone")
    out["lsub"] = text(m.lsub('""', "*")[1])
    out["list"] = text(m.list('""', "*")[1])
    out["list_subscribed"] = text(m._simple_command("LIST", "(SUBSCRIBED)", '""', "*") and m._untagged_response("OK", [None], "LIST")[1])
    out["select"] = status_of(m, "select", "Gone")
    m.unsubscribe("Gone")
    out["lsub_after"] = text(m.lsub('""', "*")[1])
    m.logout()

elif scenario == "wrongpass":
    # args: source_address user attempts — distinct wrong passwords over STARTTLS, a few per
    # connection, until the server says BYE at the greeting.
    source, user, attempts = args[0], args[1], int(args[2])
    results, greeting_after = [], None
    i = 0
    while i < attempts:
        try:
            m = connect(source)
        except Exception as e:
            results.append("CONNECT " + str(e))
            break
        m.starttls(ssl_context=tls_context())
        for _ in range(2):
            if i >= attempts:
                break
            try:
                m.login(user, "wrong-%d" % i)
                results.append("OK")
            except m.error as e:
                results.append(str(e))
            i += 1
        try:
            m.logout()
        except Exception:
            pass
    time.sleep(0.2)
    s = socket.create_connection((host, port), 10, source_address=(source, 0))
    greeting_after = s.makefile("rb").readline().decode("utf-8", "replace").strip()
    s.close()
    out["results"] = results
    out["greeting_after"] = greeting_after

elif scenario == "idle":
    # args: smtp_port user password — imapclient in IDLE; a message arrives over SMTP.
    from imapclient import IMAPClient
    smtp_port, user, password = int(args[0]), args[1], args[2]
    c = IMAPClient(host, port=port, ssl=False, timeout=15)
    c.starttls(tls_context())
    c.login(user, password)
    out["idle_capable"] = c.has_capability("IDLE")
    sel = c.select_folder("INBOX")
    out["exists_before"] = sel[b"EXISTS"]
    c.idle()
    time.sleep(0.3)
    sent = time.monotonic()
    threading.Thread(target=deliver, args=(smtp_port, user, "while idling")).start()
    responses, latency = [], None
    deadline = sent + 10
    while time.monotonic() < deadline and latency is None:
        for r in c.idle_check(timeout=0.5):
            responses.append(repr(r))
            if len(r) >= 2 and r[1] == b"EXISTS":
                latency = time.monotonic() - sent
    done = c.idle_done()
    out["idle_done"] = repr(done[0])
    out["responses"] = responses
    out["latency"] = latency
    msgs = c.search(["SUBJECT", "while idling"])
    out["found"] = len(msgs)
    fetched = c.fetch(msgs, ["ENVELOPE"])
    out["subject"] = [f[b"ENVELOPE"].subject.decode() for f in fetched.values()]
    # A second session changes flags; the first hears of it in IDLE.
    c.idle()
    other = IMAPClient(host, port=port, ssl=False, timeout=15)
    other.starttls(tls_context())
    other.login(user, password)
    other.select_folder("INBOX")
    other.add_flags(msgs, [b"\\Flagged"])
    other.logout()
    flag_updates = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not flag_updates:
        for r in c.idle_check(timeout=0.5):
            if len(r) >= 2 and r[1] == b"FETCH":
                flag_updates.append(repr(r))
    c.idle_done()
    out["flag_updates"] = flag_updates
    c.logout()

elif scenario == "imaps":
    # args: user password — implicit TLS (port 993 style) with imaplib.IMAP4_SSL.
    user, password = args[0], args[1]
    m = imaplib.IMAP4_SSL(host, port, ssl_context=tls_context(), timeout=15)
    out["caps"] = list(m.capabilities)
    out["tls_version"] = m.sock.version()
    out["login"] = m.login(user, password)[0]
    out["append"] = m.append("INBOX", None, None, b"Subject: over imaps\r\n\r\nbody\r\n")[0]
    typ, data = m.select("INBOX")
    out["exists"] = int(data[0])
    typ, data = m.fetch(data[0].decode(), "(BODY[HEADER.FIELDS (SUBJECT)])")
    out["subject"] = data[0][1].decode().strip()
    # A 3 MB message: a streamed literal, read back whole.
    big = b"Subject: big\r\n\r\n" + (b"x" * 998 + b"\r\n") * 3000
    out["big_append"] = m.append("INBOX", None, None, big)[0]
    typ, data = m.fetch("2", "(RFC822.SIZE BODY.PEEK[])")
    out["big_size"] = int(re.search(rb"RFC822\.SIZE (\d+)", data[0][0]).group(1))
    out["big_same"] = data[0][1] == big
    out["big_len"] = len(big)
    m.logout()

elif scenario == "bigappend":
    # args: user password server_pid megabytes — a streamed APPEND of a large message while the
    # server's resident memory is sampled, then one cut off mid-literal, then the read-back.
    user, password, pid, mb = args[0], args[1], int(args[2]), int(args[3])

    def rss_kib(field):
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    line = b"".join(bytes([33 + (i * 7) % 90]) for i in range(76)) + b"\r\n"
    big = b"Subject: very big\r\nFrom: a@example.test\r\n\r\n" + line * (mb * 1024 * 1024 // len(line))
    m = connect()
    m.login(user, password)
    m.select("INBOX")
    time.sleep(0.3)
    out["rss_before"] = rss_kib("VmRSS")
    out["hwm_before"] = rss_kib("VmHWM")
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_kib("VmRSS"))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    typ, data = m.append("INBOX", None, None, big)
    done.set()
    sampler.join()
    out["append"] = [typ, text(data)]
    out["rss_peak"] = peak[0]
    out["hwm_after"] = rss_kib("VmHWM")
    out["len"] = len(big)

    # Cut off mid-literal: half the octets, then the connection is dropped.
    s = socket.create_connection((host, port), timeout=15)
    f = s.makefile("rb")
    f.readline()
    s.sendall(b"l LOGIN " + user.encode() + b" " + password.encode() + b"\r\n")
    while not f.readline().startswith(b"l "):
        pass
    s.sendall(b"a APPEND INBOX {%d}\r\n" % len(big))
    out["continuation"] = f.readline().decode().strip()
    s.sendall(big[: len(big) // 2])
    time.sleep(0.5)
    s.close()

    # The first message, byte for byte.
    uid = re.search(r"APPENDUID \d+ (\d+)", out["append"][1][0]).group(1)
    typ, data = m.uid("FETCH", uid, "(RFC822.SIZE BODY.PEEK[])")
    out["size"] = int(re.search(rb"RFC822\.SIZE (\d+)", data[0][0]).group(1))
    out["same"] = data[0][1] == big
    typ, data = m.select("INBOX")
    out["exists"] = int(data[0])
    m.logout()

elif scenario == "garbage":
    # Lines the server cannot parse, until it hangs up; with a source address, then a new
    # connection from there (the guard should have banned it).
    source = args[0] if args else None
    s = socket.create_connection((host, port), 10, source_address=(source, 0) if source else None)
    f = s.makefile("rb")
    greeting = f.readline().decode().strip()
    lines = []
    try:
        for i in range(100):
            s.sendall(b"x%d FROBNICATE\r\n" % i)
            line = f.readline()
            if not line:
                break
            lines.append(line.decode("utf-8", "replace").strip())
            if line.startswith(b"* BYE"):
                break
    except OSError as e:
        lines.append("ERROR " + str(e))
    out["greeting"] = greeting
    out["lines"] = lines
    if source:
        time.sleep(0.2)
        try:
            again = socket.create_connection((host, port), 10, source_address=(source, 0))
            out["again"] = again.makefile("rb").readline().decode().strip()
        except OSError as e:
            out["again"] = "ERROR " + str(e)

elif scenario == "injection":
    # STARTTLS with a command pipelined behind it in the same packet (RFC 3501 §6.2.1).
    s = socket.create_connection((host, port), 10)
    f = s.makefile("rb")
    f.readline()
    s.sendall(b"a STARTTLS\r\nb LOGIN injected secret\r\n")
    out["starttls"] = f.readline().decode().strip()
    t = tls_context().wrap_socket(s, server_hostname="mx.example.test")
    t.sendall(b"c NOOP\r\n")
    tf = t.makefile("rb")
    out["after"] = tf.readline().decode().strip()
    t.close()

print(json.dumps(out))
