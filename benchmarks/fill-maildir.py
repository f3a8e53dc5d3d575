#!/usr/bin/env python3
"""Writes N small messages into a Maildir's new/ (the server indexes them at the first SELECT).

    benchmarks/fill-maildir.py /tmp/fbench/data/mail/example.test/big 100000
"""
import os, sys, time

maildir, count = sys.argv[1], int(sys.argv[2])
for sub in ("tmp", "new", "cur"):
    os.makedirs(os.path.join(maildir, sub), exist_ok=True)
now = int(time.time())
for i in range(count):
    body = (f"From: sender{i % 97}@example.org\r\nTo: big@example.test\r\nSubject: message {i}\r\n"
            f"Date: Sun, 29 Nov 2026 06:21:24 +0000\r\nMessage-ID: <{i}@fill.example>\r\n\r\nbody {i}\r\n")
    with open(os.path.join(maildir, "new", f"{now}.F{i}.fill"), "w", newline="") as f:
        f.write(body)
print(f"{count} messages in {maildir}/new")
