#!/usr/bin/env python3
"""Our client engines against Debian's Dovecot (the other direction of the interop tests).

Starts a private Dovecot on free loopback ports (its own config, users and Maildirs in a temp
folder), fills a mailbox with imaplib, then runs tests/interop/engine_driver: the POP3 engine's
leave-on-server cycle (download on day 0, nothing new on day 3, DELE after 7 days) and the IMAP
engine's full sync, open (\\Seen), delete to Trash, new folder and move; then checks Dovecot's
state with imaplib. Skips with a clear message (exit 0, "skipped") when Dovecot cannot start.
"""
import imaplib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

DRIVER = sys.argv[1]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


dovecot = shutil.which("dovecot") or "/usr/sbin/dovecot"
if not os.path.exists(dovecot):
    print("dovecot engines: skipped: dovecot is not installed (scripts/setup installs it)")
    sys.exit(0)

if os.getuid() != 0:
    print("dovecot engines: skipped: starting a private Dovecot needs root (CI runs as root)")
    sys.exit(0)
import pwd
try:
    nobody = pwd.getpwnam("nobody")
    pwd.getpwnam("dovenull")
    pwd.getpwnam("dovecot")
except KeyError as e:
    print(f"dovecot engines: skipped: a user Dovecot needs is missing: {e}")
    sys.exit(0)

tmp = tempfile.mkdtemp(prefix="postino-dovecot-")
os.chmod(tmp, 0o755)
for d in ("mail", "home"):
    os.makedirs(os.path.join(tmp, d))
    os.chown(os.path.join(tmp, d), nobody.pw_uid, nobody.pw_gid)
imap_port, pop_port = free_port(), free_port()
open(os.path.join(tmp, "users"), "w").write("info@tuodominio.it:{PLAIN}segreta::::::\n")
conf = os.path.join(tmp, "dovecot.conf")
open(conf, "w").write(f"""
base_dir = {tmp}/run
state_dir = {tmp}/state
log_path = {tmp}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
listen = 127.0.0.1
protocols = imap pop3
mail_location = maildir:{tmp}/mail/%u
pop3_uidl_format = %08Xu%08Xv
default_internal_user = dovecot
default_login_user = dovenull
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {tmp}/users
}}
userdb {{
  driver = static
  args = uid={nobody.pw_uid} gid={nobody.pw_gid} home={tmp}/home/%u
}}
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
""")
proc = subprocess.Popen([dovecot, "-F", "-c", conf], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
for _ in range(50):
    try:
        socket.create_connection(("127.0.0.1", imap_port), timeout=0.2).close()
        break
    except OSError:
        if proc.poll() is not None:
            break
        time.sleep(0.1)
else:
    proc.poll()
if proc.poll() is not None:
    print("dovecot engines: skipped: dovecot did not start:", proc.stdout.read().strip()[-300:])
    shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0)


def imap():
    m = imaplib.IMAP4("127.0.0.1", imap_port)
    m.login("info@tuodominio.it", "segreta")
    return m


try:
    m = imap()
    for i in range(5):
        m.append("INBOX", None, None, f"From: a@b.c\r\nSubject: prova {i}\r\n\r\n.riga con punto\r\nfine\r\n".encode())
    m.logout()

    r = subprocess.run([DRIVER, "pop3", str(pop_port), "info@tuodominio.it", "segreta"],
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

    r = subprocess.run([DRIVER, "imap", str(imap_port), "info@tuodominio.it", "segreta"],
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
    print(open(os.path.join(tmp, "dovecot.log")).read()[-2000:])
    raise
finally:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    shutil.rmtree(tmp, ignore_errors=True)

print(f"dovecot engines: {'all passed' if not failures else f'{len(failures)} failed'}")
sys.exit(1 if failures else 0)
