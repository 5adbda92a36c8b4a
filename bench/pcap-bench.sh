#!/bin/sh
# pcap-bench.sh [BUILD_DIR] [CAPTURE] - the capture replay benchmark.  Makes a capture of real
# loopback traffic with at least 300,000 packets (bench/make-capture.sh, as root) unless one is
# given, then times, three runs each with /usr/bin/time -v and reports the median: a bare libpcap
# read loop (the floor), `tcpsim --pcap F --summary`, and when installed `tcptrace -l` and
# `tshark -q -z conv,tcp`.  Prints packets per second, the ratio to the floor and to each peer,
# and peak RSS.
set -eu
build=${1:-build}
cap=${2:-/tmp/tcpsim-bench.pcap}
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -s "$cap" ]; then
    "$here/make-capture.sh" "$cap" >&2
fi
packets=$("$build/bench/pcap_floor" "$cap" | awk '{print $1}')
echo "capture: $cap, $packets packets, $(du -h "$cap" | cut -f1)"

measure() { # measure NAME CMD... -> prints "NAME median_seconds peak_kib"
    name=$1
    shift
    : >"/tmp/pcap-bench.$$"
    for run in 1 2 3; do
        /usr/bin/time -f "%e %M" -o "/tmp/pcap-bench.$$.one" "$@" >/dev/null 2>&1 || true
        cat "/tmp/pcap-bench.$$.one" >>"/tmp/pcap-bench.$$"
    done
    sort -n "/tmp/pcap-bench.$$" | sed -n 2p | awk -v n="$name" '{print n, $1, $2}'
}

{
    measure floor "$build/bench/pcap_floor" "$cap"
    measure tcpsim "$build/tcpsim" --pcap "$cap" --summary
    command -v tcptrace >/dev/null && measure tcptrace tcptrace -l "$cap"
    command -v tshark >/dev/null && measure tshark tshark -q -z conv,tcp -r "$cap"
} >"/tmp/pcap-bench.$$.all"
awk -v p="$packets" '
    { name[NR] = $1; sec[NR] = $2; kib[NR] = $3 }
    $1 == "floor" { floor = $2 } $1 == "tcpsim" { ours = $2 }
    END {
        printf "%-9s %9s %14s %12s %12s %10s\n", "tool", "seconds", "packets/s", "x floor", "tcpsim/x", "peak MiB"
        for (i = 1; i <= NR; i++) {
            s = sec[i] > 0 ? sec[i] : 0.001
            printf "%-9s %9.2f %14.0f %12.2f %12.2f %10.1f\n", name[i], sec[i], p / s, s / (floor > 0 ? floor : 0.001), (ours > 0 ? ours : 0.001) / s, kib[i] / 1024
        }
    }' "/tmp/pcap-bench.$$.all"
rm -f "/tmp/pcap-bench.$$" "/tmp/pcap-bench.$$.one" "/tmp/pcap-bench.$$.all"
