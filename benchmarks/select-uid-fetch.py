#!/usr/bin/env python3
"""Times SELECT INBOX and UID FETCH 1:* (FLAGS) over a raw IMAP socket: sends the command and reads
to the tagged OK, without parsing the untagged lines (so the client costs next to nothing).

    benchmarks/select-uid-fetch.py [--port 1243] [--user big@example.test] [--password pass] [--rounds 4]

To fill the mailbox first: benchmarks/fill-maildir.py /tmp/fbench/data/mail/example.test/big 100000
"""
import argparse, socket, time

def command(sock, reader, tag, text):
    start = time.perf_counter()
    sock.sendall(f"{tag} {text}\r\n".encode())
    while True:
        line = reader.readline()
        if not line:
            raise SystemExit(f"connection closed during {text}")
        if line.startswith(f"{tag} ".encode()):
            if not line.startswith(f"{tag} OK".encode()):
                raise SystemExit(f"{text}: {line!r}")
            return (time.perf_counter() - start) * 1000

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1243)
    parser.add_argument("--user", default="big@example.test")
    parser.add_argument("--password", default="pass")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    sock = socket.create_connection((args.host, args.port))
    reader = sock.makefile("rb")
    reader.readline()
    command(sock, reader, "a", f'LOGIN "{args.user}" "{args.password}"')
    for n in range(args.rounds):
        select = command(sock, reader, f"s{n}", "SELECT INBOX")
        fetch = command(sock, reader, f"f{n}", "UID FETCH 1:* (FLAGS)")
        print(f"round {n + 1}: SELECT {select:.1f} ms, UID FETCH 1:* (FLAGS) {fetch:.1f} ms")
    command(sock, reader, "z", "LOGOUT")

main()
