#!/usr/bin/env python3
"""CONDSTORE / QRESYNC (RFC 7162) against a Facteur server with real clients (issue #16).
Usage: imap_condstore.py SCENARIO HOST IMAP_PORT USER PASSWORD; prints one JSON object on its last
line; exits 0 unless the script itself crashed (assertions are made by the Swift test).

  condstore  imapclient: ENABLE CONDSTORE, SELECT's HIGHESTMODSEQ, FETCH MODSEQ, FETCH (CHANGEDSINCE),
             STORE (UNCHANGEDSINCE) with [MODIFIED], SEARCH MODSEQ, STATUS HIGHESTMODSEQ.
  qresync    raw imaplib: a client selects with QRESYNC, goes away; another session changes flags,
             expunges and appends; the client comes back with SELECT (QRESYNC (…)).
  modseq     prints INBOX's UIDVALIDITY and HIGHESTMODSEQ (for the index-rebuild test).
"""
import imaplib, json, re, sys

scenario, host, port, user, password = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
out = {}


def text(data):
    return [d.decode("utf-8", "replace") if isinstance(d, bytes) else repr(d) for d in (data or []) if d is not None]


def message(i):
    return ("From: Bob <bob@example.test>\r\nTo: %s\r\nSubject: message %d\r\n\r\nBody %d\r\n" % (user, i, i)).encode()


def raw_session():
    m = imaplib.IMAP4(host, port, timeout=15)
    m.login(user, password)
    return m


def command(m, *words):
    """A command imaplib does not know the arguments of: (status, tagged text, untagged by type)."""
    m.untagged_responses.clear()
    typ, data = m._simple_command(*words)
    untagged = {k: text(v) for k, v in m.untagged_responses.items()}
    m.untagged_responses.clear()
    return typ, text(data), untagged


def number(pattern, lines):
    for line in lines:
        found = re.search(pattern, line)
        if found:
            return int(found.group(1))
    return None


if scenario == "condstore":
    from imapclient import IMAPClient
    c = IMAPClient(host, port=port, ssl=False, timeout=15)
    c.login(user, password)
    for i in range(1, 4):
        c.append("INBOX", message(i))
    out["capabilities"] = [x.decode() for x in c.capabilities()]
    out["enabled"] = [x.decode() for x in c.enable("CONDSTORE")]
    selected = c.select_folder("INBOX")
    h0 = selected.get(b"HIGHESTMODSEQ")
    out["select_highestmodseq"] = h0
    fetched = c.fetch([1, 2, 3], ["MODSEQ", "FLAGS"])
    out["modseqs"] = {str(uid): d[b"MODSEQ"][0] for uid, d in fetched.items()}
    c.add_flags([2], [b"\\Seen"])
    changed = c.fetch([1, 2, 3], ["FLAGS"], modifiers=["CHANGEDSINCE %d" % h0])
    out["changed_since"] = {str(uid): [d[b"MODSEQ"][0], [f.decode() for f in d[b"FLAGS"] if f != b"\\Recent"]] for uid, d in changed.items()}
    # STORE (UNCHANGEDSINCE) through imapclient's connection: it has no STORE modifier argument.
    typ, tagged, untagged = command(c._imap, "UID", "STORE", "1:3", "(UNCHANGEDSINCE %d)" % h0, "+FLAGS", "(\\Flagged)")
    out["conditional_store"] = [typ, tagged, untagged.get("FETCH", [])]
    flags = c.get_flags([1, 2, 3])
    out["flags_after"] = {str(uid): sorted(f.decode() for f in fl if f != b"\\Recent") for uid, fl in flags.items()}
    found = c.search(["MODSEQ", str(h0 + 1)])
    out["search_modseq"] = [list(found), getattr(found, "modseq", None)]
    status = c.folder_status("INBOX", [b"HIGHESTMODSEQ"])
    out["status_highestmodseq"] = status.get(b"HIGHESTMODSEQ")
    c.logout()

elif scenario == "qresync":
    a = raw_session()
    for i in range(1, 6):
        a.append("INBOX", None, None, message(i))
    typ, _, untagged = command(a, "ENABLE", "QRESYNC")
    out["enabled"] = untagged.get("ENABLED", [])
    typ, _, untagged = command(a, "SELECT", "INBOX")
    validity = number(r"UIDVALIDITY (\d+)", untagged.get("OK", []))
    before = number(r"HIGHESTMODSEQ (\d+)", untagged.get("OK", []))
    out["before"] = [validity, before]
    a.logout()

    # Another session while the client is away: flags, expunges, a new message.
    b = raw_session()
    b.select("INBOX")
    b.uid("STORE", "2", "+FLAGS", "(\\Flagged)")
    b.uid("STORE", "5", "+FLAGS", "(\\Seen $Work)")
    b.uid("STORE", "3:4", "+FLAGS.SILENT", "(\\Deleted)")
    b.expunge()
    b.append("INBOX", None, None, message(6))
    b.logout()

    back = raw_session()
    command(back, "ENABLE", "QRESYNC")
    typ, tagged, untagged = command(back, "SELECT", "INBOX (QRESYNC (%d %d 1:5))" % (validity, before))
    out["resync"] = [typ, tagged, untagged.get("VANISHED", []), untagged.get("FETCH", []),
                     number(r"HIGHESTMODSEQ (\d+)", untagged.get("OK", []))]
    back.state = "SELECTED"   # imaplib did not see its own SELECT
    typ, tagged, untagged = command(back, "UID", "FETCH", "1:*", "(FLAGS)", "(CHANGEDSINCE %d VANISHED)" % before)
    out["uid_fetch_vanished"] = [typ, untagged.get("VANISHED", []), untagged.get("FETCH", [])]

    # While selected with QRESYNC, another session's expunge arrives as VANISHED.
    other = raw_session()
    other.select("INBOX")
    other.uid("STORE", "6", "+FLAGS.SILENT", "(\\Deleted)")
    other.expunge()
    other.logout()
    typ, _, untagged = command(back, "NOOP")
    out["noop"] = [untagged.get("VANISHED", []), untagged.get("EXPUNGE", [])]
    back.logout()

elif scenario == "modseq":
    m = raw_session()
    typ, _, untagged = command(m, "STATUS", "INBOX", "(UIDVALIDITY HIGHESTMODSEQ MESSAGES)")
    status = " ".join(untagged.get("STATUS", []))
    out["uidvalidity"] = number(r"UIDVALIDITY (\d+)", [status])
    out["highestmodseq"] = number(r"HIGHESTMODSEQ (\d+)", [status])
    out["messages"] = number(r"MESSAGES (\d+)", [status])
    if len(sys.argv) > 6:   # "append": one more message, as a change to the mailbox
        m.append("INBOX", None, None, message(9))
    m.logout()

print(json.dumps(out))
