#!/usr/bin/env bash
# keys_test.sh POSTINO: the window under Xvfb, driven with xdotool. The keys README and --help
# promise (Space, Left, Right, F5), none of them while a text field is being typed in; a click on
# a device tab selects that device; presenter mode switched at run time still draws. What the
# window shows is read from --state-file; "still draws" from screenshots (ImageMagick's import).
set -u
postino=$1
if [[ -z ${POSTINO_UNDER_XVFB:-} ]]; then
  POSTINO_UNDER_XVFB=1 exec xvfb-run -a -n $((100 + $$ % 800)) -s "-screen 0 1920x1080x24" "$0" "$@"  # -n: parallel tests start apart
fi
command -v xdotool >/dev/null || { echo "FAIL: xdotool is missing (apt-get install xdotool)"; exit 1; }
out=$(mktemp -d)
export XDG_CONFIG_HOME=$out/config
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0  # Mesa: see screenshots_test.sh
state=$out/state
"$postino" open "$(dirname "$0")/../../lessons/scenarios/01-pop-vs-imap.txt" --size 1280x800 --state-file "$state" \
  > "$out/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$out"' EXIT
fail=0
get() { sed -n "s/^$1 //p" "$state" 2>/dev/null; }
# expect KEY VALUE WHAT: waits up to 20 s for the state file to say so (CI runs this beside a
# sanitized build's tests on two cores: a frame can take long there).
expect() {
  for _ in $(seq 200); do [[ $(get "$1") == "$2" ]] && { echo "ok   $3"; return; }; sleep 0.1; done
  echo "FAIL $3: $1 is '$(get "$1")', not '$2'"
  fail=1
}
# drawn WHAT: the screen holds a picture, not one flat colour.
drawn() {
  command -v import >/dev/null || { echo "skip $1 (no ImageMagick)"; return; }
  sleep 0.5
  import -window root "$out/shot.png"
  local colours
  colours=$(identify -format %k "$out/shot.png")
  if ((colours > 200)); then echo "ok   $1 ($colours colours)"; else echo "FAIL $1: the window is blank ($colours colours)"; fail=1; fi
}
expect cursor 0 "the window starts on line 0"
xdotool search --sync --name Postino >/dev/null
xdotool key Right
expect cursor 1 "Right: one line forward"
xdotool key Right Right
expect cursor 3 "Right twice more"
xdotool key Left
expect cursor 2 "Left: one line back"
xdotool key space
expect playing 1 "Space plays"
xdotool key space
expect playing 0 "Space again pauses"
xdotool key ctrl+r
expect cursor 0 "(back to the start)"
xdotool key n
expect narration 1 "N: to the next narration"
first=$(get cursor)
xdotool key n  # the welcome scenario says one thing: no narration is left, N goes to the end
for _ in $(seq 100); do [[ $(get cursor) != "$first" ]] && break; sleep 0.1; done
[[ $(get cursor) -gt $first ]] && echo "ok   N with no narration left: to the end" || { echo "FAIL N did not move on from line $first"; fail=1; }
xdotool key shift+n
expect cursor "$first" "Shift+N: back to the previous narration"
xdotool key shift+n
expect cursor 0 "Shift+N before the first narration: to the start"
xdotool key n
expect cursor "$first" "(N: at the narration again)"
xdotool key s
for _ in $(seq 100); do [[ $(get cursor) != "$first" ]] && break; sleep 0.1; done
[[ $(get cursor) -gt $first ]] && echo "ok   S: skips quiet time forward" || { echo "FAIL S did not move"; fail=1; }
# The Devices panel's second tab (phone), where the layout puts it at 1280x800. The pointer
# rests there first, as a hand's does: ImGui 1.86 misses a press that arrives with the move.
click() { xdotool mousemove "$1" "$2"; sleep 0.3; xdotool click 1; }
click 108 517
expect selected 1 "a click on the phone's tab selects the phone"
click 45 517
expect selected 0 "and one on the pc's tab the pc"
xdotool key F5
expect presenter 1 "F5: presenter mode"
drawn "presenter mode switched on at run time still draws"
xdotool key F6
expect panels 1 "F6 in presenter mode: the other panels come back"
drawn "presenter mode with its panels"
xdotool key F6
expect panels 0 "F6 again: the picture alone"
xdotool key F5
expect presenter 0 "F5 again: presenter mode off"
drawn "and switched off again"
xdotool key ctrl+r
expect cursor 0 "Ctrl+R starts again"
drawn "after Ctrl+R"
# Ctrl+O puts the keyboard in the path field: Space and Right type there, they do not play.
xdotool key ctrl+o
# (Keys sent before the field has the keyboard would step and play: wait for it, a slow frame
# under the sanitizers can take longer than a fixed pause.)
expect typing 1 "Ctrl+O: the path field has the keyboard"
xdotool key space Right
sleep 0.5
expect cursor 0 "Right typed in a text field does not step"
expect playing 0 "Space typed in a text field does not play"
kill -0 $pid 2>/dev/null || { echo "FAIL the window exited: $(cat "$out/log")"; fail=1; }
[[ $fail == 0 ]] && echo "gui keys: all passed" || { echo "--- the window's output:"; cat "$out/log"; }
exit $fail
