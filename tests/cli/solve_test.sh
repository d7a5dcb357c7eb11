#!/usr/bin/env bash
# postino run --solve: 0 when a lesson is completable, 1 naming the step's line when a task is
# impossible or an answer key disagrees with the simulation, 2 when the file has errors.
set -u
postino=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cat > "$dir/good.txt" <<'S'
lesson
title en "POP and a second device" it "POP e un secondo dispositivo"
claims S9
summary en "POP takes the mail away." it "POP si porta via la posta."
account info@tuodominio.it password "segreta"
device pc    laptop client thunderbird pop3 995 leave-on-server off poll off
device phone phone  client phone-mail  pop3 995 leave-on-server off poll off

step en "Download it" it "Scaricalo"
at 09:00 deliver to info@tuodominio.it subject "Ordine 42"
task en "Get the mail on the PC" it "Scarica la posta sul PC"
until pc INBOX has "Ordine 42"
hint en "Press Get mail." it "Premi Scarica posta."
solution pc get-mail

step en "The phone" it "Il telefono"
question predict en "How many will the phone find?" it "Quanti ne troverà il telefono?"
choice both "1"
when phone INBOX count 1
choice right both "0"
when phone INBOX count 0
phone get-mail
S
sed 's/^solution pc get-mail/solution phone get-mail/' "$dir/good.txt" > "$dir/impossible.txt"
sed 's/^choice both "1"/choice right both "1"/; s/^choice right both "0"/choice both "0"/' "$dir/good.txt" > "$dir/key.txt"
sed 's/^hint en "Press Get mail." it "Premi Scarica posta."/hint en "Press Get mail."/' "$dir/good.txt" > "$dir/mono.txt"

out=$("$postino" run --solve "$dir/good.txt") || fail "good lesson exited $?"
grep -q '^step 2/2  The phone$' <<<"$out" || fail "no step line in: $out"
out=$("$postino" run --solve "$dir/good.txt" --lang it) || fail "good lesson in Italian exited $?"
grep -q '^  compito fatto: Scarica la posta sul PC$' <<<"$out" || fail "no Italian task line in: $out"

"$postino" run --solve "$dir/impossible.txt" > /dev/null 2> "$dir/err"
[[ $? == 1 ]] || fail "an impossible task must exit 1"
grep -q '^.*impossible.txt:11: error: step 1 "Download it": the task cannot be completed: after its solution, pc INBOX has "Ordine 42"; it has nothing$' "$dir/err" || fail "$(cat "$dir/err")"

"$postino" run --solve "$dir/key.txt" > /dev/null 2> "$dir/err"
[[ $? == 1 ]] || fail "a wrong answer key must exit 1"
grep -q '^.*key.txt:17: error: step 2 "The phone": the answer key disagrees with the simulation' "$dir/err" || fail "$(cat "$dir/err")"

"$postino" run --solve "$dir/mono.txt" > /dev/null 2> "$dir/err"
[[ $? == 2 ]] || fail "a lesson text in one language must exit 2"
grep -q 'mono.txt:13:6: error: this text is in one language only' "$dir/err" || fail "$(cat "$dir/err")"
"$postino" check "$dir/good.txt" | grep -q 'good.txt: ok (lesson, 2 steps, 1 task, 1 question)' || fail "check of a lesson"
out=$("$postino" run "$dir/good.txt" --lang it) || fail "run of a lesson exited $?"
grep -q '^2026-11-26T09:00:00.[0-9]* pc C:tls RETR 1$' <<<"$out" || fail "no RETR line in the lesson's transcript: $out"
grep -q ' narratore \* Passo 2: Il telefono$' <<<"$out" || fail "no step title in the lesson's transcript: $out"
# check --bilingual: a scenario's text in one language only is an error at its line and column.
printf 'account info@tuodominio.it password "segreta"\nsay "Solo italiano"\nsay en "Both" it "Entrambe"\n' > "$dir/scenario.txt"
"$postino" check "$dir/scenario.txt" > /dev/null 2> "$dir/err"
[[ $? == 2 ]] || fail "a scenario with one two-language text must give them all so"
"$postino" check --bilingual "$dir/scenario.txt" > /dev/null 2> "$dir/err"
[[ $? == 2 ]] && grep -q 'scenario.txt:2:5: error: this text is in one language only' "$dir/err" || fail "check --bilingual: $(cat "$dir/err")"
printf 'account info@tuodominio.it password "segreta"\nsay "Solo italiano"\n' > "$dir/old.txt"
"$postino" check "$dir/old.txt" > /dev/null || fail "a one-language scenario is still accepted without --bilingual"
echo "cli solve: all passed"
