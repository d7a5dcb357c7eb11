#!/usr/bin/env python3
"""A real IMAP client, Python's imaplib, against `postino serve --stdio imap` over a socketpair.

Checks results, not only status: login, capability, list (special-use), select, fetch (flags,
envelope, bodystructure, BODY.PEEK and BODY[] with \\Seen), store, search, append with a literal,
copy, move, expunge, keywords (STORE, FETCH, SEARCH, COPY, APPEND), SEARCH HEADER, LSUB, idle (by hand: imaplib has no IDLE before Python 3.14), status, quota,
a modified UTF-7 folder, logout.
"""
import imaplib
import re
import socket
import subprocess
import sys

POSTINO = sys.argv[1]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


class StdioIMAP(imaplib.IMAP4):
    def __init__(self):
        ours, theirs = socket.socketpair()
        self.proc = subprocess.Popen([POSTINO, "serve", "--stdio", "imap"], stdin=theirs,
                                     stdout=theirs)
        theirs.close()
        self._pair = ours
        super().__init__("postino-stdio")

    def _create_socket(self, timeout):
        self._pair.settimeout(10)
        return self._pair


m = StdioIMAP()
check("IDLE" in m.capabilities and "AUTH=PLAIN" in m.capabilities, f"greeting caps {m.capabilities}")
typ, _ = m.login("info@tuodominio.it", "segreta")
check(typ == "OK", "LOGIN")
typ, caps = m.capability()
for cap in (b"MOVE", b"UIDPLUS", b"SPECIAL-USE", b"QUOTA", b"NAMESPACE", b"LITERAL+"):
    check(cap in caps[0], f"capability {cap} after login")

typ, folders = m.list()
names = {f.decode().split(' "/" ')[1].strip('"'): f.decode() for f in folders}
check(set(names) >= {"INBOX", "Sent", "Trash", "Drafts", "Junk"}, f"LIST {list(names)}")
check("\\Trash" in names.get("Trash", ""), "Trash has \\Trash")

typ, data = m.select("INBOX")
check(typ == "OK" and data[0] == b"7", f"SELECT INBOX: {data}")
check(m.untagged_responses.get("UIDVALIDITY") is not None, "UIDVALIDITY")

typ, data = m.fetch("1:*", "(UID FLAGS RFC822.SIZE)")
sizes = [int(re.search(rb"RFC822.SIZE (\d+)", d).group(1)) for d in data]
check(len(sizes) == 7, f"FETCH 1:* gave {len(sizes)}")

typ, data = m.uid("FETCH", "2", "(BODY.PEEK[] FLAGS)")
body = data[0][1]
check(body.startswith(b"From: Giulia Rossi") and len(body) == sizes[1], "UID FETCH BODY.PEEK[]")
check(b"\\Seen" not in data[0][0], "BODY.PEEK does not set \\Seen")
typ, data = m.fetch("2", "(BODY[])")
check(b"\\Seen" in b"".join(d if isinstance(d, bytes) else d[0] for d in data),
      "BODY[] sets \\Seen and reports FLAGS")
typ, data = m.fetch("2", "(FLAGS)")
check(b"\\Seen" in data[0], "\\Seen stays")

typ, data = m.fetch("3", "(ENVELOPE)")
check(b'"=?UTF-8?Q?Perch=C3=A9_la_posta' in data[0], "ENVELOPE keeps the raw encoded subject")
typ, data = m.fetch("6", "(BODYSTRUCTURE)")
check(b'"mixed"' in data[0].lower() and b'"attachment"' in data[0].lower(), "BODYSTRUCTURE of the attachment")
typ, data = m.fetch("6", "(BODY.PEEK[2]<0.20>)")
check(data[0][1] == b"Y29kaWNlO3Byb2RvdHRv", f"partial BODY[2]: {data[0][1]!r}")

typ, data = m.search(None, "UNSEEN")
check(data[0].split() == [b"1", b"3", b"4", b"5", b"6", b"7"], f"SEARCH UNSEEN: {data}")
typ, data = m.uid("SEARCH", None, "FROM", '"Giulia"')
check(data[0] == b"2", f"UID SEARCH FROM: {data}")
typ, data = m.search(None, "OR", "SUBJECT", "Ordine", "LARGER", "100000")
check(data[0] == b"2 6", f"SEARCH OR: {data}")

typ, data = m.store("1", "+FLAGS", "(\\Flagged)")
check(b"\\Flagged" in data[0], f"STORE: {data}")

msg = b"From: me@tuodominio.it\r\nSubject: appended\r\n\r\nhello\r\n"
typ, data = m.append("Sent", "(\\Seen)", None, msg)
check(typ == "OK" and b"APPENDUID" in data[0], f"APPEND: {data}")
typ, data = m.status("Sent", "(MESSAGES UNSEEN UIDNEXT)")
check(b"MESSAGES 1" in data[0] and b"UNSEEN 0" in data[0], f"STATUS Sent: {data}")

typ, data = m.uid("COPY", "1", "Sent")
typ2, copyuid = m.response("COPYUID")
check(typ == "OK" and copyuid and copyuid[0].split()[1:] == [b"1", b"2"], f"UID COPY: {copyuid}")
typ, data = m.uid("MOVE", "4", "Trash")
check(typ == "OK", f"UID MOVE: {data}")
check(m.untagged_responses.get("EXPUNGE") == [b"4"], f"MOVE expunged 4: {m.untagged_responses}")
typ, data = m.select("INBOX")
check(data[0] == b"6", f"after MOVE INBOX has {data}")

typ, data = m.store("1", "+FLAGS", "(\\Deleted)")
typ, data = m.expunge()
check(data == [b"1"], f"EXPUNGE: {data}")

typ, data = m.create("Entw&APw-rfe")
check(typ == "OK", "CREATE modified UTF-7")
typ, data = m.list('""', "Entw*")  # imaplib sends an empty argument as nothing
check(len(data) == 1 and b"Entw&APw-rfe" in data[0], f"LIST Entw*: {data}")
typ, data = m.create("bad&name")
check(typ == "NO" and b"modified UTF-7" in data[0], f"invalid modified UTF-7: {typ} {data}")

typ, data = m.getquotaroot("INBOX")
check(typ == "OK" and b"STORAGE" in data[1][0], f"GETQUOTAROOT: {data}")

# Keywords: kept, listed, searched, announced in FLAGS and PERMANENTFLAGS (\\*), kept by COPY.
typ, data = m.select("INBOX")
check(b"\\*" in b" ".join(m.untagged_responses.get("OK", [])), "PERMANENTFLAGS offers \\*")
typ, data = m.store("2", "+FLAGS", "($Forwarded $label1)")
check(typ == "OK" and b"$Forwarded $label1" in data[0], f"STORE keywords: {data}")
check(b"$label1" in m.untagged_responses.get("FLAGS", [b""])[-1], f"FLAGS lists the new keywords: {m.untagged_responses.get('FLAGS')}")
typ, data = m.fetch("2", "(FLAGS)")
check(b"$Forwarded" in data[0] and b"$label1" in data[0], f"FETCH FLAGS keeps keywords: {data}")
typ, data = m.search(None, "KEYWORD", "$LABEL1")
check(data[0] == b"2", f"SEARCH KEYWORD: {data}")
typ, data = m.search(None, "UNKEYWORD", "$Forwarded")
check(data[0] == b"1 3 4 5", f"SEARCH UNKEYWORD: {data}")
typ, data = m.store("2", "-FLAGS", "($label1)")
check(typ == "OK" and b"$label1" not in data[0] and b"$Forwarded" in data[0], f"STORE -FLAGS keyword: {data}")
try:
    m.store("2", "+FLAGS", "(\\Recent)")
    check(False, "\\Recent cannot be stored")
except imaplib.IMAP4.error as e:
    check("BAD" in str(e), f"\\Recent cannot be stored: {e}")
typ, data = m.copy("2", "Drafts")
typ, data = m.append("Drafts", "($Draft1 \\Seen)", None, msg)
typ, data = m.status("Drafts", "(MESSAGES)")
m.select("Drafts")
typ, data = m.fetch("1:*", "(FLAGS)")
check(b"$Forwarded" in data[0] and b"$Draft1" in data[1], f"COPY and APPEND keep keywords: {data}")

# SEARCH HEADER: any field, "" = present.
typ, data = m.select("INBOX")
typ, data = m.search(None, "HEADER", "Message-ID", '""')
check(data[0] == m.search(None, "ALL")[1][0], f"SEARCH HEADER Message-ID \"\": {data}")
typ, data = m.search(None, "HEADER", "X-No-Such-Field", '""')
check(data[0] == b"", f"SEARCH HEADER absent field: {data}")
typ, data = m.search(None, "HEADER", "From", "GIULIA")
check(data[0] == b"1", f"SEARCH HEADER From: {data}")

# LSUB: a subscribed folder under an unsubscribed parent; the parent as \\Noselect for "%".
m.create("Lavoro/Clienti")
m.unsubscribe("Lavoro")
typ, data = m.subscribe("Lavoro/Clienti")
check(typ == "OK", f"SUBSCRIBE: {data}")
typ, data = m.lsub('""', "%")
check(any(b"(\\Noselect)" in d and d.endswith(b"Lavoro") for d in data), f"LSUB %: {data}")
check(not any(b"Clienti" in d for d in data), f"LSUB % stops at the first level: {data}")
typ, data = m.lsub('""', "*")
check(any(d.endswith(b"Lavoro/Clienti") for d in data) and any(b"(\\Trash)" in d for d in data), f"LSUB *: {data}")
typ, data = m.subscribe("Nessuna")
check(typ == "NO", f"SUBSCRIBE to a missing folder: {typ}")

# CONDSTORE / QRESYNC (RFC 7162): a change since the saved mod-sequence comes back in the SELECT.
m.unselect()  # ENABLE belongs to the authenticated state (RFC 5161)
typ, data = m.enable("QRESYNC")
check(typ == "OK" and m.untagged_responses.get("ENABLED") == [b"QRESYNC"], f"ENABLE QRESYNC: {m.untagged_responses}")
typ, data = m.select("INBOX")
uidvalidity = int(m.untagged_responses["UIDVALIDITY"][0])
modseq = int(re.search(rb"\[HIGHESTMODSEQ (\d+)\]", b" ".join(m.untagged_responses.get("OK", []))).group(1))
typ, data = m.uid("STORE", "2", "+FLAGS", "(\\Flagged)")
check(typ == "OK" and b"MODSEQ" in data[0], f"STORE reports MODSEQ: {data}")
typ, data = m.uid("FETCH", "1:*", f"(FLAGS) (CHANGEDSINCE {modseq})")
check(typ == "OK" and len(data) == 1 and b"UID 2 " in data[0], f"FETCH CHANGEDSINCE: {data}")
typ, data = m._simple_command("SELECT", f"INBOX (QRESYNC ({uidvalidity} {modseq}))")
fetched = m.untagged_responses.get("FETCH", [])
check(typ == "OK" and len(fetched) == 1 and b"\\Flagged" in fetched[0], f"SELECT QRESYNC: {fetched}")

# IDLE by hand.
tag = m._new_tag().decode()
m.send(f"{tag} IDLE\r\n".encode())
check(m.readline().startswith(b"+ "), "IDLE continuation")
m.send(b"DONE\r\n")
line = m.readline()
check(line.startswith(f"{tag} OK".encode()), f"IDLE DONE: {line}")

typ, data = m.logout()
check(typ == "BYE", f"LOGOUT: {typ}")
check(m.proc.wait(timeout=10) == 0, "server exit code")

m = StdioIMAP()
try:
    m.login("info@tuodominio.it", "wrong")
    check(False, "a wrong password must fail")
except imaplib.IMAP4.error as e:
    check("AUTHENTICATIONFAILED" in str(e), f"wrong password: {e}")
m.logout()
m.proc.wait(timeout=10)

print(f"imaplib interop: {'all passed' if not failures else f'{len(failures)} failed'}")
sys.exit(1 if failures else 0)
