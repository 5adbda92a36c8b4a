#!/bin/sh
# sim-bench.sh [BUILD_DIR] - the simulator benchmark: a 100 MB transfer (and a 10 MB one, to show
# that peak memory does not depend on the size) over a link with 1 % random loss, timed with
# /usr/bin/time -v.  Prints simulated segments per second (CPU time) and peak RSS.  Each run is
# made three ways: the RFC endpoints (`rfc`), the RFC endpoints with SACK and RFC 6675 recovery
# (`sack=on`), and `profile=linux` (SACK, timestamps, RACK-TLP, CUBIC...: docs/linux-profile.md).
# SIM_BENCH_SETTINGS="rfc sack=on" picks the ways.
set -eu
build=${1:-build}
bin=$build/bench/sim_bench
[ -x "$bin" ] || { echo "sim-bench: build first (cmake --build $build)" >&2; exit 2; }
for settings in ${SIM_BENCH_SETTINGS:-rfc sack=on profile=linux}; do
    arg=$settings
    [ "$arg" = rfc ] && arg=profile=rfc
    for bytes in 10000000 100000000; do
        for run in 1 2 3; do
            tag="[$settings, $bytes bytes, seed $run]"
            /usr/bin/time -v "$bin" "$bytes" 0.01 "$run" "$arg" 2>"/tmp/sim-bench.$$" | sed "s/^/$tag /"
            grep -E "Maximum resident|Elapsed" "/tmp/sim-bench.$$" | sed "s/^/$tag  /"
        done
    done
done
rm -f "/tmp/sim-bench.$$"
