#!/usr/bin/env python3
"""BINARY (RFC 3516) and COMPRESS=DEFLATE (RFC 4978) against a real Facteur server, with Python's
imaplib (raw deflate through zlib, wbits=-15, as RFC 4978 requires).
Usage: imap_binary_compress.py SCENARIO HOST IMAP_PORT USER PASSWORD; prints one JSON object on
its last line; exits 0 unless the script itself crashed (the Swift test makes the assertions)."""
import base64, imaplib, json, random, socket, sys, zlib

scenario, host, port, user, password = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
out = {}
imaplib.Commands.setdefault("COMPRESS", ("AUTH", "SELECTED"))


class CountingIMAP4(imaplib.IMAP4):
    """imaplib that counts the octets on the wire and can switch to COMPRESS=DEFLATE."""

    def _create_socket(self, timeout):
        self.wire_in = 0
        self.wire_out = 0
        self.deflater = None
        return socket.create_connection((self.host, self.port), timeout)

    def start_compression(self, pipelined=b""):
        """COMPRESS DEFLATE; `pipelined` commands go in the same packet, already compressed."""
        tag = self._new_tag()
        deflater = zlib.compressobj(6, zlib.DEFLATED, -15)
        extra = deflater.compress(pipelined) + deflater.flush(zlib.Z_SYNC_FLUSH) if pipelined else b""
        self.sock.sendall(tag + b" COMPRESS DEFLATE\r\n" + extra)
        line = self.file.readline()
        if not line.startswith(tag + b" OK"):
            raise self.error("COMPRESS refused: %r" % line)
        self.deflater = deflater
        self.inflater = zlib.decompressobj(-15)
        self.pending = b""
        return line

    def send(self, data):
        if self.deflater is None:
            self.wire_out += len(data)
            return super().send(data)
        data = self.deflater.compress(data) + self.deflater.flush(zlib.Z_SYNC_FLUSH)
        self.wire_out += len(data)
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise self.abort("connection closed")
        self.wire_in += len(chunk)
        self.pending += self.inflater.decompress(chunk)

    def read(self, size):
        if self.deflater is None:
            data = super().read(size)
            self.wire_in += len(data)
            return data
        while len(self.pending) < size:
            self._fill()
        data, self.pending = self.pending[:size], self.pending[size:]
        return data

    def readline(self):
        if self.deflater is None:
            line = super().readline()
            self.wire_in += len(line)
            return line
        while b"\n" not in self.pending:
            self._fill()
        index = self.pending.index(b"\n") + 1
        line, self.pending = self.pending[:index], self.pending[index:]
        return line


def connect():
    m = CountingIMAP4(host, port, timeout=30)
    m.login(user, password)
    return m


WORDS = ("the invoice for march is attached please find the figures we discussed at the meeting "
         "regarding delivery schedule customer order shipment warehouse Monday Tuesday thanks "
         "regards best team project budget report review update client contract signed").split()


def typical_message(i, rng):
    lines = []
    for _ in range(rng.randint(20, 60)):
        lines.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 12))))
    body = "\r\n".join(lines)
    return ("From: Colleague %d <colleague%d@example.test>\r\nTo: %s\r\nSubject: Weekly report %d\r\n"
            "Date: Mon, 1 Jan 2024 10:%02d:00 +0000\r\nMessage-ID: <report-%d@example.test>\r\n"
            "Content-Type: text/plain; charset=us-ascii\r\n\r\n%s\r\n") % (i, i, user, i, i % 60, i, body)


def fetch_all(m):
    typ, data = m.fetch("1:*", "(BODY.PEEK[])")
    return [d[1] for d in data if isinstance(d, tuple)]


if scenario == "compress":
    rng = random.Random(16)
    m = connect()
    typ, caps = m.capability()
    out["capability"] = caps[0].decode()
    for i in range(100):
        m.append("INBOX", None, None, typical_message(i, rng).encode())
    m.select("INBOX")
    before = m.wire_in
    plain = fetch_all(m)
    out["plain_fetch_wire"] = m.wire_in - before
    m.logout()

    c = connect()
    # A NOOP pipelined behind COMPRESS in the same packet: it arrives compressed.
    c.start_compression(pipelined=c._new_tag() + b" NOOP\r\n")
    out["pipelined_noop"] = c.readline().decode().strip()
    c.select("INBOX")
    before = c.wire_in
    compressed = fetch_all(c)
    out["compressed_fetch_wire"] = c.wire_in - before
    out["same_messages"] = compressed == plain and len(plain) == 100
    out["fetch_octets"] = sum(len(b) for b in plain)
    # A large message over the compressed stream, both ways.
    big = ("Subject: big\r\n\r\n" + "".join("line %06d %s\r\n" % (n, rng.choice(WORDS)) for n in range(40000))).encode()
    typ, data = c.append("INBOX", None, None, big)
    out["big_append"] = typ
    typ, data = c.fetch("101", "(BODY.PEEK[])")
    out["big_roundtrip"] = isinstance(data[0], tuple) and data[0][1] == big
    try:
        typ, data = c._simple_command("COMPRESS", "DEFLATE")
        out["second"] = [typ, data[0].decode() if data and data[0] else ""]
    except c.error as e:
        out["second"] = ["ERROR", str(e)]
    typ, data = c.noop()
    out["after_second"] = typ
    c.logout()

elif scenario == "bomb":
    # Another client, logged in before, must not notice.
    other = connect()
    other.select("INBOX")
    m = connect()
    m.start_compression()
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    payload = deflater.compress(b"x NOOP\r\n" * (8 * 1024 * 1024)) + deflater.flush(zlib.Z_SYNC_FLUSH)
    out["bomb_wire"] = len(payload)
    sent = 0
    try:
        m.sock.sendall(payload)
        sent = len(payload)
    except OSError as e:
        out["send_error"] = str(e)
    received = b""
    m.sock.settimeout(30)
    try:
        while True:
            chunk = m.sock.recv(65536)
            if not chunk:
                break
            received += m.inflater.decompress(chunk)
    except (OSError, zlib.error) as e:
        out["recv_error"] = str(e)
    lines = received.split(b"\r\n")
    out["bye"] = [l.decode() for l in lines if l.startswith(b"* BYE")]
    out["noops_answered"] = sum(1 for l in lines if l.startswith(b"x OK"))
    out["closed"] = True
    typ, data = other.noop()
    out["other_noop"] = typ
    third = connect()
    out["third_login"] = "OK"
    third.logout()
    other.logout()

elif scenario == "binary":
    rng = random.Random(3516)
    attachment = bytes(rng.randrange(256) for _ in range(70000)) + b"\x00\x00end"
    encoded = base64.encodebytes(attachment).replace(b"\n", b"\r\n")
    message = (b"From: a@example.test\r\nSubject: binary\r\nMIME-Version: 1.0\r\n"
               b"Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n"
               b"see attachment\r\n--b1\r\nContent-Type: application/octet-stream\r\n"
               b"Content-Transfer-Encoding: base64\r\n\r\n" + encoded + b"--b1--\r\n")
    m = connect()
    out["capability"] = m.capability()[1][0].decode()
    m.append("INBOX", None, None, message)
    m.select("INBOX")
    typ, data = m.fetch("1", "(BINARY.SIZE[2] BINARY.PEEK[2])")
    out["fetch_status"] = typ
    out["size_line"] = data[0][0].decode(errors="replace") if isinstance(data[0], tuple) else repr(data)
    out["same_bytes"] = isinstance(data[0], tuple) and data[0][1] == attachment
    out["literal8"] = isinstance(data[0], tuple) and b"~{" in data[0][0]
    typ, data = m.fetch("1", "(BINARY.PEEK[2]<70000.100>)")
    out["partial_same"] = isinstance(data[0], tuple) and data[0][1] == attachment[70000:70100]
    typ, data = m.fetch("1", "(BINARY.PEEK[1])")
    out["text_part"] = data[0][1].decode() if isinstance(data[0], tuple) else repr(data)
    # APPEND with a literal8 (~{n+}) carrying a NUL; read back as BINARY.
    raw = b"From: b@example.test\r\nSubject: raw\r\nContent-Transfer-Encoding: binary\r\n\r\nA\x00B\r\n"
    m.send(b"R1 APPEND INBOX ~{%d+}\r\n" % len(raw) + raw + b"\r\n")
    reply = m.readline()
    while not reply.startswith(b"R1 "):
        reply = m.readline()
    out["append8"] = reply.decode().strip()
    m.noop()
    typ, data = m.fetch("2", "(BINARY.PEEK[1])")
    out["append8_binary"] = isinstance(data[0], tuple) and data[0][1] == b"A\x00B\r\n"
    typ, data = m.fetch("2", "(BODY.PEEK[])")
    out["append8_body_has_nul"] = any(isinstance(d, tuple) and b"\x00" in d[1] for d in data)
    # An unknown Content-Transfer-Encoding: NO [UNKNOWN-CTE].
    odd = b"From: c@example.test\r\nSubject: odd\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 x\r\n"
    m.append("INBOX", None, None, odd)
    m.noop()
    try:
        typ, data = m.fetch("3", "(BINARY.PEEK[1])")
        out["unknown_cte"] = [typ, repr(data)]
    except m.error as e:
        out["unknown_cte"] = ["NO", str(e)]
    m.logout()

elif scenario == "multiappend":
    m = connect()
    out["capability"] = m.capability()[1][0].decode()

    def count():
        typ, data = m.status("INBOX", "(MESSAGES)")
        return int(data[0].decode().split("MESSAGES ")[1].rstrip(")"))

    def raw_append(tag, messages):
        command = tag + b" APPEND INBOX"
        for flags, body in messages:
            command += b" " + flags + b"{%d+}\r\n" % len(body) + body
        m.send(command + b"\r\n")
        reply = m.readline()
        while not reply.startswith(tag + b" "):
            reply = m.readline()
        return reply.decode().strip()

    first = b"Subject: one\r\n\r\nfirst\r\n"
    second_bad = b"Subject: two\r\n\r\nNUL \x00 in a plain literal\r\n"
    third = b"Subject: three\r\n\r\nthird\r\n"
    out["before"] = count()
    out["bad_second"] = raw_append(b"M1", [(b"", first), (b"(\\Seen) ", second_bad), (b"", third)])
    out["after_bad"] = count()
    out["two"] = raw_append(b"M2", [(b"", first), (b"", third)])
    m.send(b"M3 APPEND Nowhere {%d+}\r\n" % len(first) + first + b" {%d+}\r\n" % len(third) + third + b"\r\n")
    reply = m.readline()
    while not reply.startswith(b"M3 "):
        reply = m.readline()
    out["nowhere"] = reply.decode().strip()
    out["after_nowhere"] = count()
    out["good"] = raw_append(b"M4", [(b"(\\Flagged) ", first), (b"", b"Subject: two\r\n\r\nsecond\r\n"), (b"", third)])
    out["after_good"] = count()
    m.select("INBOX")
    typ, data = m.fetch("1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    out["subjects"] = [d[1].decode().strip() for d in data if isinstance(d, tuple)]
    m.logout()

elif scenario == "liststatus":
    m = connect()
    out["capability"] = m.capability()[1][0].decode()
    m.create("Projects")
    m.append("INBOX", None, None, b"Subject: a\r\n\r\nx\r\n")
    m.append("INBOX", "(\\Seen)", None, b"Subject: b\r\n\r\ny\r\n")
    typ, data = m._simple_command("LIST", '""', "*", "RETURN", "(STATUS (MESSAGES UNSEEN))")
    out["list"] = typ
    out["lists"] = [d.decode() for d in m.untagged_responses.pop("LIST", [])]
    out["statuses"] = [d.decode() for d in m.untagged_responses.pop("STATUS", [])]
    out["create_junk"] = m._simple_command("CREATE", "Spam", "(USE (\\Junk))")[0]
    typ, data = m.list('""', "Spam")
    out["junk_list"] = [d.decode() for d in data if d]
    typ, data = m.status("INBOX", "(SIZE MESSAGES)")   # RFC 8438 STATUS=SIZE
    out["status_size"] = data[0].decode() if typ == "OK" else typ
    out["create_unknown"] = [x if isinstance(x, str) else [y.decode() for y in x] for x in m._simple_command("CREATE", "Odd", "(USE (\\Important))")]
    m.logout()

print(json.dumps(out))
