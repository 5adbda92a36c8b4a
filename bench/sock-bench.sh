#!/bin/sh
# sock-bench.sh [BUILD_DIR] - the many-connections benchmark: 10,000 clients on one host each
# connect to one server host over one link (RTT 10 ms), write 100 KB and close; the server
# accepts each and reads everything; no trace output.  Also 10,000 clients of 10 KB, to show that
# memory per connection does not grow with the transfer.  Each run under /usr/bin/time -v; prints
# segments per second of CPU time and peak RSS per connection (goal: >= 5 M segments/s,
# <= 16 KB per connection).
set -eu
build=${1:-build}
bin=$build/bench/sock_bench
[ -x "$bin" ] || { echo "sock-bench: build first (cmake --build $build)" >&2; exit 2; }
for bytes in 10240 102400; do
    for run in 1 2 3; do
        tag="[10000 clients, $bytes bytes, run $run]"
        /usr/bin/time -v "$bin" 10000 "$bytes" 2>"/tmp/sock-bench.$$" | sed "s/^/$tag /"
        grep -E "Maximum resident|Elapsed" "/tmp/sock-bench.$$" | sed "s/^/$tag  /"
    done
done
rm -f "/tmp/sock-bench.$$"
