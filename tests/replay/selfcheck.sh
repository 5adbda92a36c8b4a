#!/bin/sh
# selfcheck.sh TCPSIM REPLAY_CHECK SAMPLES_DIR [DIR...] - the replay's self-check (kernel_check.h)
# on every committed sample (and every capture in the other DIRs: tests/replay/data, the path
# captures) and on the --write-pcap export of every built-in scenario at both vantages:
# no endpoint acknowledges a FIN it is not taken to have received, no state path holds a
# transition RFC 9293 does not have, no segment is reported lost after the other side
# acknowledged it.
set -eu
tcpsim=$1 check=$2 samples=$3
shift 3
extra=""
for d in "$@"; do extra="$extra $d/*.pcap"; done
out=$(mktemp -d /tmp/tcpsim-selfcheck.XXXXXX)
trap 'rm -rf "$out"' EXIT
n=0
for s in $("$tcpsim" --list-scenarios | awk '{print $1}'); do
    # --write-pcap writes one TCP connection; a scenario of datagrams only has none
    "$tcpsim" --scenario "$s" --json | grep '"ev":"conn"' | grep -qv '"proto":"udp"' || continue
    for v in client server; do
        "$tcpsim" --scenario "$s" --write-pcap "$out/$s-$v.pcap" --vantage "$v" >/dev/null
        n=$((n + 1))
    done
done
echo "exported $n captures"
# shellcheck disable=SC2086 # the globs of the extra directories
"$check" --selfcheck "$samples"/*.pcap $extra "$out"/*.pcap
