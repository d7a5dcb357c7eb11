#!/usr/bin/env python3
"""Load and soak test of `postino serve` on loopback (a benchmark, not a CTest test).

    bench/load.py build/release/cli/postino [--clients 200] [--seconds 60] [--out FILE]
    bench/load.py build/release/cli/postino --soak          # 10 minutes, outside CI

Half the clients speak IMAP, half POP3, each in a loop of whole sessions for the duration:
IMAP LOGIN, SELECT, FETCH flags, FETCH a body, STORE a flag on and off, APPEND and EXPUNGE
(so the store's change log and expunge records keep growing if nothing trims them), LOGOUT;
POP3 USER/PASS, STAT, UIDL, RETR, QUIT (messages left on the server), each POP3 client on a
mailbox of its own (POP3 locks the maildrop). Reports failed sessions (must be 0), latency
percentiles per command and the server's RSS at start, middle and end (must plateau).
"""
import argparse
import imaplib
import os
import poplib
import re
import subprocess
import sys
import tempfile
import threading
import time

ap = argparse.ArgumentParser()
ap.add_argument("postino")
ap.add_argument("--clients", type=int, default=200)
ap.add_argument("--seconds", type=int, default=60)
ap.add_argument("--soak", action="store_true", help="10 minutes")
ap.add_argument("--out", help="append the report to this file")
args = ap.parse_args()
if args.soak:
    args.seconds = 600
n_imap = args.clients // 2
n_pop = args.clients - n_imap
IMAP_ACCOUNTS = 10

# The served mailboxes: a scenario with an account per POP3 client and a few for IMAP.
lines = ['title "load"', f"server tuodominio.it mailboxes {n_pop + IMAP_ACCOUNTS + 1}"]
for i in range(n_pop):
    lines.append(f'account pop{i:03}@tuodominio.it password "pw"')
for i in range(IMAP_ACCOUNTS):
    lines.append(f'account imap{i:02}@tuodominio.it password "pw"')
for i in range(n_pop):
    lines.append(f'deliver to pop{i:03}@tuodominio.it subject "Load" size 4KB count 3')
for i in range(IMAP_ACCOUNTS):
    lines.append(f'deliver to imap{i:02}@tuodominio.it subject "Load" size 4KB count 20')
scenario = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)
scenario.write("\n".join(lines) + "\n")
scenario.close()

tls_dir = tempfile.mkdtemp(prefix="postino-load-")
env = dict(os.environ, XDG_CONFIG_HOME=tls_dir)
proc = subprocess.Popen([args.postino, "serve", "--scenario", scenario.name, "--pop3", "0", "--imap", "0",
                         "--pop3s", "-1", "--imaps", "-1", "--max-connections", str(args.clients + 50),
                         "--max-per-address", str(args.clients + 50)],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
ports = {}
while len(ports) < 2:
    line = proc.stdout.readline()
    if not line:
        sys.exit("postino serve did not start")
    m = re.match(r"\s+(POP3|IMAP)\s+port (\d+)", line)
    if m:
        ports[m.group(1)] = int(m.group(2))


def rss_kb():
    with open(f"/proc/{proc.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


lock = threading.Lock()
latency = {}  # command -> [seconds]
sessions = {"IMAP": [0, 0], "POP3": [0, 0]}  # ok, failed
errors = []
stop_at = time.time() + args.seconds


def timed(name, f, *a):
    t = time.perf_counter()
    r = f(*a)
    dt = time.perf_counter() - t
    with lock:
        latency.setdefault(name, []).append(dt)
    return r


def expect_ok(r, what):
    if r[0] != "OK":
        raise RuntimeError(f"{what}: {r}")


def imap_client(k):
    user = f"imap{k % IMAP_ACCOUNTS:02}@tuodominio.it"
    while time.time() < stop_at:
        try:
            c = timed("IMAP connect", imaplib.IMAP4, "127.0.0.1", ports["IMAP"], 30)
            expect_ok(timed("IMAP LOGIN", c.login, user, "pw"), "LOGIN")
            expect_ok(timed("IMAP SELECT", c.select, "INBOX"), "SELECT")
            expect_ok(timed("IMAP FETCH flags", c.fetch, "1:*", "(UID FLAGS)"), "FETCH")
            expect_ok(timed("IMAP FETCH body", c.fetch, "1", "(BODY.PEEK[])"), "FETCH body")
            expect_ok(timed("IMAP STORE", c.store, "1", "+FLAGS", "(\\Flagged)"), "STORE")
            expect_ok(timed("IMAP STORE", c.store, "1", "-FLAGS", "(\\Flagged)"), "STORE")
            msg = b"From: load@example.com\r\nSubject: load\r\n\r\n" + b"x" * 2000 + b"\r\n"
            expect_ok(timed("IMAP APPEND", c.append, "INBOX", "(\\Deleted)", None, msg), "APPEND")
            # Only the \Deleted ones, i.e. what was just appended (by any client of this account).
            expect_ok(timed("IMAP EXPUNGE", c.expunge), "EXPUNGE")
            timed("IMAP LOGOUT", c.logout)
            with lock:
                sessions["IMAP"][0] += 1
        except Exception as e:  # noqa: BLE001 - every failure is counted and reported
            with lock:
                sessions["IMAP"][1] += 1
                errors.append(f"IMAP {user}: {e!r}")


def pop_client(k):
    user = f"pop{k:03}@tuodominio.it"
    while time.time() < stop_at:
        try:
            p = timed("POP3 connect", poplib.POP3, "127.0.0.1", ports["POP3"], 30)
            timed("POP3 USER", p.user, user)
            timed("POP3 PASS", p.pass_, "pw")
            count, _ = timed("POP3 STAT", p.stat)
            if count != 3:
                raise RuntimeError(f"STAT says {count} messages, not 3")
            timed("POP3 UIDL", p.uidl)
            timed("POP3 RETR", p.retr, 1 + k % 3)
            timed("POP3 QUIT", p.quit)
            with lock:
                sessions["POP3"][0] += 1
        except Exception as e:  # noqa: BLE001
            with lock:
                sessions["POP3"][1] += 1
                errors.append(f"POP3 {user}: {e!r}")


time.sleep(0.5)
rss = [("start", rss_kb())]
threads = [threading.Thread(target=imap_client, args=(k,)) for k in range(n_imap)]
threads += [threading.Thread(target=pop_client, args=(k,)) for k in range(n_pop)]
t0 = time.time()
for t in threads:
    t.start()
marks = [args.seconds * f for f in (0.25, 0.5, 0.75)]
for m in marks:
    time.sleep(max(0, t0 + m - time.time()))
    rss.append((f"{m:.0f} s", rss_kb()))
for t in threads:
    t.join()
rss.append(("end", rss_kb()))
proc.terminate()
proc.wait(10)


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(p / 100 * len(v)))] * 1000


out = [f"# postino serve under load: {time.strftime('%Y-%m-%d %H:%M')}, {args.clients} clients "
       f"({n_imap} IMAP, {n_pop} POP3) for {args.seconds} s, {os.cpu_count()} CPUs",
       f"sessions: IMAP {sessions['IMAP'][0]} ok {sessions['IMAP'][1]} failed, "
       f"POP3 {sessions['POP3'][0]} ok {sessions['POP3'][1]} failed",
       "latency (ms)            count     p50     p90     p99     max"]
for name in sorted(latency):
    v = latency[name]
    out.append(f"  {name:<18} {len(v):>8} {pct(v, 50):>7.1f} {pct(v, 90):>7.1f} {pct(v, 99):>7.1f} {max(v) * 1000:>7.1f}")
out.append("server RSS (MB): " + ", ".join(f"{k} {v / 1024:.1f}" for k, v in rss))
for e in errors[:10]:
    out.append("error: " + e)
report = "\n".join(out) + "\n"
print(report, end="")
if args.out:
    with open(args.out, "a") as f:
        f.write(report + "\n")
failed = sessions["IMAP"][1] + sessions["POP3"][1]
sys.exit(1 if failed else 0)
