#!/usr/bin/env python3
"""Real mail clients against `postino serve` on free loopback ports, with real TLS.

Checks results, not only exit codes: Python poplib and imaplib (plain, STLS/STARTTLS, implicit
TLS, IDLE news from a second connection), curl (pop3:// and imap://), openssl s_client, fetchmail
(keep+uidl: the second run fetches nothing; delete mode; IMAP), mbsync (two-way sync with a
Maildir, then local changes pushed back), many connections at once, a delayed answer after a
wrong password, a client vanishing mid-literal, and a clean stop on SIGINT.
"""
import imaplib
import os
import poplib
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

from harness import check, failures, start_postino

POSTINO = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="postino-interop-")
CTX = ssl._create_unverified_context()  # the certificate is self-signed


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, **kw)


def pop_count(ports):
    p = poplib.POP3_SSL("127.0.0.1", ports["POP3S"], context=CTX)
    p.user("info@tuodominio.it")
    p.pass_("segreta")
    n = p.stat()[0]
    p.quit()
    return n


proc, ports = start_postino(POSTINO, TMP, "pop3", "pop3s", "imap", "imaps")
try:
    # --- Python poplib: plain+STLS, implicit TLS -------------------------------------------
    p = poplib.POP3("127.0.0.1", ports["POP3"])
    check("STLS" in p.capa(), "POP3 plain port offers STLS")
    p.stls(context=CTX)
    check("STLS" not in p.capa(), "STLS no longer offered once TLS is on")
    p.user("info@tuodominio.it")
    p.pass_("segreta")
    check(p.stat()[0] == 7, "poplib over STLS: STAT")
    resp, lines, _ = p.top(5, 0)
    check(any(l.startswith(b"Subject: Re: the .htaccess") for l in lines), "poplib TOP")
    resp, lines, _ = p.retr(5)
    check(b".htaccess" in lines and b"." in lines, "poplib RETR restores dot-stuffed lines")
    p.quit()

    # --- Python imaplib: STARTTLS, implicit TLS, IDLE news from another connection ----------
    a = imaplib.IMAP4("127.0.0.1", ports["IMAP"])
    check("STARTTLS" in a.capabilities, "IMAP plain port offers STARTTLS")
    a.starttls(ssl_context=CTX)
    a.login("info@tuodominio.it", "segreta")
    a.select("INBOX")
    b = imaplib.IMAP4_SSL("127.0.0.1", ports["IMAPS"], ssl_context=CTX)
    b.login("info", "segreta")
    b.select("INBOX")
    tag = b._new_tag().decode()
    b.send(f"{tag} IDLE\r\n".encode())
    check(b.readline().startswith(b"+"), "IDLE accepted over TLS")
    a.store("2", "+FLAGS", "(\\Flagged)")
    b.sock.settimeout(5)
    news = b.readline()
    check(b"FETCH" in news and b"\\Flagged" in news, f"IDLE pushed another connection's change at once: {news!r}")
    b.send(b"DONE\r\n")
    while not b.readline().startswith(tag.encode()):
        pass
    typ, data = a.uid("FETCH", "6", "(BODY.PEEK[])")
    check(typ == "OK" and len(data[0][1]) > 100 * 1024, "imaplib fetches the 114 KB message over STARTTLS")
    a.logout()
    b.logout()

    # --- curl --------------------------------------------------------------------------------
    base = f"127.0.0.1:{ports['POP3']}"
    r = run(["curl", "-s", "--ssl-reqd", "-k", f"pop3://{base}/", "-u", "info@tuodominio.it:segreta"])
    check(len(r.stdout.split("\n")) >= 7 and r.stdout.startswith("1 "), "curl pop3:// LIST over STLS")
    r = run(["curl", "-s", "-k", f"pop3s://127.0.0.1:{ports['POP3S']}/2", "-u", "info@tuodominio.it:segreta"])
    check("Subject: Ordine 42" in r.stdout, "curl pop3s:// RETR 2")
    r = run(["curl", "-s", "-k", f"pop3s://127.0.0.1:{ports['POP3S']}/", "-u", "info@tuodominio.it:segreta", "-X", "UIDL"])
    check(len(re.findall(r"^\d+ [0-9a-f]{16}", r.stdout, re.M)) == 7, "curl UIDL")
    r = run(["curl", "-s", "-k", f"pop3s://127.0.0.1:{ports['POP3S']}/", "-u", "info@tuodominio.it:segreta", "-X", "TOP 1 0"])
    check("Subject: Benvenuto" in r.stdout, "curl TOP")
    imaps = f"imaps://127.0.0.1:{ports['IMAPS']}"
    r = run(["curl", "-s", "-k", f"{imaps}/", "-u", "info@tuodominio.it:segreta"])
    check('"/" Trash' in r.stdout, "curl imaps:// LIST")
    r = run(["curl", "-s", "-k", f"{imaps}/INBOX;UID=2", "-u", "info@tuodominio.it:segreta"])
    check("Subject: Ordine 42" in r.stdout, "curl fetch by UID")
    r = run(["curl", "-s", "-k", f"{imaps}/INBOX", "-u", "info@tuodominio.it:segreta", "-X", "UID SEARCH SUBJECT Ordine"])
    check(r.stdout.strip() == "* SEARCH 2", f"curl custom command: {r.stdout!r}")
    msg = os.path.join(TMP, "upload.eml")
    open(msg, "w", newline="").write("From: curl@example.com\r\nSubject: caricato con curl\r\n\r\nciao\r\n")
    r = run(["curl", "-s", "-k", f"{imaps}/Sent", "-u", "info@tuodominio.it:segreta", "-T", msg])
    r2 = run(["curl", "-s", "-k", f"{imaps}/Sent", "-u", "info@tuodominio.it:segreta", "-X", "SEARCH SUBJECT caricato"])
    check(r.returncode == 0 and r2.stdout.strip() == "* SEARCH 1", "curl upload with -T lands in Sent")
    r = run(["curl", "-s", "-k", f"pop3s://127.0.0.1:{ports['POP3S']}/7", "-u", "info@tuodominio.it:segreta", "-X", "DELE", "-I"])
    check(pop_count(ports) == 6, "curl DELE removed one message")

    # --- openssl s_client --------------------------------------------------------------------
    for proto, port, say in (("imap", ports["IMAP"], "a LOGOUT\n"), ("pop3", ports["POP3"], "QUIT\n")):
        r = run(["openssl", "s_client", "-quiet", "-starttls", proto, "-connect", f"127.0.0.1:{port}"], input=say)
        check("signing off" in r.stdout or "LOGOUT completed" in r.stdout, f"openssl s_client -starttls {proto}")
    for name, say in (("IMAPS", "a LOGOUT\n"), ("POP3S", "QUIT\n")):
        r = run(["openssl", "s_client", "-quiet", "-connect", f"127.0.0.1:{ports[name]}"], input=say)
        check("signing off" in r.stdout or "LOGOUT completed" in r.stdout, f"openssl s_client implicit TLS ({name})")

    # --- many connections at once, wrong password delay, a client vanishing mid-literal -------
    many = [imaplib.IMAP4("127.0.0.1", ports["IMAP"]) for _ in range(20)]
    for c in many:
        c.login("info", "segreta")
    check(all(c.select("INBOX")[0] == "OK" for c in many), "20 IMAP connections at once")
    for c in many:
        c.logout()
    t = time.time()
    p = poplib.POP3("127.0.0.1", ports["POP3"])
    p.user("info")
    try:
        p.pass_("wrong")
    except poplib.error_proto:
        pass
    p.user("info")
    p.pass_("segreta")
    check(time.time() - t >= 0.9, f"after a wrong password the next answer waits ({time.time() - t:.2f} s)")
    p.quit()
    s = socket.create_connection(("127.0.0.1", ports["IMAP"]))
    s.recv(1000)
    s.sendall(b"a LOGIN info segreta\r\nb APPEND INBOX {500}\r\n")
    time.sleep(0.2)
    s.sendall(b"From: x\r\n\r\nonly part of the literal")
    s.close()
    time.sleep(0.2)
    check(pop_count(ports) == 6, "a client gone mid-literal stored nothing and broke nothing")

    # --- fetchmail ------------------------------------------------------------------------------
    if shutil.which("fetchmail"):
        home = os.path.join(TMP, "fm")
        os.makedirs(home)
        mbox = os.path.join(home, "mbox")
        rc = os.path.join(home, "fetchmailrc")
        def fetchmail(proto, port, keep):
            open(rc, "w").write(
                f"set no syslog\npoll 127.0.0.1 protocol {proto} port {port} uidl\n"
                f"  user 'info@tuodominio.it' there with password 'segreta' is 'me' here\n"
                f"  {'keep' if keep else 'nokeep fetchall'} sslproto '' mda \"/bin/sh -c 'cat >> {mbox}'\"\n")
            os.chmod(rc, 0o600)
            return run(["fetchmail", "-f", rc, "--idfile", os.path.join(home, "ids"), "--nosyslog",
                        "--pidfile", os.path.join(home, "pid")], env=dict(os.environ, HOME=home))
        r = fetchmail("POP3", ports["POP3"], keep=True)
        first = open(mbox).read().count("\nSubject: ") if os.path.exists(mbox) else 0
        r2 = fetchmail("POP3", ports["POP3"], keep=True)
        second = open(mbox).read().count("\nSubject: ")
        check(first == 6 and second == 6 and r2.returncode == 1, f"fetchmail keep+uidl: 6 then nothing new ({first}, {second}, rc {r2.returncode})")
        r = fetchmail("IMAP", ports["IMAP"], keep=True)
        check(r.returncode in (0, 1) and "message" in (r.stdout + r.stderr), f"fetchmail IMAP: {r.stderr.strip()[-120:]}")
        r = fetchmail("POP3", ports["POP3"], keep=False)
        check(pop_count(ports) == 0, "fetchmail delete mode empties the server")
    else:
        check(False, "fetchmail is not installed (scripts/setup installs it)")

    # --- mbsync ---------------------------------------------------------------------------------
    if shutil.which("mbsync"):
        # Fresh mail to sync: deliver through IMAP APPEND.
        a = imaplib.IMAP4_SSL("127.0.0.1", ports["IMAPS"], ssl_context=CTX)
        a.login("info", "segreta")
        for i in range(3):
            a.append("INBOX", None, None, f"From: a@b.c\r\nSubject: per mbsync {i}\r\n\r\nx\r\n".encode())
        home = os.path.join(TMP, "mb")
        maildir = os.path.join(home, "Mail")
        os.makedirs(maildir)
        cfg = os.path.join(home, "mbsyncrc")
        open(cfg, "w").write(
            f"IMAPAccount postino\nHost 127.0.0.1\nPort {ports['IMAPS']}\nUser info@tuodominio.it\nPass segreta\n"
            f"SSLType IMAPS\nCertificateFile {os.path.join(TMP, 'config', 'postino', 'cert.pem')}\n\n"
            f"IMAPStore remote\nAccount postino\n\nMaildirStore local\nPath {maildir}/\nInbox {maildir}/INBOX\nSubFolders Verbatim\n\n"
            f"Channel sync\nFar :remote:\nNear :local:\nPatterns *\nCreate Both\nExpunge Both\nSyncState *\n")
        r = run(["mbsync", "-c", cfg, "-a"], env=dict(os.environ, HOME=home))
        got = os.listdir(os.path.join(maildir, "INBOX", "cur")) + os.listdir(os.path.join(maildir, "INBOX", "new")) if os.path.isdir(os.path.join(maildir, "INBOX")) else []
        check(r.returncode == 0 and len(got) == 3, f"mbsync pulled INBOX into a Maildir ({len(got)} messages) {r.stderr.strip()[-200:]}")
        # Local changes: mark one as flagged (F) and add a new message, then sync again.
        if got:
            cur = os.path.join(maildir, "INBOX", "cur")
            new_dir = os.path.join(maildir, "INBOX", "new")
            src = os.path.join(cur, got[0]) if os.path.exists(os.path.join(cur, got[0])) else os.path.join(new_dir, got[0])
            base = got[0].split(":2,")[0]
            os.rename(src, os.path.join(cur, base + ":2,FS"))
            open(os.path.join(new_dir, "local-1"), "w").write("From: me@x\r\nSubject: scritto offline\r\n\r\nciao\r\n")
        r = run(["mbsync", "-c", cfg, "-a"], env=dict(os.environ, HOME=home))
        a.select("INBOX")
        typ, flagged = a.search(None, "FLAGGED")
        typ, offline = a.search(None, "SUBJECT", '"scritto offline"')
        check(r.returncode == 0 and len(flagged[0].split()) >= 1 and len(offline[0].split()) == 1,
              f"mbsync pushed a local flag and a new local message back ({flagged}, {offline})")
        a.logout()
    else:
        check(False, "mbsync is not installed (scripts/setup installs isync)")
finally:
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=10)
        check(proc.returncode == 0 and "Postino stopped." in out, "Ctrl+C stops the server cleanly")
    except subprocess.TimeoutExpired:
        proc.kill()
        check(False, "the server did not stop on SIGINT")
    shutil.rmtree(TMP, ignore_errors=True)

print(f"real clients: {'all passed' if not failures else f'{len(failures)} failed'}")
sys.exit(1 if failures else 0)
