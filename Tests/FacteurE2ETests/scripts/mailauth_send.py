#!/usr/bin/env python3
"""Sends one message to a real Facteur server with smtplib from a chosen loopback address,
optionally DKIM-signed by dkimpy first (an independent signer).
Usage: mailauth_send.py HOST PORT SOURCE HELO MAILFROM RCPT MESSAGE [KEYFILE SELECTOR DOMAIN ALGORITHM]
Prints one JSON object: {"code": int, "reply": str}."""
import json, smtplib, sys

host, port, source, helo, mail_from, rcpt, message = sys.argv[1:8]
data = message.replace("\\r\\n", "\r\n").encode()
if len(sys.argv) > 8:
    import dkim
    key_file, selector, domain, algorithm = sys.argv[8:12]
    signature = dkim.sign(data, selector.encode(), domain.encode(), open(key_file, "rb").read(),
                          canonicalize=(b"relaxed", b"relaxed"), signature_algorithm=algorithm.encode(),
                          include_headers=[b"from", b"to", b"subject"])
    data = signature.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") + data
s = smtplib.SMTP(host, int(port), local_hostname=helo, timeout=30, source_address=(source, 0))
s.ehlo(helo)
try:
    s.sendmail(mail_from, [rcpt], data)
    code, reply = 250, "accepted"
except smtplib.SMTPDataError as e:
    code, reply = e.smtp_code, e.smtp_error.decode()
except smtplib.SMTPRecipientsRefused as e:
    code, reply = list(e.recipients.values())[0][0], list(e.recipients.values())[0][1].decode()
s.quit()
print(json.dumps({"code": code, "reply": reply}))
