#!/usr/bin/env bash
# docs/ARCHITECTURE.md rule 1: sim/ has no I/O, threads, wall clock or unseeded randomness, and uses nothing
# of the layers above it (io/, cli/, gui/). Fails naming the file and line of any header or call
# that would break that.
set -u
root=$1
pattern='#include <(thread|mutex|future|chrono|ctime|fstream|iostream|filesystem|random_device|sys/socket\.h|netinet/|unistd\.h|poll\.h)|#include "(io|cli|gui)/'
calls='std::(rand|time|random_device|this_thread)|[^_a-z]time\(nullptr\)|system_clock|steady_clock|getenv|fopen|[^sn]printf\(|fputs|std::cout|std::cerr'
found=$(grep -rnE "$pattern|$calls" "$root/sim" --include='*.cpp' --include='*.hpp')
if [[ -n $found ]]; then
  echo "sim/ must stay free of I/O, threads and clocks:"
  echo "$found"
  exit 1
fi
echo "sim purity: 1 passed, 0 failed"
