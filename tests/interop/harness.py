"""What the interop scripts share: checks, free ports, `postino serve` and a private Dovecot.

Imported by the scripts beside it (Python puts a script's own folder on sys.path).
"""
import os
import pwd
import re
import shutil
import socket
import subprocess
import time

# The one mailbox of Postino's demo store, which the private Dovecot gets too.
USER, PASSWORD = "info@tuodominio.it", "segreta"

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_port(port, proc, tries=100):
    """Whether something listens on `port` before `proc` ends or about five seconds pass."""
    for _ in range(tries):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            if proc.poll() is not None:
                return False
            time.sleep(0.05)
    return False


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


# --- postino serve ----------------------------------------------------------------------------
SERVICES = ("pop3", "pop3s", "imap", "imaps", "smtp", "smtps")


def start_postino(postino, tmp, *on):
    """`postino serve` with its configuration under `tmp`, listening on free loopback ports for
    the services named in `on` ("imap", "smtps"...) and on no other. Returns the process and its
    ports by the names it prints ({"IMAP": 40123, ...}) once it has printed them all."""
    args = [postino, "serve"]
    for s in SERVICES:
        args += ["--" + s, "0" if s in on else "-1"]
    env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(tmp, "config"))
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    ports = {}
    while len(ports) < len(on):
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("postino serve did not start: " + proc.stderr.read())
        m = re.match(r"\s+(\w+)\s+port (\d+)", line)
        if m:
            ports[m.group(1)] = int(m.group(2))
    return proc, ports


# --- Debian's Dovecot, privately --------------------------------------------------------------
def find_dovecot(skip):
    """Dovecot's binary, or skip(why) when it is missing or cannot be started privately here."""
    dovecot = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not os.path.exists(dovecot):
        skip("dovecot is not installed (scripts/setup installs it)")
    if os.getuid() != 0:
        skip("starting a private Dovecot needs root (CI runs as root)")
    try:
        for user in ("nobody", "dovenull", "dovecot"):
            pwd.getpwnam(user)
    except KeyError as e:
        skip(f"a user Dovecot needs is missing: {e}")
    return dovecot


def start_dovecot(dovecot, tmp, conf, port, auth="plain"):
    """Dovecot in the foreground with everything under `tmp`: plain text on loopback, USER with
    PASSWORD, Maildirs owned by nobody. `conf` adds the protocols, services and namespaces.
    Returns the process once `port` answers, or None and why not (the process stopped)."""
    nobody = pwd.getpwnam("nobody")
    os.makedirs(tmp, exist_ok=True)
    os.chmod(tmp, 0o755)
    for d in ("mail", "home"):
        os.makedirs(os.path.join(tmp, d))
        os.chown(os.path.join(tmp, d), nobody.pw_uid, nobody.pw_gid)
    with open(os.path.join(tmp, "users"), "w") as f:
        f.write(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    path = os.path.join(tmp, "dovecot.conf")
    with open(path, "w") as f:
        f.write(f"""
base_dir = {tmp}/run
state_dir = {tmp}/state
log_path = {tmp}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = {auth}
listen = 127.0.0.1
mail_location = maildir:{tmp}/mail/%u
default_internal_user = dovecot
default_login_user = dovenull
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {tmp}/users
}}
userdb {{
  driver = static
  args = uid={nobody.pw_uid} gid={nobody.pw_gid} home={tmp}/home/%u
}}
""" + conf)
    proc = subprocess.Popen([dovecot, "-F", "-c", path], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    if wait_port(port, proc):
        return proc, None
    proc.poll()
    out = proc.stdout.read() if proc.returncode is not None else ""
    stop(proc)
    return None, "dovecot did not start: " + out.strip()[-300:]


def dovecot_log(tmp):
    with open(os.path.join(tmp, "dovecot.log")) as f:
        return f.read()[-2000:]
