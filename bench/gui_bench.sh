#!/usr/bin/env bash
# GUI benchmark (not a test): frame build and whole-frame times while playing, CPU while paused
# and idle, time to the first frame, under Xvfb (llvmpipe) at 1280x800.
#   bench/gui_bench.sh [build/release/gui/postino]
set -eu
postino=${1:-build/release/gui/postino}
here=$(dirname "$0")
echo "== welcome scenario (20 s: 10 playing at 8x, 10 idle)"
xvfb-run -a -s "-screen 0 1920x1080x24" "$postino" --bench 20 --size 1280x800
echo "== 8 devices, 10,000 messages ($here/big.txt)"
xvfb-run -a -s "-screen 0 1920x1080x24" /usr/bin/time -f "peak memory %M KB" "$postino" open "$here/big.txt" --bench 20 --size 1280x800
