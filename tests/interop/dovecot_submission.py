#!/usr/bin/env python3
"""SMTP both ways with Debian's Dovecot submission server (dovecot-submissiond) in the middle.

Our SMTP client engine (tests/interop/engine_driver smtp) sends to a private Dovecot submission
service; Dovecot relays each command to `postino serve`'s SMTP port as its relay MTA (STARTTLS,
then AUTH with its own client). So Dovecot's server judges our client, Dovecot's client judges
our server, and imaplib finds the result in Postino's store: the messages arrive, a line
starting with "." survives both hops, an unknown recipient is refused by Postino and that refusal
reaches our engine through Dovecot.

Skips with a clear message (exit 0, "skipped") when Dovecot or its submission service is missing
or cannot start. POSTINO_DOVECOT_LIBEXEC may name a folder holding `submission` and
`submission-login` (e.g. unpacked with `apt-get download dovecot-submissiond; dpkg -x ...`).
"""
import imaplib
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time

POSTINO, DRIVER = sys.argv[1], sys.argv[2]
failures = []
USER, PASSWORD = "info@tuodominio.it", "segreta"


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def skip(why):
    print("dovecot submission: skipped: " + why)
    sys.exit(0)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


dovecot = shutil.which("dovecot") or "/usr/sbin/dovecot"
if not os.path.exists(dovecot):
    skip("dovecot is not installed (scripts/setup installs it)")
libexec = os.environ.get("POSTINO_DOVECOT_LIBEXEC", "/usr/lib/dovecot")
if not os.path.exists(os.path.join(libexec, "submission")):
    skip(f"Dovecot's submission service is not in {libexec} (apt-get install dovecot-submissiond)")
if os.getuid() != 0:
    skip("starting a private Dovecot needs root (CI runs as root)")
import pwd
try:
    nobody = pwd.getpwnam("nobody")
    pwd.getpwnam("dovenull")
    pwd.getpwnam("dovecot")
except KeyError as e:
    skip(f"a user Dovecot needs is missing: {e}")

tmp = tempfile.mkdtemp(prefix="postino-dovecot-submission-")
os.chmod(tmp, 0o755)

# Postino first: Dovecot's relay.
env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(tmp, "config"))
postino = subprocess.Popen([POSTINO, "serve", "--pop3", "-1", "--pop3s", "-1", "--imap", "-1", "--imaps", "0",
                            "--smtp", "0", "--smtps", "-1"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
ports = {}
while len(ports) < 2:
    line = postino.stdout.readline()
    if not line:
        raise SystemExit("postino serve did not start: " + postino.stderr.read())
    m = re.match(r"\s+(\w+)\s+port (\d+)", line)
    if m:
        ports[m.group(1)] = int(m.group(2))

submission_port = free_port()
open(os.path.join(tmp, "users"), "w").write(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
conf = os.path.join(tmp, "dovecot.conf")
open(conf, "w").write(f"""
base_dir = {tmp}/run
state_dir = {tmp}/state
log_path = {tmp}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
listen = 127.0.0.1
protocols = submission
hostname = submission.test
mail_location = maildir:{tmp}/mail/%u
default_internal_user = dovecot
default_login_user = dovenull
submission_relay_host = 127.0.0.1
submission_relay_port = {ports["SMTP"]}
submission_relay_ssl = starttls
submission_relay_ssl_verify = no
submission_relay_user = {USER}
submission_relay_password = {PASSWORD}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {tmp}/users
}}
userdb {{
  driver = static
  args = uid={nobody.pw_uid} gid={nobody.pw_gid} home={tmp}/home/%u
}}
service submission-login {{
  executable = {libexec}/submission-login
  inet_listener submission {{
    port = {submission_port}
  }}
}}
service submission {{
  executable = {libexec}/submission
}}
""")
proc = subprocess.Popen([dovecot, "-F", "-c", conf], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def stop():
    proc.terminate()
    postino.send_signal(2)
    for p in (proc, postino):
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()


for _ in range(50):
    try:
        socket.create_connection(("127.0.0.1", submission_port), timeout=0.2).close()
        break
    except OSError:
        if proc.poll() is not None:
            break
        time.sleep(0.1)
if proc.poll() is not None:
    out = proc.stdout.read().strip()[-300:]
    stop()
    shutil.rmtree(tmp, ignore_errors=True)
    skip("dovecot did not start: " + out)

try:
    r = subprocess.run([DRIVER, "smtp", str(submission_port), USER, PASSWORD], capture_output=True, text=True, timeout=60)
    print(r.stdout, end="")
    check("sent 2 errors 1 waiting 0 ok 1" in r.stdout, "our engine sent both messages through Dovecot")
    check(re.search(r"^refused RCPT TO:<nessuno@tuodominio\.it>: 550 5\.1\.1 ", r.stdout, re.M) is not None,
          "Postino's refusal of an unknown recipient reached our engine through Dovecot")
    check(r.stdout.count("sent to 1") == 2, "each message taken for its one known recipient")

    ctx = ssl._create_unverified_context()
    m = imaplib.IMAP4_SSL("127.0.0.1", ports["IMAPS"], ssl_context=ctx)
    m.login(USER, PASSWORD)
    m.select("INBOX", readonly=True)
    _, data = m.search(None, "SUBJECT", '"Dal motore"')
    found = data[0].split()
    check(len(found) == 2, f"both messages are in Postino's INBOX ({len(found)})")
    if found:
        _, msg = m.fetch(found[0], "(BODY.PEEK[])")
        text = msg[0][1].decode()
        check(text.endswith("\r\n\r\n.riga con punto\r\nfine\r\n"), "a line starting with '.' survived both hops")
        check("by mail.tuodominio.it (Postino) with ESMTPSA" in text, "Postino took it from Dovecot over TLS with a login")
        check("by submission.test" in text, "Dovecot's own Received line is there too")
    m.logout()
    if failures:
        print(open(os.path.join(tmp, "dovecot.log")).read()[-2000:])
finally:
    stop()
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print(f"dovecot submission: {len(failures)} failed")
    sys.exit(1)
print("dovecot submission: all passed")
