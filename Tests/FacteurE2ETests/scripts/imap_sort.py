#!/usr/bin/env python3
"""SORT, THREAD, ESEARCH and SEARCHRES against a real Facteur server: imapclient (PyPI) for
SORT and THREAD, imaplib for ESEARCH and the saved result `$`.
Usage: imap_sort.py SCENARIO HOST IMAP_PORT SMTP_PORT USER PASSWORD; prints one JSON object on
its last line; exits 0 unless the script itself crashed (the Swift test makes the assertions)."""
import imaplib, json, smtplib, ssl, sys

scenario, host, port, smtp_port, user, password = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
out = {}


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def message(sender, subject, date, msgid, refs=""):
    head = "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\n" % (sender, user, subject, date, msgid)
    if refs:
        head += "References: %s\r\n" % refs
    return (head + "\r\nbody of " + msgid + "\r\n").encode()


# 1..4 appended over IMAP, 5 delivered over SMTP (its keys are filled when SORT first needs them).
APPENDED = [
    ("Carol <carol@x.test>", "Plans", "Wed, 3 Jan 2024 10:00:00 +0000", "p@x"),
    ("bob@x.test", "Re: Plans", "Mon, 1 Jan 2024 10:00:00 +0000", "r@x", "<p@x>"),
    ("Dave <dave@x.test>", "lunch", "Tue, 2 Jan 2024 10:00:00 +0000", "l@x"),
    ("=?utf-8?q?=C3=89mile?= <emile@x.test>", "=?utf-8?q?Re=3A_=5Bteam=5D_Plans?=", "Thu, 4 Jan 2024 10:00:00 +0000", "t@x", "<p@x> <r@x>"),
]


def setup():
    m = imaplib.IMAP4(host, port, timeout=15)
    m.starttls(ssl_context=tls_context())
    m.login(user, password)
    m.create("Sorting")
    for entry in APPENDED:
        m.append("Sorting", None, None, message(*entry))
    m.logout()
    s = smtplib.SMTP(host, smtp_port, timeout=10)
    s.sendmail("ann@remote.test", [user], message("Ann <ann@remote.test>", "Fwd: lunch", "Fri, 5 Jan 2024 10:00:00 +0000", "s@x", "<l@x>"))
    s.quit()


if scenario == "sort":
    from imapclient import IMAPClient
    setup()
    c = IMAPClient(host, port=port, ssl=False, timeout=15)
    c.starttls(tls_context())
    c.login(user, password)
    caps = c.capabilities()
    out["caps"] = [x.decode() for x in caps]
    # Move the SMTP delivery next to the appended messages.
    c.select_folder("INBOX")
    c.move(c.search(["SUBJECT", "lunch"]), "Sorting")
    c.select_folder("Sorting")
    out["sort_date"] = c.sort(["DATE"])
    out["sort_reverse_arrival"] = c.sort(["REVERSE ARRIVAL"])
    out["sort_subject"] = c.sort(["SUBJECT", "DATE"])
    out["sort_from"] = c.sort(["FROM"])
    out["sort_displayfrom"] = c.sort(["DISPLAYFROM"])
    out["sort_unseen_size"] = c.sort(["SIZE"], ["SUBJECT", "Plans"])
    out["thread_references"] = repr(c.thread("REFERENCES"))
    out["thread_orderedsubject"] = repr(c.thread("ORDEREDSUBJECT"))
    c.logout()

elif scenario == "searchres":
    setup()
    m = imaplib.IMAP4(host, port, timeout=15)
    m.starttls(ssl_context=tls_context())
    m.login(user, password)
    m.select("Sorting")
    typ, _ = m._simple_command("SEARCH", "RETURN", "(MIN MAX COUNT ALL)", "SUBJECT", "Plans")
    out["esearch"] = [typ, [x.decode() for x in m.untagged_responses.pop("ESEARCH", [])]]
    typ, _ = m._simple_command("UID", "SEARCH", "RETURN", "()", "ALL")
    out["uid_esearch"] = [typ, [x.decode() for x in m.untagged_responses.pop("ESEARCH", [])]]
    typ, _ = m._simple_command("SEARCH", "RETURN", "(SAVE)", "FROM", "dave")
    out["save"] = [typ, "ESEARCH" in m.untagged_responses]
    typ, data = m.fetch("$", "(UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    out["fetch_saved"] = [typ, [x[1].decode().strip() for x in data if isinstance(x, tuple)]]
    typ, data = m.uid("STORE", "$", "+FLAGS", "(\\Flagged)")
    out["store_saved"] = [typ, [x.decode() for x in data if x]]
    typ, data = m.search(None, "FLAGGED")
    out["flagged"] = [typ, data[0].decode()]
    typ, data = m.copy("$", "INBOX")
    out["copy_saved"] = typ
    typ, data = m.select("Sorting")
    typ, data = m.search(None, "$")
    out["after_reselect"] = [typ, data[0].decode()]
    m.logout()

print(json.dumps(out))
