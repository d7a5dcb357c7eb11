#!/usr/bin/env bash
# postino --help / --version / bad usage behave as command-line users expect.
set -u
postino=$1
fail() { echo "FAIL: $*"; exit 1; }

out=$("$postino" --help) || fail "--help exited $?"
[[ $out == Usage:\ postino* ]] || fail "--help does not start with Usage: $out"
for word in 'serve --stdio pop3' 'serve --stdio imap' 'serve --stdio smtp' '--smtps PORT' 'open FILE' 'run FILE' 'check \[--bilingual\] FILE' 'run --solve LESSON' 'serve \[--scenario'; do
  grep -q -- "$word" <<<"$out" || fail "--help does not mention $word"
done
[[ $("$postino" -h) == "$out" ]] || fail "-h differs from --help"

ver=$("$postino" --version) || fail "--version exited $?"
[[ $ver =~ ^postino\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "--version printed '$ver'"

"$postino" --frobnicate >/dev/null 2>/tmp/postino_err.$$ && fail "an unknown option exited 0"
code=$?
[[ $code == 2 ]] || fail "an unknown option exited $code, not 2"
grep -q "unknown command or option '--frobnicate'" /tmp/postino_err.$$ || fail "no clear message"
rm -f /tmp/postino_err.$$

"$postino" serve --stdio nntp >/dev/null 2>&1
[[ $? == 2 ]] || fail "serve with an unknown protocol did not exit 2"

reply=$(printf 'USER info@tuodominio.it\r\nPASS segreta\r\nSTAT\r\nQUIT\r\n' | "$postino" serve --stdio pop3)
[[ $? == 0 ]] || fail "serve --stdio pop3 exited non-zero"
grep -q $'^+OK 7 [0-9]*\r$' <<<"$reply" || fail "STAT over stdio: $reply"

# SMTP over stdio has no TLS to offer, so AUTH is offered at once; a message to another account lands.
reply=$(printf 'EHLO pc\r\nAUTH PLAIN AGluZm9AdHVvZG9taW5pby5pdABzZWdyZXRh\r\nMAIL FROM:<info@tuodominio.it>\r\nRCPT TO:<commerciale@tuodominio.it>\r\nDATA\r\nSubject: ciao\r\n\r\nciao\r\n.\r\nQUIT\r\n' \
  | "$postino" serve --stdio smtp)
[[ $? == 0 ]] || fail "serve --stdio smtp exited non-zero"
grep -q $'^250 2.0.0 Ok: queued as [0-9]*-1\r$' <<<"$reply" || fail "DATA over stdio: $reply"
echo "cli: all passed"
