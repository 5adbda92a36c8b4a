#!/bin/sh
# sim-bench.sh [BUILD_DIR] - the simulator benchmark: a 100 MB transfer (and a 10 MB one, to show
# that peak memory does not depend on the size) over a link with 1 % random loss, timed with
# /usr/bin/time -v.  Prints simulated segments per second (CPU time) and peak RSS.
set -eu
build=${1:-build}
bin=$build/bench/sim_bench
[ -x "$bin" ] || { echo "sim-bench: build first (cmake --build $build)" >&2; exit 2; }
for bytes in 10000000 100000000; do
    for run in 1 2 3; do
        /usr/bin/time -v "$bin" "$bytes" 0.01 "$run" 2>"/tmp/sim-bench.$$" | sed "s/^/[$bytes bytes, seed $run] /"
        grep -E "Maximum resident|Elapsed" "/tmp/sim-bench.$$" | sed "s/^/[$bytes bytes, seed $run]  /"
    done
done
rm -f "/tmp/sim-bench.$$"
