#!/usr/bin/env python3
"""A fake POP3 provider for the mail collection tests (RFC 1939, STLS RFC 2595).

Usage: collect_fake_pop3.py STATE_DIR USER PASSWORD [none|stls|implicit]
See collect_fake_common.py for the state directory. Faults ("mode" file):
  drop-retr N   RETR N sends half the message, then the connection is cut
  hang-retr N   RETR N sends half the message, then nothing more
  hang-dele     the first DELE gets no answer (the test kills the collector meanwhile)
  quit-err      QUIT answers -ERR and deletes nothing
  no-uidl       UIDL is refused"""
import sys
from collect_fake_common import State, serve, tls_context

state = State(sys.argv[1])
USER, PASSWORD = sys.argv[2].encode(), sys.argv[3].encode()
TLS = sys.argv[4] if len(sys.argv) > 4 else "none"
context = tls_context(state) if TLS != "none" else None


def stuffed(data):
    lines = data.split(b"\r\n")
    if lines and lines[-1] == b"":
        lines = lines[:-1]
    return b"".join((b"." + l if l.startswith(b".") else l) + b"\r\n" for l in lines)


def handle(conn):
    mode = state.mode()
    if TLS == "implicit":
        conn.start_tls(context)
    secure = TLS == "implicit"
    conn.send(b"+OK fake POP3 ready\r\n")
    user = None
    drop = None          # [(uid, bytes)] once logged in
    marked = set()
    while True:
        line = conn.line()
        if line is None:
            return       # no QUIT: nothing is deleted (RFC 1939 §6)
        words = line.split(b" ")
        cmd = words[0].upper().decode(errors="replace")
        args = words[1:]
        state.event("PASS ***" if cmd == "PASS" else line.decode(errors="replace"))
        if cmd == "CAPA":
            caps = [b"USER", b"UIDL", b"TOP"] + ([b"STLS"] if TLS == "stls" and not secure else [])
            conn.send(b"+OK\r\n" + b"".join(c + b"\r\n" for c in caps) + b".\r\n")
        elif cmd == "STLS" and TLS == "stls" and not secure and drop is None:
            conn.send(b"+OK begin TLS\r\n")
            conn.start_tls(context)
            secure = True
        elif cmd == "USER" and drop is None:
            user = args[0] if args else b""
            conn.send(b"+OK\r\n")
        elif cmd == "PASS" and drop is None and user is not None:
            if user == USER and b" ".join(args) == PASSWORD:
                drop = state.messages()
                conn.send(b"+OK %d messages\r\n" % len(drop))
            else:
                user = None
                conn.send(b"-ERR [AUTH] invalid user or password\r\n")
        elif drop is None:
            conn.send(b"-ERR log in first\r\n")
        elif cmd == "STAT":
            live = [m for i, m in enumerate(drop, 1) if i not in marked]
            conn.send(b"+OK %d %d\r\n" % (len(live), sum(len(m[1]) for m in live)))
        elif cmd == "LIST":
            body = b"".join(b"%d %d\r\n" % (i, len(m[1])) for i, m in enumerate(drop, 1) if i not in marked)
            conn.send(b"+OK\r\n" + body + b".\r\n")
        elif cmd == "UIDL":
            if "no-uidl" in mode:
                conn.send(b"-ERR UIDL not supported\r\n")
                continue
            body = b"".join(b"%d %s\r\n" % (i, m[0].encode()) for i, m in enumerate(drop, 1) if i not in marked)
            conn.send(b"+OK\r\n" + body + b".\r\n")
        elif cmd == "RETR":
            n = int(args[0]) if args and args[0].isdigit() else 0
            if not 1 <= n <= len(drop) or n in marked:
                conn.send(b"-ERR no such message\r\n")
                continue
            data = stuffed(drop[n - 1][1])
            if mode[:2] in (["drop-retr", str(n)], ["hang-retr", str(n)]):
                conn.send(b"+OK\r\n" + data[: len(data) // 2])
                if mode[0] == "drop-retr":
                    state.event("drop")
                    conn.drop()
                else:
                    state.event("hang")
                    conn.hang()
                return
            conn.send(b"+OK %d octets\r\n" % len(drop[n - 1][1]) + data + b".\r\n")
        elif cmd == "DELE":
            if "hang-dele" in mode:
                state.event("hang")
                conn.hang()
                return
            n = int(args[0]) if args and args[0].isdigit() else 0
            if not 1 <= n <= len(drop) or n in marked:
                conn.send(b"-ERR no such message\r\n")
                continue
            marked.add(n)
            conn.send(b"+OK marked\r\n")
        elif cmd == "NOOP":
            conn.send(b"+OK\r\n")
        elif cmd == "RSET":
            marked.clear()
            conn.send(b"+OK\r\n")
        elif cmd == "QUIT":
            if "quit-err" in mode:
                conn.send(b"-ERR some deleted messages not removed\r\n")
                return
            state.delete([drop[i - 1][0] for i in sorted(marked)])
            conn.send(b"+OK bye\r\n")
            return
        else:
            conn.send(b"-ERR unknown command\r\n")


serve(state, handle)
