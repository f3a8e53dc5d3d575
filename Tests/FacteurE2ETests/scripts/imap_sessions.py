#!/usr/bin/env python3
"""Several real imaplib connections on one mailbox of a Facteur server (issue #11).
Usage: imap_sessions.py SCENARIO HOST IMAP_PORT USER PASSWORD; prints one JSON object on its last
line; exits 0 unless the script itself crashed (assertions are made by the Swift test)."""
import imaplib, json, re, sys

scenario, host, port, user, password = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
out = {}


def session(select=None, readonly=False):
    m = imaplib.IMAP4(host, port, timeout=15)
    m.login(user, password)
    if select:
        typ, _ = m.select(select, readonly=readonly)
        assert typ == "OK", typ
    return m


def text(data):
    return [d.decode("utf-8", "replace") if isinstance(d, bytes) else repr(d) for d in (data or []) if d is not None]


def append(m, n, mailbox="INBOX"):
    for i in range(n):
        msg = "From: Bob <bob@example.test>\r\nTo: %s\r\nSubject: message %d\r\n\r\nBody %d\r\n" % (user, i + 1, i + 1)
        typ, _ = m.append(mailbox, None, None, msg.encode())
        assert typ == "OK", typ


def uids(m):
    m.noop()  # a UID SEARCH answers from the session's view, then announces changes: look first
    typ, data = m.uid("SEARCH", None, "ALL")
    return [int(x) for x in data[0].split()] if typ == "OK" and data and data[0] else []


def untagged(m, name):
    """Untagged responses of one kind received since the last call (imaplib keeps them)."""
    return text(m.untagged_responses.pop(name, []))


if scenario == "expunge":
    # A marks \Deleted, B clears it and marks another: A's EXPUNGE removes what is \Deleted now.
    a = session()
    append(a, 3)
    a.select("INBOX")
    b = session("INBOX")
    a.store("1", "+FLAGS.SILENT", "(\\Deleted)")
    b.store("1", "-FLAGS.SILENT", "(\\Deleted)")
    b.store("2", "+FLAGS.SILENT", "(\\Deleted)")
    a.untagged_responses.clear()
    typ, data = a.expunge()
    out["expunge"] = [typ, text(data)]
    out["a_fetch_after_expunge"] = untagged(a, "FETCH")
    out["a_uids"] = uids(a)
    b.noop()
    out["b_expunged"] = untagged(b, "EXPUNGE")
    out["b_uids"] = uids(b)
    c = session("INBOX")
    out["c_exists"] = untagged(c, "EXISTS")
    out["c_uids"] = uids(c)
    # CLOSE the same way: A marks 1 and 3, B clears 1; A's CLOSE removes only 3.
    a.store("1,2", "+FLAGS.SILENT", "(\\Deleted)")
    b.store("1", "-FLAGS.SILENT", "(\\Deleted)")
    out["close"] = a.close()[0]
    out["after_close_uids"] = uids(c)
    # UID EXPUNGE: two more messages; C marks all, B clears UID 1; C's UID EXPUNGE 1:* removes 4, 5.
    append(c, 2)
    c.noop()
    c.store("1:*", "+FLAGS.SILENT", "(\\Deleted)")
    b.uid("STORE", "1", "-FLAGS.SILENT", "(\\Deleted)")
    typ, data = c.uid("EXPUNGE", "1:*")
    out["uid_expunge"] = [typ, text(data)]
    out["after_uid_expunge_uids"] = uids(b)
    for m in (a, b, c):
        m.logout()

elif scenario == "keywords":
    # A new keyword is announced (FLAGS, PERMANENTFLAGS) to the session that sets it and to
    # the others before a FETCH shows it; it is stored in the Maildir as Dovecot does.
    a = session()
    append(a, 2)
    a.select("INBOX")
    b = session("INBOX")
    untagged(b, "FLAGS")
    a.untagged_responses.clear()
    typ, data = a.store("1", "+FLAGS", "($Label1 Important)")
    out["store"] = [typ, text(data)]
    out["a_flags"] = untagged(a, "FLAGS")
    out["a_permanentflags"] = untagged(a, "PERMANENTFLAGS")
    b.noop()
    out["b_flags"] = untagged(b, "FLAGS")
    out["b_permanentflags"] = untagged(b, "PERMANENTFLAGS")
    out["b_fetch"] = untagged(b, "FETCH")
    typ, data = b.store("2", "+FLAGS", "(important)")
    out["b_store_again"] = untagged(b, "FLAGS")
    typ, data = b.uid("SEARCH", None, "KEYWORD", "Important")
    out["search_keyword"] = text(data)
    for m in (a, b):
        m.logout()

elif scenario == "recent":
    # EXAMINE shows \Recent without taking it; the first SELECT then gets it.
    a = session()
    append(a, 2)
    e = session()
    typ, data = e.select("INBOX", readonly=True)
    out["examine_recent"] = untagged(e, "RECENT")
    typ, data = e.fetch("1:*", "(FLAGS)")
    out["examine_flags"] = text(data)
    s = session()
    s.select("INBOX")
    out["select_recent"] = untagged(s, "RECENT")
    e2 = session()
    e2.select("INBOX", readonly=True)
    out["examine_after_select"] = untagged(e2, "RECENT")
    for m in (a, e, s, e2):
        m.logout()

elif scenario == "copy":
    # COPY / MOVE into the selected mailbox: EXISTS in the same response; the other session
    # sees the same messages.
    a = session()
    append(a, 2)
    a.select("INBOX")
    b = session("INBOX")
    a.untagged_responses.clear()
    typ, data = a.copy("1", "INBOX")
    out["copy"] = [typ, text(data)]
    out["copy_exists"] = untagged(a, "EXISTS")
    typ, data = a.uid("MOVE", "2", "INBOX")
    out["move"] = typ
    out["move_exists"] = untagged(a, "EXISTS")
    out["a_uids"] = uids(a)
    b.noop()
    out["b_uids"] = uids(b)
    for m in (a, b):
        m.logout()

elif scenario == "fetchflags":
    # Flags of every message as a new session sees them (after another program changed them).
    m = session("INBOX")
    typ, data = m.fetch("1:*", "(UID FLAGS)")
    out["flags"] = text(data)
    m.logout()

elif scenario == "lsub":
    m = session()
    m.create("parent/child/grandchild")
    m.subscribe("parent/child/grandchild")
    typ, data = m.lsub('""', "parent/%")
    out["lsub_children"] = text(data)
    typ, data = m.lsub('""', "%")
    out["lsub_top"] = text(data)
    m.logout()

print(json.dumps(out))
