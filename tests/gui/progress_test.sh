#!/usr/bin/env bash
# progress_test.sh POSTINO LESSON: only a learner's own run records a finished lesson. A
# screenshot past the lesson's end (--screenshot --step 99) writes nothing in the user's config
# folder; the same lesson finished in a window (--step 99, no screenshot) is recorded in
# ~/.config/postino/lessons.txt. HOME is a fresh folder; XDG_CONFIG_HOME is unset, so the path
# is the default one.
set -u
postino=$1
lesson=$2
if [[ -z ${POSTINO_UNDER_XVFB:-} ]]; then
  POSTINO_UNDER_XVFB=1 exec xvfb-run -a -n $((100 + $$ % 800)) -s "-screen 0 1280x1024x24" "$0" "$@"  # -n: parallel tests start apart
fi
out=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill $pid 2>/dev/null; rm -rf "$out"' EXIT
export HOME=$out/home
mkdir -p "$HOME"
unset XDG_CONFIG_HOME
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0  # Mesa: see screenshots_test.sh
progress=$HOME/.config/postino/lessons.txt
name=$(basename "$lesson")
fail=0

if ! "$postino" open "$lesson" --size 1280x800 --step 99 --screenshot "$out/end.png" > "$out/shot.log" 2>&1; then
  echo "FAIL the screenshot run: $(cat "$out/shot.log")"
  exit 1
fi
[[ -s $out/end.png ]] || { echo "FAIL no picture written"; fail=1; }
if [[ -e $HOME/.config/postino ]]; then
  echo "FAIL a screenshot wrote into the user's config folder: $(find "$HOME/.config/postino" -type f)"
  fail=1
else
  echo "ok   a screenshot past the end records no progress"
fi

# The window finishing the lesson (the learner who does everything right) does record it.
"$postino" open "$lesson" --size 1280x800 --step 99 --state-file "$out/state" > "$out/window.log" 2>&1 &
pid=$!
for _ in $(seq 300); do grep -qx "$name" "$progress" 2>/dev/null && break; sleep 0.1; done
if grep -qx "$name" "$progress" 2>/dev/null; then
  echo "ok   a finished lesson in the window is recorded"
else
  echo "FAIL the window finished $name but $progress does not say so: $(cat "$out/window.log")"
  fail=1
fi
exit $fail
