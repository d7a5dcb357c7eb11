#!/usr/bin/env python3
"""Real mail clients sending through `postino serve`'s SMTP submission, with real TLS.

Python's smtplib on the plain port with STARTTLS (587's role) and on the implicit-TLS port (465's
role), with AUTH PLAIN and AUTH LOGIN, and curl's smtp:// (STARTTLS required) and smtps://.
Checks results, not only replies: each message is looked for with imaplib in the recipient's
INBOX, dot-stuffed lines come back whole, and refusals (no AUTH before TLS, a wrong password,
another sender's address, an unknown recipient, relaying without a login) are the ones expected.
"""
import imaplib
import os
import re
import shutil
import smtplib
import ssl
import subprocess
import sys
import tempfile
from email.message import EmailMessage

from harness import PASSWORD, USER, check, failures, start_postino

POSTINO = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="postino-smtp-interop-")
CTX = ssl._create_unverified_context()  # the certificate is self-signed


def subjects(ports, account):
    """The subjects in `account`'s INBOX, and the text of the last message."""
    a = imaplib.IMAP4_SSL("127.0.0.1", ports["IMAPS"], ssl_context=CTX)
    a.login(account, PASSWORD)
    a.select("INBOX", readonly=True)
    _, data = a.fetch("1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    found = [part[1].decode().strip() for part in data if isinstance(part, tuple)]
    _, last = a.fetch("*", "(BODY.PEEK[])")
    a.logout()
    return found, last[0][1].decode()


def message(subject, to, body="Buongiorno.\n"):
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = USER, to, subject
    m.set_content(body)
    return m


proc, ports = start_postino(POSTINO, TMP, "imaps", "smtp", "smtps")
try:
    # --- smtplib on the plain port: STARTTLS, then AUTH (PLAIN) -------------------------------
    s = smtplib.SMTP("127.0.0.1", ports["SMTP"], local_hostname="pc.casa.lan")
    code, _ = s.ehlo()
    check(code == 250 and s.has_extn("starttls"), "EHLO on the plain port offers STARTTLS")
    check(not s.has_extn("auth"), "no AUTH before TLS: no password in clear")
    try:
        s.login(USER, PASSWORD)
        check(False, "login before STARTTLS refused")
    except smtplib.SMTPNotSupportedError:
        check(True, "login before STARTTLS refused")
    s.starttls(context=CTX)
    s.ehlo()
    check(s.has_extn("auth") and "PLAIN" in s.esmtp_features["auth"].split(), "after STARTTLS AUTH PLAIN is offered")
    check(not s.has_extn("starttls"), "STARTTLS no longer offered once TLS is on")
    check(s.esmtp_features.get("size") == "26214400", "SIZE announced")
    s.login(USER, PASSWORD)
    refused = s.send_message(message("Via STARTTLS", "commerciale@tuodominio.it"),
                             to_addrs=["commerciale@tuodominio.it", "nessuno@tuodominio.it", "mario.rossi@example.com"])
    check(list(refused) == ["nessuno@tuodominio.it"] and refused["nessuno@tuodominio.it"][0] == 550,
          "an unknown recipient here is refused (550), the others taken")
    try:
        s.send_message(message("Not mine", "commerciale@tuodominio.it"), from_addr="commerciale@tuodominio.it")
        check(False, "another user's sender address refused")
    except smtplib.SMTPSenderRefused as e:
        check(e.smtp_code == 553, "another user's sender address refused (553)")
    # smtplib dot-stuffs; the server must take the dots off again.
    s.sendmail(USER, ["commerciale@tuodominio.it"],
               "Subject: Punti\r\n\r\n.una riga col punto\r\n..due punti\r\n.\r\nfine\r\n")
    check(s.noop()[0] == 250, "NOOP")
    s.quit()
    found, last = subjects(ports, "commerciale@tuodominio.it")
    check(found == ["Subject: Via STARTTLS", "Subject: Punti"], f"both messages in commerciale's INBOX ({found})")
    check(last.endswith("\r\n\r\n.una riga col punto\r\n..due punti\r\n.\r\nfine\r\n"), "dot-stuffed lines arrive whole")
    check(re.match(r"Received: from pc\.casa\.lan by mail\.tuodominio\.it \(Postino\) with ESMTPSA id ", last) is not None,
          "the server added its Received line (ESMTPSA)")

    # --- smtplib on the implicit-TLS port: a wrong password, then AUTH LOGIN ------------------
    s = smtplib.SMTP_SSL("127.0.0.1", ports["SMTPS"], context=CTX)
    s.ehlo()
    check(s.has_extn("auth") and not s.has_extn("starttls"), "implicit TLS: AUTH at once, no STARTTLS")
    try:
        s.login(USER, "sbagliata")
        check(False, "a wrong password refused")
    except smtplib.SMTPAuthenticationError as e:
        check(e.smtp_code == 535, "a wrong password refused (535)")
    s.user, s.password = USER, PASSWORD
    code, _ = s.auth("LOGIN", s.auth_login, initial_response_ok=False)
    check(code == 235, "AUTH LOGIN")
    s.send_message(message("Via SMTPS", USER))
    s.quit()
    found, _ = subjects(ports, USER)
    check("Subject: Via SMTPS" in found, "a message to oneself lands in one's own INBOX")

    # --- without a login nothing is sent, not even to the domain's own accounts ---------------
    s = smtplib.SMTP_SSL("127.0.0.1", ports["SMTPS"], context=CTX)
    s.ehlo()
    try:
        s.sendmail("mario.rossi@example.com", ["chiunque@example.org"], "Subject: spam\r\n\r\nspam\r\n")
        check(False, "MAIL without a login refused")
    except smtplib.SMTPSenderRefused as e:
        check(e.smtp_code == 530, "MAIL without a login refused (530: authentication required)")
    s.quit()

    # --- curl smtp:// with STARTTLS required, and smtps:// ------------------------------------
    curl = shutil.which("curl")
    has_smtp = curl and "smtp" in subprocess.run([curl, "-V"], capture_output=True, text=True).stdout.split()
    if not has_smtp:
        print("skip curl: not installed or built without SMTP")
    else:
        body = os.path.join(TMP, "mail.txt")
        for url, subject in ((f"smtp://127.0.0.1:{ports['SMTP']}", "Curl STARTTLS"),
                             (f"smtps://127.0.0.1:{ports['SMTPS']}", "Curl SMTPS")):
            with open(body, "w") as f:
                f.write(f"From: {USER}\r\nTo: amministrazione@tuodominio.it\r\nSubject: {subject}\r\n\r\nDa curl.\r\n")
            r = subprocess.run([curl, "-s", "-S", "--ssl-reqd", "-k", "--url", url, "--user", f"{USER}:{PASSWORD}",
                                "--mail-from", USER, "--mail-rcpt", "amministrazione@tuodominio.it",
                                "--upload-file", body], capture_output=True, text=True, timeout=60)
            check(r.returncode == 0, f"curl {url.split(':')[0]}:// sends ({r.stderr.strip()})")
        r = subprocess.run([curl, "-s", "-S", "-k", "--url", f"smtps://127.0.0.1:{ports['SMTPS']}",
                            "--user", f"{USER}:sbagliata", "--mail-from", USER,
                            "--mail-rcpt", "amministrazione@tuodominio.it", "--upload-file", body],
                           capture_output=True, text=True, timeout=60)
        check(r.returncode == 67, f"curl with a wrong password fails to log in (exit {r.returncode})")
        found, _ = subjects(ports, "amministrazione@tuodominio.it")
        check(found == ["Subject: Curl STARTTLS", "Subject: Curl SMTPS"], f"curl's messages arrived ({found})")
finally:
    proc.send_signal(2)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    shutil.rmtree(TMP, ignore_errors=True)

if failures:
    print(f"serve smtp clients: {len(failures)} failed")
    sys.exit(1)
print("serve smtp clients: all passed")
