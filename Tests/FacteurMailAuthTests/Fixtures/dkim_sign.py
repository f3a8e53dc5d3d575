#!/usr/bin/env python3
"""Signs a message with dkimpy (an independent DKIM implementation, PyPI `dkimpy`) for the
Swift DKIM tests. Usage: dkim_sign.py KEYFILE SELECTOR DOMAIN ALGORITHM HEADER/BODY LENGTH
(ALGORITHM rsa-sha256 / ed25519-sha256 / rsa-sha1; LENGTH "1" adds l=). The message is read
from stdin; the DKIM-Signature field and the message are written to stdout."""
import sys
import dkim

key_file, selector, domain, algorithm, canon, length = sys.argv[1:7]
message = sys.stdin.buffer.read()
key = open(key_file, 'rb').read()
header, body = canon.split('/')
signature = dkim.sign(message, selector.encode(), domain.encode(), key,
                      canonicalize=(header.encode(), body.encode()),
                      signature_algorithm=algorithm.encode(), length=(length == '1'),
                      include_headers=[b'from', b'to', b'subject', b'date'])
sys.stdout.buffer.write(signature + message)
