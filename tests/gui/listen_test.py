#!/usr/bin/env python3
"""`postino open --listen`: real clients (Python's imaplib and poplib, one over implicit TLS)
connect to the window's world under Xvfb, get real answers, and the window's screenshot is
taken once they hung up. Usage: listen_test.py POSTINO"""
import imaplib
import os
import poplib
import re
import ssl
import subprocess
import sys
import tempfile

postino = sys.argv[1]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


tmp = tempfile.mkdtemp()
shot = os.path.join(tmp, "listen.png")
env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(tmp, "config"))
# Mesa under the sanitizers: see screenshots_test.sh.
env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")
proc = subprocess.Popen(["xvfb-run", "-a", "-n", str(100 + os.getpid() % 800), "-s", "-screen 0 1280x800x24", postino, "--listen", "--imap", "0",
                         "--imaps", "0", "--pop3", "0", "--pop3s", "-1", "--size", "1280x800", "--screenshot", shot],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
line = proc.stdout.readline()
ports = dict(re.findall(r"(IMAPS|IMAP|POP3) (\d+)", line))
check(set(ports) == {"IMAP", "IMAPS", "POP3"}, f"the window says where to connect: {line.strip()}")
try:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    m = imaplib.IMAP4("127.0.0.1", int(ports["IMAP"]), timeout=20)
    s = imaplib.IMAP4_SSL("127.0.0.1", int(ports["IMAPS"]), ssl_context=ctx, timeout=20)
    p = poplib.POP3("127.0.0.1", int(ports["POP3"]), timeout=20)

    typ, data = m.starttls(ssl_context=ctx)
    check(typ == "OK", f"IMAP STARTTLS on the plain port: {data}")
    typ, data = m.login("info@tuodominio.it", "segreta")
    check(typ == "OK", "IMAP login (under TLS)")
    typ, data = m.select("INBOX")
    count = int(data[0])
    check(typ == "OK" and count >= 1, f"SELECT INBOX: {count} messages, as the scenario left it")
    typ, data = m.fetch("1", "(UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    check(typ == "OK" and b"Subject:" in data[0][1], f"FETCH a header: {data[0][1][:60]!r}")
    typ, data = m.store("1", "+FLAGS", "(\\Flagged)")
    check(typ == "OK" and b"\\Flagged" in data[0], f"STORE: {data}")

    typ, data = s.login("info@tuodominio.it", "segreta")
    check(typ == "OK", "IMAPS (implicit TLS) login")
    typ, data = s.select("INBOX")
    typ, data = s.search(None, "FLAGGED")
    check(typ == "OK" and data[0] == b"1", f"the other connection sees the flag: {data}")

    check(p.stls(context=ctx).startswith(b"+OK"), "POP3 STLS on the plain port")
    check(p.user("info@tuodominio.it").startswith(b"+OK") and p.pass_("segreta").startswith(b"+OK"), "POP3 login (under TLS)")
    n, size = p.stat()
    check(n == count, f"POP3 STAT {n} {size}")
    resp, lines, octets = p.retr(1)
    check(resp.startswith(b"+OK") and any(l.startswith(b"Subject:") for l in lines), "POP3 RETR")

    p.quit()
    s.logout()
    m.logout()
except Exception as e:  # a refused connection or a timeout: say so, do not hang
    check(False, f"clients: {e!r}")
try:
    out, err = proc.communicate(timeout=90)
except subprocess.TimeoutExpired:
    proc.kill()
    out, err = proc.communicate()
    check(False, "the window did not finish after the clients hung up")
check(proc.returncode == 0, f"the window exits 0 ({proc.returncode}) {err[-300:]}")
head = b""
if os.path.exists(shot):
    with open(shot, "rb") as f:
        head = f.read(8)
check(head == b"\x89PNG\r\n\x1a\n" and os.path.getsize(shot) > 20000, "the screenshot is a real PNG")
if os.environ.get("POSTINO_KEEP_SCREENSHOT"):
    import shutil
    shutil.copy(shot, os.environ["POSTINO_KEEP_SCREENSHOT"])
print(f"listen: {'all passed' if not failures else f'{len(failures)} failed'}")
sys.exit(1 if failures else 0)
