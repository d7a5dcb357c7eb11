#!/usr/bin/env bash
# postino run / check: exit codes 0 (all expectations held), 1 (one failed), 2 (file errors).
set -u
postino=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cat > "$dir/good.txt" <<'S'
account info@tuodominio.it password "segreta"
device pc laptop client thunderbird pop3 995 leave-on-server off poll off
at 09:00 deliver to info@tuodominio.it subject "Ciao"
pc get-mail
expect server info@tuodominio.it INBOX count 0
S
sed 's/count 0/count 5/' "$dir/good.txt" > "$dir/failing.txt"
sed 's/get-mail/get-mial/' "$dir/good.txt" > "$dir/broken.txt"

out=$("$postino" run "$dir/good.txt") || fail "good scenario exited $?"
grep -q '^2026-11-26T09:00:00.[0-9]* pc C:tls RETR 1$' <<<"$out" || fail "no RETR line in: $out"
grep -q 'pc \* downloaded and stored on the device: "Ciao"' <<<"$out" || fail "no download event"
"$postino" run "$dir/good.txt" --format markdown | grep -q '^| 09:00:00.[0-9]* | pc | C: 🔒 | `RETR 1` |$' || fail "markdown"

"$postino" run "$dir/failing.txt" > /dev/null 2> "$dir/err"
[[ $? == 1 ]] || fail "a failed expectation must exit 1"
grep -q "failing.txt:5: expectation failed: server info@tuodominio.it INBOX count 5, but there are 0" "$dir/err" || fail "$(cat "$dir/err")"

"$postino" run "$dir/broken.txt" > /dev/null 2> "$dir/err"
[[ $? == 2 ]] || fail "a broken file must exit 2"
grep -q "broken.txt:4:4: error: unknown action \"get-mial\" for device pc; did you mean \"get-mail\"?" "$dir/err" || fail "$(cat "$dir/err")"

"$postino" check "$dir/good.txt" "$dir/failing.txt" > /dev/null || fail "check of good files"
"$postino" check "$dir/good.txt" "$dir/broken.txt" > /dev/null 2>&1
[[ $? == 2 ]] || fail "check of a broken file must exit 2"
"$postino" run "$dir/missing.txt" > /dev/null 2>&1
[[ $? == 2 ]] || fail "a missing file must exit 2"
# The window's options are checked before any window opens (no display needed for that).
"$postino" open "$dir/good.txt" --at 25:00 --screenshot "$dir/x.png" > /dev/null 2> "$dir/err"
[[ $? == 2 ]] && grep -q -- "--at wants a time" "$dir/err" || fail "a bad --at must exit 2: $(cat "$dir/err")"
"$postino" open "$dir/good.txt" --imap 70000 > /dev/null 2> "$dir/err"
[[ $? == 2 ]] || fail "a bad port must exit 2: $(cat "$dir/err")"
echo "cli run/check: all passed"
