#!/usr/bin/env bash
# make-paths.sh BUILD_DIR OUT_DIR - the replay's regression captures of real kernel connections
# over a path with delay, each captured at three points at once: at the client, in the middle
# and at the server (OUT_DIR/<scenario>-{client,middle,server}.pcap).  Run by hand as root; the
# captures are committed in tests/replay/data and checked by test_replay_paths.
#
# Topology: namespaces A (client, 10.7.1.1), M (a router, forwarding) and B (server,
# 10.7.2.1), joined by two of tests/kernel's TUN delay lines (kt_relay: 25 ms each way, so the
# round trip is 100 ms).  tcpdump runs in A on kt0, in M on m0 (the side toward the client)
# and in B on kt1.  In the "jitter" scenario M's m0 sends through a token bucket (tc tbf,
# 1 Mbit/s): what the server sends in a burst queues there, so the round trip of its data grows
# beyond the handshake's (RTT jitter after the middle capture point, before the client).
#
# Scenarios (tests/replay/path_peer.c scripts, CUBIC on every socket):
#   idle     the client pauses 1 s after the handshake, sends 2000 bytes, the server answers
#            3000 after 50 ms; the client closes first after 300 ms (client TIME-WAIT)
#   srvfirst a request and answer at once; the server closes first after a 1.5 s pause, the
#            client 200 ms after its EOF (server TIME-WAIT)
#   jitter   as idle, but the server answers 30000 bytes through the token bucket
set -Eeuo pipefail

[ $# -eq 2 ] || { echo "usage: $0 BUILD_DIR OUT_DIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
mkdir -p "$2"
OUT=$(cd "$2" && pwd)
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RELAY=$BUILD/tests/kernel/kt_relay
[ -x "$RELAY" ] || { echo "make-paths: no $RELAY (build tests/kernel first)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "make-paths: must run as root" >&2; exit 1; }

WORK=$(mktemp -d /tmp/tcpsim-paths.XXXXXX)
"${CC:-cc}" -std=c11 -O2 -Wall -Wextra -o "$WORK/path_peer" "$ROOT/tests/replay/path_peer.c"
PIDS=() NSS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    for n in "${NSS[@]}"; do ip netns del "$n" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

# the relays and peers at real-time priority on one CPU: on a loaded machine a relay that runs
# late makes the path's delay vary, and the captures are checked for that below
RT=""
chrt -f 50 true 2>/dev/null && RT="chrt -f 50"

# transit NAME FROM TO DIR: the largest deviation from 25 ms, in microseconds, of the packets of
# direction DIR ("c" client to server, "s" back) between captures FROM and TO
transit() {
    local name=$1 from=$2 to=$3 dir=$4
    key() { tcpdump -tt -nr "$OUT/$name-$1.pcap" 2>/dev/null | awk -v d="$dir" '{
        c = ($3 ~ /^10\.7\.1\.1\./) ? "c" : "s"; if (c != d) next
        k = $0; sub(/^[0-9.]+ /, "", k); sub(/TS val [0-9]+ ecr [0-9]+/, "", k)
        if (!(k in seen)) { seen[k] = 1; print $1, k } }'; }
    join -j 2 -o 1.1,2.1 <(key "$from" | awk '{t=$1; $1=""; print t "\t" $0}' | sort -t$'\t' -k2) \
        <(key "$to" | awk '{t=$1; $1=""; print t "\t" $0}' | sort -t$'\t' -k2) -t$'\t' |
        awk -F'\t' '{ d = ($2 - $1) * 1e6 - 25000; if (d < 0) d = -d; if (d > m) m = d } END { printf "%d\n", m }'
}

run() { # run NAME CLIENT_SCRIPT SERVER_SCRIPT TBF(0|1)
    local name=$1 cs=$2 ss=$3 tbf=$4
    local A=tpa-$$ M=tpm-$$ B=tpb-$$
    PIDS=() NSS=()
    for n in $A $M $B; do ip netns add $n; NSS+=($n); ip -n $n link set lo up; done
    $RT taskset -c 1 "$RELAY" -a $A -b $M -A kt0 -B m0 -d 25000 -t 30 >"$WORK/r1.out" 2>&1 &
    PIDS+=($!)
    $RT taskset -c 1 "$RELAY" -a $M -b $B -A m1 -B kt1 -d 25000 -t 30 >"$WORK/r2.out" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 100); do grep -q '^ready' "$WORK/r1.out" && grep -q '^ready' "$WORK/r2.out" && break; sleep 0.05; done
    grep -q '^ready' "$WORK/r2.out" || { echo "make-paths: relay: $(cat "$WORK/r1.out" "$WORK/r2.out")" >&2; exit 1; }
    ip -n $A addr add 10.7.1.1 peer 10.7.1.2 dev kt0
    ip -n $M addr add 10.7.1.2 peer 10.7.1.1 dev m0
    ip -n $M addr add 10.7.2.2 peer 10.7.2.1 dev m1
    ip -n $B addr add 10.7.2.1 peer 10.7.2.2 dev kt1
    for spec in "$A kt0" "$M m0" "$M m1" "$B kt1"; do
        read -r n d <<<"$spec"
        ip netns exec $n ethtool -K $d tso off gso off gro off >/dev/null 2>&1 || true
        ip -n $n link set $d up
    done
    ip -n $A route add 10.7.2.0/24 dev kt0
    ip -n $B route add 10.7.1.0/24 dev kt1
    ip netns exec $M sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'
    [ "$tbf" = 1 ] && ip netns exec $M tc qdisc add dev m0 root tbf rate 1mbit burst 1600 limit 100000
    local i=0
    for spec in "$A kt0 client" "$M m0 middle" "$B kt1 server"; do
        read -r n d v <<<"$spec"
        ip netns exec $n tcpdump -i $d -n -s 0 -B 8192 --immediate-mode -U -w "$OUT/$name-$v.pcap" \
            "tcp port 7000" 2>"$WORK/td.$v" &
        PIDS+=($!)
    done
    for v in client middle server; do
        for _ in $(seq 100); do grep -q "listening on" "$WORK/td.$v" && break; sleep 0.05; done
    done
    ip netns exec $B $RT taskset -c 1 "$WORK/path_peer" server 10.7.2.1 7000 "$ss" &
    local srv=$!
    sleep 0.2
    ip netns exec $A $RT taskset -c 1 "$WORK/path_peer" client 10.7.2.1 7000 "$cs"
    wait $srv
    sleep 0.5 # the last ACKs
    for p in "${PIDS[@]:2}"; do kill -INT "$p" 2>/dev/null || true; done # tcpdump first
    for p in "${PIDS[@]:2}"; do wait "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]:0:2}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]:0:2}"; do wait "$p" 2>/dev/null || true; done
    for v in client middle server; do
        grep -q "^0 packets dropped by kernel" "$WORK/td.$v" ||
            { echo "make-paths: $name-$v: tcpdump dropped packets: $(cat "$WORK/td.$v")" >&2; exit 1; }
    done
    for n in "${NSS[@]}"; do ip netns del "$n"; done
    NSS=() PIDS=()
    echo "$name: $(for v in client middle server; do printf '%s %s packets  ' $v "$(tcpdump -nr "$OUT/$name-$v.pcap" 2>/dev/null | wc -l)"; done)"
}

# each scenario until the relays kept their delay: every packet 25 ms (within 0.5 ms) from one
# capture point to the next, but for the token bucket's direction in "jitter"
steady() { # steady NAME TBF
    local m
    for spec in "client middle c" "middle server c" "middle client s" "server middle s"; do
        read -r a b d <<<"$spec"
        [ "$a" = server ] && [ "$2" = 1 ] && continue
        m=$(transit "$1" "$a" "$b" "$d")
        [ "$m" -le 500 ] || { echo "make-paths: $1: $a/$b $d: a packet $m us off 25 ms" >&2; return 1; }
    done
}
scenario() {
    for try in 1 2 3 4 5 6; do
        run "$@"
        steady "$1" "$4" && return 0
    done
    echo "make-paths: $1: the path never kept its delay" >&2
    exit 1
}
scenario idle "p1000 s2000 r3000 p300 w e c" "r2000 p50 s3000 e c" 0
scenario srvfirst "s1000 r1000 e p200 c" "r1000 s1000 p1500 c" 0
scenario jitter "p1000 s2000 r30000 p300 w e c" "r2000 p50 s30000 e c" 1
