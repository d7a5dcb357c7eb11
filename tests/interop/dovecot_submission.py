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
import ssl
import subprocess
import sys
import tempfile

from harness import (PASSWORD, USER, check, dovecot_log, failures, find_dovecot, free_port,
                     start_dovecot, start_postino, stop)

POSTINO, DRIVER = sys.argv[1], sys.argv[2]


def skip(why):
    print("dovecot submission: skipped: " + why)
    sys.exit(0)


dovecot = find_dovecot(skip)
libexec = os.environ.get("POSTINO_DOVECOT_LIBEXEC", "/usr/lib/dovecot")
if not os.path.exists(os.path.join(libexec, "submission")):
    skip(f"Dovecot's submission service is not in {libexec} (apt-get install dovecot-submissiond)")

tmp = tempfile.mkdtemp(prefix="postino-dovecot-submission-")
# Postino first: Dovecot's relay.
postino, ports = start_postino(POSTINO, tmp, "imaps", "smtp")
submission_port = free_port()
proc, why = start_dovecot(dovecot, tmp, f"""
protocols = submission
hostname = submission.test
submission_relay_host = 127.0.0.1
submission_relay_port = {ports["SMTP"]}
submission_relay_ssl = starttls
submission_relay_ssl_verify = no
submission_relay_user = {USER}
submission_relay_password = {PASSWORD}
service submission-login {{
  executable = {libexec}/submission-login
  inet_listener submission {{
    port = {submission_port}
  }}
}}
service submission {{
  executable = {libexec}/submission
}}
""", submission_port, auth="plain login")


def stop_both():
    for p in (proc, postino):
        if p:
            stop(p)


if not proc:
    stop_both()
    shutil.rmtree(tmp, ignore_errors=True)
    skip(why)

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
        print(dovecot_log(tmp))
finally:
    stop_both()
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print(f"dovecot submission: {len(failures)} failed")
    sys.exit(1)
print("dovecot submission: all passed")
