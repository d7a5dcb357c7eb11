#!/usr/bin/env bash
# screenshots_test.sh POSTINO welcome|FILE: renders pictures under Xvfb, each of which must exit
# 0 and be a real PNG: the welcome scenario in every mode (presenter, Italian and dark, side by
# side...), a scenario FILE at 1280x800 and 1920x1080, or lesson:FILE mid-task (Italian) and in
# presenter mode. One CTest test each, run in parallel.
set -u
postino=$1
what=$2
# One X server for all of this test's pictures: starting one per picture cost a fifth of the time.
if [[ -z ${POSTINO_UNDER_XVFB:-} ]]; then
  POSTINO_UNDER_XVFB=1 exec xvfb-run -a -n $((100 + $$ % 800)) -s "-screen 0 1920x1080x24" "$0" "$@"  # -n: parallel tests start apart
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export XDG_CONFIG_HOME=$out/config
# In the sanitized build, Mesa's software GL driver (dlopened, then unloaded) leaves allocations
# LeakSanitizer cannot attribute; address and UB checks stay on, leak checks are off here only.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
fail=0
shoot() {  # name, args...
  local name=$1
  shift
  if ! "$postino" "$@" --screenshot "$out/$name.png" > "$out/$name.log" 2>&1; then
    echo "FAIL $name: $(cat "$out/$name.log")"
    fail=1
    return
  fi
  local size
  size=$(stat -c %s "$out/$name.png" 2>/dev/null || echo 0)
  if [[ $(head -c 8 "$out/$name.png" | od -An -tx1 | tr -d ' \n') != 89504e470d0a1a0a || $size -lt 20000 ]]; then
    echo "FAIL $name: not a real PNG ($size bytes)"
    fail=1
  fi
}
if [[ $what == welcome ]]; then
  shoot welcome --size 1280x800
  shoot welcome-presenter --size 1920x1080 --presenter
  shoot welcome-italian-dark --size 1280x800 --lang it --dark
  shoot welcome-side-by-side --size 1920x1080 --side-by-side
  shoot welcome-sequence --size 1280x800 --sequence
  shoot welcome-wire --size 1280x800 --wire
  shoot welcome-webmail --size 1280x800 --webmail --lang it
  shoot welcome-at --size 1280x800 --at 09:00:01
elif [[ $what == lesson:* ]]; then
  # A lesson mid-task in Italian (the steps before done as a learner who does everything right).
  file=${what#lesson:}
  n=$(basename "$file" .txt)
  shoot "$n-task-it" open "$file" --size 1280x800 --lang it --step 4
  shoot "$n-presenter" open "$file" --size 1920x1080 --presenter --step 2
  # At its end the lesson is finished, but a screenshot is no learner's: nothing is recorded
  # (tests/gui/progress_test.sh checks that a window finishing it records it).
  shoot "$n-end" open "$file" --size 1280x800 --step 99
  if [[ -e $XDG_CONFIG_HOME/postino/lessons.txt ]]; then
    echo "FAIL $n-end: a screenshot recorded the lesson as finished in lessons.txt"
    fail=1
  fi
else
  n=$(basename "$what" .txt)
  shoot "$n-small" open "$what" --size 1280x800 --step 40
  shoot "$n-large" open "$what" --size 1920x1080
fi
[[ $fail == 0 ]] && echo "gui screenshots: all passed"
exit $fail
