#!/usr/bin/env python3
"""The same IMAP commands against `postino serve` and against Debian's Dovecot, answers compared.

usage: dovecot_compare.py POSTINO [--show]

Reads tests/interop/dovecot_compare.imap (sessions, tags, commands and the messages they append),
plays it against a private Dovecot (started as dovecot_engines.py does) and against
`postino serve`, normalises both transcripts (UIDVALIDITY, server names and the free text after a
status or a response code, which RFC 3501 leaves to each server) and compares them command by
command. Every command whose answers differ must be listed, with its reason, in
tests/interop/dovecot_differences.md; an unlisted difference fails, and so does a listed one that
no longer differs (the file must stay true). --show prints both transcripts of each difference.
Skips with a clear message (exit 0) when Dovecot is missing or cannot start.
"""
import os
import re
import shutil
import socket
import sys
import tempfile

from harness import find_dovecot, free_port, start_dovecot, start_postino, stop

HERE = os.path.dirname(os.path.abspath(__file__))
POSTINO = sys.argv[1]
SHOW = "--show" in sys.argv[2:]


def skip(why):
    print("dovecot compare: skipped:", why)
    sys.exit(0)


# --- the command list ---------------------------------------------------------------------------
# "@msg NAME" ... "@end" defines a message (LF lines become CRLF); "S TAG command" sends a command
# on session S (A, B...), where "{msg:NAME}" becomes a literal; "#" starts a comment.
def load_script(path):
    messages, commands = {}, []
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("@msg "):
            name, body = line.split()[1], []
            while lines[i] != "@end":
                body.append(lines[i])
                i += 1
            i += 1
            messages[name] = ("\r\n".join(body) + "\r\n").encode()
        elif line.strip() and not line.startswith("#"):
            session, tag, command = line.split(" ", 2)
            commands.append((session, tag, command))
    return messages, commands


class Conn:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""
        self.greeting = self.line()

    def line(self):
        """One response line, literals inline."""
        out = b""
        while True:
            while b"\r\n" not in self.buf:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise EOFError("connection closed")
                self.buf += chunk
            part, self.buf = self.buf.split(b"\r\n", 1)
            out += part
            m = re.search(rb"\{(\d+)\}$", part)
            if not m:
                return out
            n = int(m.group(1))
            while len(self.buf) < n:
                self.buf += self.sock.recv(65536)
            out += b"\r\n" + self.buf[:n]
            self.buf = self.buf[n:]

    def command(self, tag, text, messages):
        pieces = re.split(r"\{msg:(\w+)\}", text)
        data = (tag + " " + pieces[0]).encode()
        for k in range(1, len(pieces), 2):
            body = messages[pieces[k]]
            self.sock.sendall(data + b"{%d}\r\n" % len(body))
            cont = self.line()
            if not cont.startswith(b"+"):
                return [cont]
            data = body + pieces[k + 1].encode()
        self.sock.sendall(data + b"\r\n")
        answer = []
        while True:
            try:
                l = self.line()
            except (EOFError, OSError):
                answer.append(b"(connection closed)")
                return answer
            answer.append(l)
            if l.startswith(tag.encode() + b" "):
                return answer


def play(port, messages, commands):
    conns, out = {}, []
    for session, tag, command in commands:
        if session not in conns:
            conns[session] = Conn(port)
        out.append((tag, command, conns[session].command(tag, command, messages)))
    for c in conns.values():
        c.sock.close()
    return out


def normalise(lines):
    out = []
    for l in lines:
        s = l.decode("utf-8", "replace")
        s = re.sub(r"UIDVALIDITY \d+", "UIDVALIDITY <v>", s)
        s = re.sub(r"\[(APPENDUID|COPYUID) \d+", r"[\1 <v>", s)
        # Free text after a status (RFC 3501 resp-text) is each server's own prose.
        s = re.sub(r"^(\S+ (?:OK|NO|BAD|BYE|PREAUTH))(?: \[([^\]]*)\])?.*$",
                   lambda m: m.group(1) + (" [" + m.group(2) + "]" if m.group(2) is not None else ""), s)
        s = re.sub(r"^(\S+ (?:OK|NO|BAD) \[CAPABILITY)[^\]]*\]", r"\1 ...]", s)
        out.append(s)
    # The order of LIST and LSUB answers is each server's own (RFC 3501 6.3.8).
    k = 0
    while k < len(out):
        j = k
        while j < len(out) and re.match(r"\* (LIST|LSUB) ", out[j]):
            j += 1
        out[k:j] = sorted(out[k:j])
        k = max(j, k + 1)
    return out


# --- Dovecot, privately -------------------------------------------------------------------------
def run_dovecot(tmp):
    dovecot = find_dovecot(skip)
    port = free_port()
    # The folders Postino's accounts have (sim/mail/store.cpp), all subscribed.
    specials = """
  mailbox INBOX {
    auto = subscribe
  }""" + "".join(f"""
  mailbox {name} {{
    special_use = \\{name}
    auto = subscribe
  }}""" for name in ("Drafts", "Sent", "Junk", "Trash"))
    proc, why = start_dovecot(dovecot, tmp, f"""
protocols = imap
namespace inbox {{
  inbox = yes
  separator = /
  {specials}
}}
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
""", port)
    if not proc:
        skip(why)
    return proc, port


def reviewed_tags(path):
    """Tags listed in the differences file: list items that start with `TAG`, `TAG`..."""
    tags = set()
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\s*[-*] ((?:`[^`]+`(?:, )?)+)", line)
        if m:
            tags.update(re.findall(r"`([^`]+)`", m.group(1)))
    return tags


def main():
    messages, commands = load_script(os.path.join(HERE, "dovecot_compare.imap"))
    tmp = tempfile.mkdtemp(prefix="postino-compare-")
    os.chmod(tmp, 0o755)
    dproc = pproc = None
    try:
        dproc, dport = run_dovecot(os.path.join(tmp, "dovecot"))
        theirs = play(dport, messages, commands)
        pproc, ports = start_postino(POSTINO, tmp, "imap")
        pport = ports["IMAP"]
        ours = play(pport, messages, commands)
    finally:
        for p in (dproc, pproc):
            if p:
                stop(p)
        shutil.rmtree(tmp, ignore_errors=True)
    differing = []
    for (tag, command, d), (_, _, p) in zip(theirs, ours):
        nd, np_ = normalise(d), normalise(p)
        if nd == np_:
            continue
        differing.append(tag)
        if SHOW:
            print(f"=== {tag} {command}")
            print("  dovecot:\n" + "\n".join("    " + l for l in nd))
            print("  postino:\n" + "\n".join("    " + l for l in np_))
    reviewed = reviewed_tags(os.path.join(HERE, "dovecot_differences.md"))
    unexplained = [t for t in differing if t not in reviewed]
    stale = sorted(reviewed - set(differing))
    print(f"dovecot compare: {len(commands)} commands, {len(differing)} answered differently "
          f"({', '.join(differing) or 'none'})")
    if unexplained:
        print("FAIL: differences not in dovecot_differences.md (run with --show):", ", ".join(unexplained))
    if stale:
        print("FAIL: dovecot_differences.md lists commands that now answer the same:", ", ".join(stale))
    sys.exit(1 if unexplained or stale else 0)


main()
