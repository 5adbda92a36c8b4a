#!/bin/sh
# render-bench.sh - times the ladder renderer on a 10,000-data-segment connection (about 15,000
# segments with the ACKs) written as a paged PDF; the target is under 2 s.
#   bench/render-bench.sh [BUILD_DIR] [SEGMENTS] [true|events]
# BUILD_DIR defaults to ./build; the program is built there if missing.  Prints the program's own
# timing and the wall clock and peak memory from /usr/bin/time -v when it is installed.
set -eu
cd "$(dirname "$0")/.."
dir=${1:-build}
n=${2:-10000}
axis=${3:-true}
if [ ! -x "$dir/tests/render/render-bench" ]; then
    cmake -S . -B "$dir" >/dev/null
    cmake --build "$dir" --target render-bench >/dev/null
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if [ -x /usr/bin/time ]; then
    /usr/bin/time -v "$dir/tests/render/render-bench" "$n" "$out/bench.pdf" "$axis" 2>"$out/time"
    grep -E "User time|Elapsed|Maximum resident" "$out/time"
else
    "$dir/tests/render/render-bench" "$n" "$out/bench.pdf" "$axis"
fi
