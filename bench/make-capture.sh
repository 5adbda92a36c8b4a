#!/usr/bin/env bash
# make-capture.sh OUT.pcap [MIN_PACKETS] - make a large capture of real loopback TCP traffic for
# the benchmark (default at least 300000 packets; not meant to be committed).
#
# A private network namespace with only `lo` (MTU 1500, offloads off: wire-sized packets),
# tcpdump writing OUT.pcap, 1 % random loss on the INPUT hook for TCP on the test port (so there
# are retransmissions, SACK and recovery), and rounds of the echo client from samples/ running
# three mixes in parallel: many short connections, medium transfers, a few long ones.  Rounds go
# on until the kernel has sent MIN_PACKETS segments (TcpOutSegs + TcpRetransSegs in the
# namespace = the packets on lo).  Takes well under a minute; needs root.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PORT=5555
LOSS_PCT=1
MAX_ROUNDS=40

die() { echo "make-capture: error: $*" >&2; exit 1; }

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $0 OUT.pcap [MIN_PACKETS]"
OUT=$1
MIN=${2:-300000}
[[ "$MIN" =~ ^[0-9]+$ ]] || die "MIN_PACKETS must be a number"
[ "$(id -u)" -eq 0 ] || die "must run as root (network namespace, tcpdump, nftables)"
for tool in ip ethtool tcpdump nft nstat ss timeout taskset; do
    command -v "$tool" >/dev/null || die "'$tool' not found in PATH"
done
mkdir -p "$(dirname "$OUT")"
OUT=$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")

WORK=$(mktemp -d /tmp/tcpsim-bench.XXXXXX)
NS=""
SERVER_PID=""
TCPDUMP_PID=""
cleanup() {
    local rc=$?
    for pid in $SERVER_PID $TCPDUMP_PID; do kill "$pid" 2>/dev/null || true; done
    for pid in $SERVER_PID $TCPDUMP_PID; do wait "$pid" 2>/dev/null || true; done
    if [ -n "$NS" ] && ip netns list | grep -qw "$NS"; then ip netns del "$NS" || true; fi
    rm -rf "$WORK"
    [ $rc -ne 0 ] && echo "make-capture: FAILED (exit $rc)" >&2
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

CC=${CC:-cc}
for p in echo_server echo_client; do
    "$CC" -std=c11 -O2 -Wall -Wextra -o "$WORK/$p" "$ROOT/samples/$p.c" || die "cannot compile $p.c"
done

NS="tcpsim-bench-$$"
ip netns add "$NS"
nsx() { ip netns exec "$NS" "$@"; }
nsx ip link set lo up
nsx ip link set lo mtu 1500
nsx ethtool -K lo tso off gso off gro off >/dev/null
# loopback connections may reuse a client port still in TIME-WAIT (the capture then holds a
# few port reuses, as real captures do)
nsx sysctl -qw net.ipv4.tcp_tw_reuse=1
nsx nft -f - <<EOF
table inet tcpsim {
  chain input {
    type filter hook input priority filter; policy accept;
    tcp dport $PORT tcp flags & syn == 0 numgen random mod 100 < $LOSS_PCT drop
    tcp sport $PORT tcp flags & syn == 0 numgen random mod 100 < $LOSS_PCT drop
  }
}
EOF

# a 64 MB capture buffer so that tcpdump keeps up, and immediate mode so that no packet is left
# in a half-filled ring block when it stops; $! is tcpdump itself (ip netns exec execs)
ip netns exec "$NS" tcpdump -i lo -n -s 0 -B 65536 --immediate-mode -w "$OUT" >"$WORK/tcpdump.log" 2>&1 &
TCPDUMP_PID=$!
for _ in $(seq 500); do grep -q "listening on" "$WORK/tcpdump.log" && break; sleep 0.02; done
grep -q "listening on" "$WORK/tcpdump.log" || die "tcpdump did not start: $(cat "$WORK/tcpdump.log")"

# server and clients on one CPU, so that the capture order is the sending order (see
# samples/make-samples.sh)
ip netns exec "$NS" taskset -c 0 "$WORK/echo_server" -q 127.0.0.1 $PORT 2>"$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 250); do [ -n "$(nsx ss -Htln "sport = :$PORT")" ] && break; sleep 0.02; done
[ -n "$(nsx ss -Htln "sport = :$PORT")" ] || die "echo server did not start"

sent() {
    NSTAT_HISTORY=$WORK/nstat.history nsx nstat -asz TcpOutSegs TcpRetransSegs |
        awk '$1 ~ /^Tcp/ { n += $2 } END { print n + 0 }'
}

START=$SECONDS
round=0
while [ "$(sent)" -lt "$MIN" ]; do
    round=$((round + 1))
    [ $round -le $MAX_ROUNDS ] || die "only $(sent) packets after $MAX_ROUNDS rounds"
    c="taskset -c 0 $WORK/echo_client -q"
    nsx timeout 60 $c -c 200 -n 2000 127.0.0.1 $PORT &      # short connections
    p1=$!
    nsx timeout 60 $c -c 50 -n 100000 127.0.0.1 $PORT &     # medium transfers
    p2=$!
    nsx timeout 60 $c -c 5 -n 2000000 127.0.0.1 $PORT &     # long transfers
    p3=$!
    wait $p1 && wait $p2 && wait $p3 || die "echo client failed in round $round"
    echo "make-capture: round $round: $(sent) packets so far" >&2
done

# let the last closes (and any retransmitted FIN) finish, then stop everything cleanly
for _ in $(seq 250); do [ -z "$(nsx ss -Htan exclude time-wait exclude listening)" ] && break; sleep 0.02; done
sleep 0.3
total=$(sent) # every segment the kernel sent; the capture should hold exactly these
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
kill -INT "$TCPDUMP_PID"
wait "$TCPDUMP_PID" || die "tcpdump failed: $(cat "$WORK/tcpdump.log")"
TCPDUMP_PID=""
ip netns del "$NS"
NS=""

captured=$(awk '/packets captured/ { print $1 }' "$WORK/tcpdump.log")
dropped=$(awk '/packets dropped by kernel/ { print $1 }' "$WORK/tcpdump.log")
[ "${dropped:-0}" -eq 0 ] ||
    echo "make-capture: warning: tcpdump lost $dropped packets (the capture is incomplete)" >&2
[ "$captured" -eq "$total" ] ||
    echo "make-capture: warning: $captured packets captured, the kernel sent $total" >&2
[ "$captured" -ge "$MIN" ] || die "only $captured packets captured"
echo "$OUT: $captured packets (the kernel sent $total), $(stat -c %s "$OUT") bytes," \
    "$round rounds, $((SECONDS - START)) s"
