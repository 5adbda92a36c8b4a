#!/bin/sh
# pcap-bench.sh [--bulk] [BUILD_DIR] [CAPTURE] - the capture replay benchmark.  Makes a capture
# of real loopback traffic with at least 300,000 packets (bench/make-capture.sh, as root) unless
# one is given; with --bulk the bulk capture instead (make-capture.sh --bulk: 100 connections of
# 4 MB at once, 1 % loss, about 400,000 packets, /tmp/tcpsim-bulk.pcap).  Then times, RUNS (5)
# runs each with /usr/bin/time and reports the median: a bare libpcap read loop (the floor),
# `tcpsim --pcap F --summary` (no trace output), and when installed `tcptrace -l` and
# `tshark -q -z conv,tcp`.  Prints packets per second, the ratio to the floor and to each peer,
# CPU seconds (user + system; on a shared machine the steadier figure) and their ratio, and peak
# RSS.
set -eu
bulk=0
if [ "${1:-}" = "--bulk" ]; then
    bulk=1
    shift
fi
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
if [ $bulk -eq 1 ]; then
    cap=${2:-/tmp/tcpsim-bulk.pcap}
    [ -s "$cap" ] || "$here/make-capture.sh" --bulk "$cap" >&2
else
    cap=${2:-/tmp/tcpsim-bench.pcap}
    [ -s "$cap" ] || "$here/make-capture.sh" "$cap" >&2
fi
runs=${RUNS:-5}
packets=$("$build/bench/pcap_floor" "$cap" | awk '{print $1}')
echo "capture: $cap, $packets packets, $(du -h "$cap" | cut -f1)"

measure() { # measure NAME CMD... -> "NAME median_seconds peak_kib median_cpu_seconds"
    name=$1
    shift
    : >"/tmp/pcap-bench.$$"
    run=0
    while [ $run -lt "$runs" ]; do
        run=$((run + 1))
        /usr/bin/time -f "%e %M %U %S" -o "/tmp/pcap-bench.$$.one" "$@" >/dev/null 2>&1 || true
        cat "/tmp/pcap-bench.$$.one" >>"/tmp/pcap-bench.$$"
    done
    mid=$(((runs + 1) / 2))
    wall=$(sort -n "/tmp/pcap-bench.$$" | sed -n "${mid}p" | awk '{print $1, $2}')
    cpu=$(awk '{print $3 + $4}' "/tmp/pcap-bench.$$" | sort -n | sed -n "${mid}p")
    echo "$name $wall $cpu"
}

{
    measure floor "$build/bench/pcap_floor" "$cap"
    measure tcpsim "$build/tcpsim" --pcap "$cap" --summary
    command -v tcptrace >/dev/null && measure tcptrace tcptrace -l "$cap"
    command -v tshark >/dev/null && measure tshark tshark -q -z conv,tcp -r "$cap"
} >"/tmp/pcap-bench.$$.all"
awk -v p="$packets" '
    { name[NR] = $1; sec[NR] = $2; kib[NR] = $3; cpu[NR] = $4 }
    $1 == "floor" { floor = $2; fcpu = $4 } $1 == "tcpsim" { ours = $2; ocpu = $4 }
    END {
        printf "%-9s %8s %12s %8s %9s %8s %8s %9s\n", "tool", "seconds", "packets/s", "x floor", "tcpsim/x", "cpu s", "x floor", "peak MiB"
        for (i = 1; i <= NR; i++) {
            s = sec[i] > 0 ? sec[i] : 0.001
            c = cpu[i] > 0 ? cpu[i] : 0.001
            printf "%-9s %8.2f %12.0f %8.2f %9.2f %8.2f %8.2f %9.1f\n", name[i], sec[i], p / s, s / (floor > 0 ? floor : 0.001), (ours > 0 ? ours : 0.001) / s, cpu[i], c / (fcpu > 0 ? fcpu : 0.001), kib[i] / 1024
        }
    }' "/tmp/pcap-bench.$$.all"
rm -f "/tmp/pcap-bench.$$" "/tmp/pcap-bench.$$.one" "/tmp/pcap-bench.$$.all"
