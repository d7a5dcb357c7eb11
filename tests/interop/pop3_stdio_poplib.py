#!/usr/bin/env python3
"""A real POP3 client, Python's poplib, against `postino serve --stdio pop3` over a socketpair.

Checks the results, not only that commands succeed: STAT, LIST, UIDL, TOP, RETR (dot-stuffed
lines restored), DELE, a QUIT-less session that deletes nothing, and deletion at QUIT.
The demo store is fresh in each `postino serve` process.
"""
import poplib
import socket
import subprocess
import sys

POSTINO = sys.argv[1]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


class StdioPOP3(poplib.POP3):
    """poplib.POP3 talking to one `postino serve --stdio pop3` process."""

    def __init__(self):
        ours, theirs = socket.socketpair()
        self.proc = subprocess.Popen([POSTINO, "serve", "--stdio", "pop3"],
                                     stdin=theirs, stdout=theirs)
        theirs.close()
        self._pair = ours
        super().__init__("postino-stdio", timeout=10)

    def _create_socket(self, timeout):
        self._pair.settimeout(timeout)
        return self._pair

    def wait(self):
        return self.proc.wait(timeout=10)


# Session 1: look at everything, delete two messages, QUIT.
p = StdioPOP3()
check(p.getwelcome().startswith(b"+OK Postino POP3 server ready <"), "greeting")
caps = p.capa()
check("UIDL" in caps and "TOP" in caps and "SASL" in caps, f"CAPA: {caps}")
p.user("info@tuodominio.it")
p.pass_("segreta")
count, octets = p.stat()
check(count == 7, f"STAT count {count}")
resp, listing, _ = p.list()
sizes = {int(n): int(s) for n, s in (l.split() for l in listing)}
check(len(sizes) == 7 and sum(sizes.values()) == octets, f"LIST {sizes} vs STAT {octets}")
resp, uidls, _ = p.uidl()
uidl = {int(n): u for n, u in (l.split() for l in uidls)}
check(len(set(uidl.values())) == 7, "UIDLs are unique")
check(all(0x21 <= c <= 0x7E for u in uidl.values() for c in u), "UIDL characters")

bodies = {}
for n in sizes:
    resp, lines, got = p.retr(n)
    text = b"\r\n".join(lines) + b"\r\n"
    bodies[n] = text
    check(resp.startswith(b"+OK %d octets" % sizes[n]), f"RETR {n}: {resp}")
    check(len(text) == sizes[n], f"RETR {n}: {len(text)} octets, LIST said {sizes[n]}")

htaccess = [n for n, t in bodies.items() if b"Subject: Re: the .htaccess" in t]
check(len(htaccess) == 1, "the dot-line sample is there")
if htaccess:
    lines = bodies[htaccess[0]].split(b"\r\n")
    check(b".htaccess" in lines and b"..hidden-with-two-dots" in lines and b"." in lines,
          "dot-stuffed lines come back as they were")
big = [n for n, s in sizes.items() if s > 100 * 1024]
check(len(big) == 1, "one message larger than 100 KB")

resp, top, _ = p.top(1, 2)
header_end = top.index(b"")
check(len(top) - header_end - 1 == 2, f"TOP 1 2 gave {len(top) - header_end - 1} body lines")
check(p.dele(1).startswith(b"+OK"), "DELE 1")
check(p.dele(2).startswith(b"+OK"), "DELE 2")
try:
    p.retr(1)
    check(False, "RETR of a deleted message must fail")
except poplib.error_proto as e:
    check(b"already deleted" in e.args[0], f"RETR deleted: {e}")
check(p.stat()[0] == 5, "STAT after DELE")
check(p.quit().startswith(b"+OK"), "QUIT")
check(p.wait() == 0, "server exit code")

# Session 2: DELE, then the client vanishes without QUIT: nothing may be deleted.
p = StdioPOP3()
p.user("info")
p.pass_("segreta")
p.dele(1)
p._pair.shutdown(socket.SHUT_RDWR)  # poplib keeps a file on it: close() would not hang up
p.wait()
p = StdioPOP3()
p.user("info")
p.pass_("segreta")
check(p.stat()[0] == 7, "a QUIT-less session deleted nothing (fresh demo store)")
try:
    p.user("x")
    check(False, "USER in TRANSACTION must fail")
except poplib.error_proto:
    pass
p.quit()
p.wait()

# Session 3: wrong password.
p = StdioPOP3()
p.user("info@tuodominio.it")
try:
    p.pass_("nope")
    check(False, "a wrong password must fail")
except poplib.error_proto as e:
    check(e.args[0].startswith(b"-ERR [AUTH]"), f"wrong password: {e}")
p.quit()
p.wait()

print(f"poplib interop: {'all passed' if not failures else f'{len(failures)} failed'}")
sys.exit(1 if failures else 0)
