#!/usr/bin/env python3
"""Our client engines against Debian's Dovecot (the other direction of the interop tests).

Starts a private Dovecot on free loopback ports (its own config, users and Maildirs in a temp
folder), fills a mailbox with imaplib, then runs tests/interop/engine_driver: the POP3 engine's
leave-on-server cycle (download on day 0, nothing new on day 3, DELE after 7 days) and the IMAP
engine's full sync, open (\\Seen), delete to Trash, new folder and move; then checks Dovecot's
state with imaplib. Skips with a clear message (exit 0, "skipped") when Dovecot cannot start.
"""
import imaplib
import re
import shutil
import subprocess
import sys
import tempfile

from harness import (PASSWORD, USER, check, dovecot_log, failures, find_dovecot, free_port,
                     start_dovecot, stop)

DRIVER = sys.argv[1]


def skip(why):
    print("dovecot engines: skipped: " + why)
    sys.exit(0)


dovecot = find_dovecot(skip)
tmp = tempfile.mkdtemp(prefix="postino-dovecot-")
imap_port, pop_port = free_port(), free_port()
proc, why = start_dovecot(dovecot, tmp, f"""
protocols = imap pop3
pop3_uidl_format = %08Xu%08Xv
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Trash {{
    special_use = \\Trash
    auto = subscribe
  }}
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
}}
service imap-login {{
  inet_listener imap {{
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = {pop_port}
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
""", imap_port)
if not proc:
    shutil.rmtree(tmp, ignore_errors=True)
    skip(why)


def imap():
    m = imaplib.IMAP4("127.0.0.1", imap_port)
    m.login(USER, PASSWORD)
    return m


try:
    m = imap()
    for i in range(5):
        m.append("INBOX", None, None, f"From: a@b.c\r\nSubject: prova {i}\r\n\r\n.riga con punto\r\nfine\r\n".encode())
    m.logout()

    r = subprocess.run([DRIVER, "pop3", str(pop_port), USER, PASSWORD],
                       capture_output=True, text=True, timeout=60)
    print(r.stdout.strip())
    lines = r.stdout.split("\n")
    check(lines[0] == "day 0 downloaded 5 deleted 0 errors 0 ok 1", "POP3 engine, day 0: downloads all, deletes nothing")
    check(lines[1] == "day 3 downloaded 0 deleted 0 errors 0 ok 1", "POP3 engine, day 3: nothing downloaded twice")
    check(lines[2] == "day 7 downloaded 0 deleted 5 errors 0 ok 1", "POP3 engine, day 7: DELE after 7 days")
    m = imap()
    check(m.select("INBOX")[1][0] == b"0", "Dovecot's INBOX is empty after the POP3 cycle")
    for i in range(4):
        m.append("INBOX", None, None, f"From: a@b.c\r\nSubject: imap {i}\r\n\r\nx\r\n".encode())
    m.logout()

    r = subprocess.run([DRIVER, "imap", str(imap_port), USER, PASSWORD],
                       capture_output=True, text=True, timeout=60)
    print(r.stdout.strip(), r.stderr.strip())
    out = r.stdout
    check("opened has-body 1" in out, "IMAP engine fetched the body it opened")
    check("errors 0 ok 1" in out, "IMAP engine: no errors")
    # Dovecot offers QRESYNC: going back to a folder seen before is one SELECT (RFC 7162).
    quick = re.search(r"qresync-selects (\d+)", out)
    check(quick and int(quick.group(1)) > 0, "IMAP engine resynced with SELECT ... (QRESYNC ...)")
    state = {m_.group(1): (int(m_.group(2)), int(m_.group(3))) for m_ in re.finditer(r"folder (\S+) count (\d+) seen (\d+)", out)}
    m = imap()
    server = {}
    for name in state:
        typ, data = m.select(f'"{name}"')
        count = int(data[0])
        typ, seen = m.search(None, "SEEN")
        server[name] = (count, len(seen[0].split()))
    typ, lst = m.list()
    m.logout()
    check(state.get("INBOX") == (2, 1), f"engine's INBOX: 2 left, 1 read ({state.get('INBOX')})")
    check(state.get("Trash") == (1, 0) and state.get("Progetti") == (1, 0), f"engine's Trash and Progetti ({state})")
    check(state == server, f"the engine's cache equals Dovecot's folders: {state} vs {server}")
    check(any(b"Progetti" in l for l in lst), "the folder exists on Dovecot")
except Exception:
    print(dovecot_log(tmp))
    raise
finally:
    stop(proc)
    shutil.rmtree(tmp, ignore_errors=True)

print(f"dovecot engines: {'all passed' if not failures else f'{len(failures)} failed'}")
sys.exit(1 if failures else 0)
