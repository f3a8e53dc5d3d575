#!/usr/bin/env python3
"""QUOTA scenarios against a real Facteur server with Python's imaplib and smtplib.
Usage: quota_scenarios.py SCENARIO HOST IMAP_PORT SMTP_PORT; prints one JSON object on its last
line; exits 0 unless the script itself crashed (assertions are made by the Swift test)."""
import imaplib, json, smtplib, sys

scenario, host, imap_port, smtp_port = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
out = {}
ROOT = '"User quota"'


def text(data):
    flat = []
    for d in data:
        flat += d if isinstance(d, list) else [d]
    return [d.decode("utf-8", "replace") if isinstance(d, bytes) else repr(d) for d in flat]


def result(call, *a):
    try:
        typ, data = call(*a)
        return [typ, text(data)]
    except imaplib.IMAP4.error as e:
        return ["ERROR", str(e)]


def message(subject, size):
    head = "From: Sender <sender@remote.test>\r\nTo: someone@example.test\r\nSubject: " + subject + "\r\n\r\n"
    body = ("x" * 70 + "\r\n") * ((size - len(head)) // 72 + 1)
    return (head + body)[:size].encode()


def login(user):
    m = imaplib.IMAP4(host, imap_port, timeout=15)
    m.login(user, "secret")
    return m


def send(rcpts, size, mail_options=()):
    """One SMTP transaction; the reply to each RCPT and to DATA."""
    s = smtplib.SMTP(host, smtp_port, timeout=15)
    s.ehlo("client.test")
    replies = {}
    code, msg = s.mail("sender@remote.test", list(mail_options))
    replies["mail"] = [code, msg.decode()]
    accepted = []
    for r in rcpts:
        code, msg = s.rcpt(r)
        replies[r] = [code, msg.decode()]
        if code == 250:
            accepted.append(r)
    if accepted:
        try:
            code, msg = s.data(message("over smtp", size))
        except smtplib.SMTPDataError as e:
            code, msg = e.smtp_code, e.smtp_error
        replies["data"] = [code, msg.decode() if isinstance(msg, bytes) else msg]
    s.quit()
    return replies


if scenario == "imap":
    # alice: [mail] quota = "20 KB" (20,480 octets); bob: "none".
    m = login("alice@example.test")
    out["caps"] = result(m.capability)
    out["root_empty"] = result(m.getquotaroot, "INBOX")
    out["quota_empty"] = result(m.getquota, ROOT)
    out["append1"] = result(m.append, "INBOX", None, None, message("one", 8000))
    out["append2"] = result(m.append, "INBOX", None, None, message("two", 8000))
    out["quota_two"] = result(m.getquota, ROOT)
    out["append3"] = result(m.append, "INBOX", None, None, message("three", 8000))
    m.select("INBOX")
    out["copy"] = result(m.copy, "1", "Archive")
    out["move"] = result(m._simple_command, "MOVE", "1", "Archive")
    out["quota_after_move"] = result(m.getquota, ROOT)
    m.store("1", "+FLAGS", "\\Deleted")
    out["status_inbox"] = result(m.status, "INBOX", "(MESSAGES DELETED DELETED-STORAGE)")
    out["setquota"] = result(m.setquota, ROOT, "(STORAGE 99999)")
    out["root_other"] = result(m.getquotaroot, "Nowhere")
    m.logout()
    b = login("bob@example.test")
    out["bob_root"] = result(b.getquotaroot, "INBOX")
    out["bob_append"] = result(b.append, "INBOX", None, None, message("big", 30000))
    b.logout()

elif scenario == "smtp":
    # dave: { messages = 1 }; carol: 4 KB (4,096 octets); bob: no limit.
    d = login("dave@example.test")
    out["dave_append"] = result(d.append, "INBOX", None, None, message("fills dave", 500))
    d.logout()
    out["full_and_free"] = send(["dave@example.test", "bob@example.test"], 600)
    c = login("carol@example.test")
    out["carol_append"] = result(c.append, "INBOX", None, None, message("most of carol", 3500))
    c.logout()
    # Declared too big for carol (3,500 + 1,200 > 4,096 + 10 %): refused at RCPT.
    out["declared"] = send(["carol@example.test"], 1200, ["SIZE=1200"])
    # Crosses the line within the grace (3,500 + 800 + trace headers < 4,505): delivered.
    out["crossing"] = send(["carol@example.test", "bob@example.test"], 800)
    # carol is now over her limit: the next message waits.
    out["after"] = send(["carol@example.test"], 300)
    # Undeclared size over the grace for one recipient: one reply for the transaction.
    e = login("erin@example.test")
    out["erin_append"] = result(e.append, "INBOX", None, None, message("most of erin", 3000))
    e.logout()
    out["too_big_at_data"] = send(["erin@example.test", "bob@example.test"], 2500)
    c = login("carol@example.test")
    out["carol_quota"] = result(c.getquota, ROOT)
    c.logout()

print(json.dumps(out))
