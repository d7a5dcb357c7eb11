#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (tests/fuzz/TARGET/seed-*) from the golden sessions,
the sample mail and the lesson scenarios: python3 tests/fuzz/seeds.py. Inputs kept because they
once were findings live beside them as TARGET/finding-*, and are never rewritten here."""
import glob
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FUZZ = os.path.join(ROOT, "tests", "fuzz")


def write(target, name, data):
    d = os.path.join(FUZZ, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def session_lines(path, client):
    """The client's (C:, C1:, C2:) or the server's (S:, S1:) lines of a golden session."""
    out = []
    for line in open(path, encoding="utf-8", errors="surrogateescape").read().split("\n"):
        head, sep, rest = line.partition(":")
        if not sep or head.startswith("#"):
            continue
        rest = rest[1:] if rest.startswith(" ") else rest
        if client and head in ("C", "C1"):
            out.append(rest)
        elif client and head == "C2":
            out.append("2|" + rest)
        elif not client and head in ("S", "S1"):
            out.append(rest)
    return ("\r\n".join(out) + "\r\n").encode("utf-8", "surrogateescape")


for proto in ("imap", "pop3"):
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "sim", proto, "sessions", "*.txt"))):
        name = os.path.basename(path)
        write(proto + "_server", name, session_lines(path, True))
        write(proto + "_client", name, session_lines(path, False))
for path in sorted(glob.glob(os.path.join(ROOT, "assets", "mail", "*.eml"))):
    write("mime", os.path.basename(path), open(path, "rb").read())
for path in sorted(glob.glob(os.path.join(ROOT, "lessons", "scenarios", "*.txt"))):
    write("scenario", os.path.basename(path), open(path, "rb").read())
