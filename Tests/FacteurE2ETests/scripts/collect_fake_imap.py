#!/usr/bin/env python3
"""A fake IMAP provider for the mail collection tests (the subset of RFC 3501 a collector uses).

Usage: collect_fake_imap.py STATE_DIR USER PASSWORD [none|starttls|implicit]
See collect_fake_common.py for the state directory; maildrop file names are the UIDs.
UIDVALIDITY is the content of STATE_DIR/uidvalidity (default 42). Faults ("mode" file):
  drop-fetch U  UID FETCH U sends half the literal, then the connection is cut
  hang-fetch U  UID FETCH U sends half the literal, then nothing more
  hang-store    UID STORE gets no answer (the test kills the collector meanwhile)
  expunge-no    EXPUNGE answers NO and deletes nothing"""
import re, sys
from collect_fake_common import State, serve, tls_context

state = State(sys.argv[1])
USER, PASSWORD = sys.argv[2].encode(), sys.argv[3].encode()
TLS = sys.argv[4] if len(sys.argv) > 4 else "none"
context = tls_context(state) if TLS != "none" else None


def uidvalidity():
    try:
        with open(state.path("uidvalidity")) as f:
            return int(f.read().strip())
    except FileNotFoundError:
        return 42


def command(conn):
    """One command with its synchronizing literals inlined, or None at the end of the stream."""
    line = conn.line()
    if line is None:
        return None
    while True:
        m = re.search(rb"\{(\d+)\}$", line)
        if not m:
            return line
        conn.send(b"+ go ahead\r\n")
        data = conn.exact(int(m.group(1)))
        rest = conn.line()
        if data is None or rest is None:
            return None
        line = line[: m.start()] + b'"' + data + b'"' + rest


def astrings(text):
    out = []
    for quoted, atom in re.findall(rb'"((?:[^"\\]|\\.)*)"|(\S+)', text):
        out.append(re.sub(rb"\\(.)", rb"\1", quoted) if quoted or not atom else atom)
    return out


def uid_set(text, uids):
    out = set()
    for part in text.split(b","):
        if b":" in part:
            lo, hi = part.split(b":")
            lo = int(lo)
            hi = max(uids, default=0) if hi == b"*" else int(hi)
            out.update(u for u in uids if min(lo, hi) <= u <= max(lo, hi))
        else:
            out.add(int(part))
    return out


def handle(conn):
    mode = state.mode()
    if TLS == "implicit":
        conn.start_tls(context)
    secure = TLS == "implicit"
    conn.send(b"* OK [CAPABILITY IMAP4rev1] fake IMAP ready\r\n")
    logged_in = False
    box = None           # [(uid:int, bytes)] once selected
    deleted = set()
    while True:
        line = command(conn)
        if line is None:
            return
        parts = line.split(b" ", 2)
        tag = parts[0]
        cmd = parts[1].upper().decode(errors="replace") if len(parts) > 1 else ""
        rest = parts[2] if len(parts) > 2 else b""
        state.event(f"{cmd} ***" if cmd == "LOGIN" else line.decode(errors="replace"))
        if cmd == "CAPABILITY":
            caps = b"IMAP4rev1" + (b" STARTTLS" if TLS == "starttls" and not secure else b"")
            conn.send(b"* CAPABILITY " + caps + b"\r\n" + tag + b" OK done\r\n")
        elif cmd == "STARTTLS" and TLS == "starttls" and not secure and not logged_in:
            conn.send(tag + b" OK begin TLS\r\n")
            conn.start_tls(context)
            secure = True
        elif cmd == "LOGIN" and not logged_in:
            args = astrings(rest)
            if len(args) == 2 and args[0] == USER and args[1] == PASSWORD:
                logged_in = True
                conn.send(tag + b" OK logged in\r\n")
            else:
                conn.send(tag + b" NO [AUTHENTICATIONFAILED] invalid credentials\r\n")
        elif not logged_in:
            conn.send(tag + b" NO log in first\r\n")
        elif cmd == "SELECT":
            box = [(int(u), data) for u, data in state.messages(key=int)]
            nxt = max((u for u, _ in box), default=0) + 1
            conn.send(b"* %d EXISTS\r\n* 0 RECENT\r\n* FLAGS (\\Seen \\Deleted)\r\n" % len(box)
                      + b"* OK [UIDVALIDITY %d] ok\r\n* OK [UIDNEXT %d] ok\r\n" % (uidvalidity(), nxt)
                      + tag + b" OK [READ-WRITE] selected\r\n")
        elif box is None:
            conn.send(tag + b" BAD select a mailbox first\r\n")
        elif cmd == "UID":
            sub = rest.split(b" ", 2)
            what = sub[0].upper()
            uids = [u for u, _ in box]
            if what == b"SEARCH":
                conn.send(b"* SEARCH" + b"".join(b" %d" % u for u in uids) + b"\r\n" + tag + b" OK search done\r\n")
            elif what == b"FETCH":
                for uid in sorted(uid_set(sub[1], uids)):
                    if uid not in uids:
                        continue
                    seq = uids.index(uid) + 1
                    data = box[seq - 1][1]
                    head = b'* %d FETCH (UID %d INTERNALDATE "29-Nov-2026 07:00:00 +0000" BODY[] {%d}\r\n' % (seq, uid, len(data))
                    if mode[:2] in (["drop-fetch", str(uid)], ["hang-fetch", str(uid)]):
                        conn.send(head + data[: len(data) // 2])
                        if mode[0] == "drop-fetch":
                            state.event("drop")
                            conn.drop()
                        else:
                            state.event("hang")
                            conn.hang()
                        return
                    conn.send(head + data + b")\r\n")
                conn.send(tag + b" OK fetch done\r\n")
            elif what == b"STORE":
                if "hang-store" in mode:
                    state.event("hang")
                    conn.hang()
                    return
                if b"\\DELETED" in sub[2].upper():
                    deleted |= uid_set(sub[1], uids)
                conn.send(tag + b" OK store done\r\n")
            else:
                conn.send(tag + b" BAD unknown UID command\r\n")
        elif cmd == "EXPUNGE":
            if "expunge-no" in mode:
                conn.send(tag + b" NO expunge failed\r\n")
                continue
            gone = [u for u, _ in box if u in deleted]
            for uid in sorted(gone, key=lambda u: -[x for x, _ in box].index(u)):
                conn.send(b"* %d EXPUNGE\r\n" % ([x for x, _ in box].index(uid) + 1))
            state.delete([str(u) for u in gone])
            box = [m for m in box if m[0] not in deleted]
            deleted = set()
            conn.send(tag + b" OK expunged\r\n")
        elif cmd == "NOOP":
            conn.send(tag + b" OK\r\n")
        elif cmd == "LOGOUT":
            conn.send(b"* BYE see you\r\n" + tag + b" OK logged out\r\n")
            return
        else:
            conn.send(tag + b" BAD unknown command\r\n")


serve(state, handle)
