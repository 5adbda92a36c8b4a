#!/usr/bin/env bash
# make-capture.sh OUT.pcap [MIN_PACKETS] - make a large capture of real loopback TCP traffic for
# the benchmark (default at least 300000 packets; not meant to be committed).
# make-capture.sh --bulk OUT.pcap [CONNS [BYTES]] - the bulk capture: CONNS (100) connections
# sending BYTES (4000000) each at once between two network namespaces, 1 % loss, captured at the
# client (about 400,000 packets).
#
# A private network namespace with only `lo` (MTU 1500, offloads off: wire-sized packets),
# tcpdump writing OUT.pcap, 1 % random loss on the INPUT hook for TCP on the test port (so there
# are retransmissions, SACK and recovery), and rounds of the echo client from samples/ running
# three mixes in parallel: many short connections, medium transfers, a few long ones.  Rounds go
# on until the kernel has sent MIN_PACKETS segments (TcpOutSegs + TcpRetransSegs in the
# namespace = the packets on lo).  Takes well under a minute; needs root.
#
# --bulk: namespaces "client" and "server" joined by a veth pair (MTU 1500; TSO, GSO, GRO and
# checksum offload off, so the capture holds wire-sized packets with real checksums).  Each
# namespace's input hook drops every 100th TCP segment without SYN that reaches it (nftables
# `numgen inc`: the machine has no netem), after the capture point for both directions.  The
# programs are bench/pcap_bulk.c, which set congestion control CUBIC on every socket (the
# namespace default here is BBR and cannot be changed to CUBIC from inside a namespace).
# tcpdump captures on the client's veth with an 8 MiB buffer; a run in which it reports dropped
# packets is made again (up to 3 times).
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PORT=5555
BULK_RATE=${BULK_RATE:-500000} # bytes per second per connection (unpaced, tcpdump drops)
LOSS_PCT=1
MAX_ROUNDS=40

die() { echo "make-capture: error: $*" >&2; exit 1; }


# ---- --bulk ---------------------------------------------------------------------------------
bulk_once() { # bulk_once OUT CONNS BYTES -> 0 when tcpdump lost nothing
    local out=$1 conns=$2 bytes=$3 work ns_c ns_s rc=0
    work=$(mktemp -d /tmp/tcpsim-bulk.XXXXXX)
    ns_c="tcpsim-bulk-c-$$" ns_s="tcpsim-bulk-s-$$"
    BULK_CLEAN="ip netns del $ns_c 2>/dev/null; ip netns del $ns_s 2>/dev/null; rm -rf $work"
    "${CC:-cc}" -std=c11 -O2 -Wall -Wextra -o "$work/pcap_bulk" "$ROOT/bench/pcap_bulk.c" ||
        die "cannot compile pcap_bulk.c"
    ip netns add "$ns_c"
    ip netns add "$ns_s"
    ip link add bulk0 netns "$ns_c" type veth peer name bulk1 netns "$ns_s"
    local ns addr dev
    for ns in "$ns_c" "$ns_s"; do
        if [ "$ns" = "$ns_c" ]; then addr=10.99.0.1 dev=bulk0; else addr=10.99.0.2 dev=bulk1; fi
        ip -n "$ns" link set lo up
        ip -n "$ns" addr add "$addr/24" dev "$dev"
        ip -n "$ns" link set "$dev" mtu 1500 up
        ip netns exec "$ns" ethtool -K "$dev" tso off gso off gro off tx off rx off >/dev/null 2>&1 ||
            ip netns exec "$ns" ethtool -K "$dev" tso off gso off gro off >/dev/null
        printf 'table inet bulk {\n chain input {\n  type filter hook input priority filter; policy accept;\n  tcp flags & syn == 0 numgen inc mod 100 == 99 counter drop\n }\n}\n' |
            ip netns exec "$ns" nft -f -
    done
    ip netns exec "$ns_c" tcpdump -i bulk0 -n -s 0 -B 8192 --immediate-mode -w "$out" \
        "tcp port $PORT" >"$work/tcpdump.log" 2>&1 &
    local tcpdump_pid=$!
    for _ in $(seq 500); do grep -q "listening on" "$work/tcpdump.log" && break; sleep 0.02; done
    grep -q "listening on" "$work/tcpdump.log" || die "tcpdump did not start: $(cat "$work/tcpdump.log")"
    ip netns exec "$ns_s" taskset -c 0 "$work/pcap_bulk" server 10.99.0.2 $PORT "$conns" cubic &
    local server_pid=$!
    for _ in $(seq 250); do [ -n "$(ip netns exec "$ns_s" ss -Htln "sport = :$PORT")" ] && break; sleep 0.02; done
    local start=$SECONDS
    ip netns exec "$ns_c" taskset -c 0 "$work/pcap_bulk" client 10.99.0.2 $PORT "$conns" "$bytes" cubic "$BULK_RATE" ||
        rc=1
    wait "$server_pid" || rc=1
    sleep 0.3
    kill -INT "$tcpdump_pid"
    wait "$tcpdump_pid" || true
    local captured dropped ifdrop
    captured=$(awk '/packets captured/ { print $1 }' "$work/tcpdump.log")
    dropped=$(awk '/packets dropped by kernel/ { print $1 }' "$work/tcpdump.log")
    ifdrop=$(ip netns exec "$ns_c" nft list ruleset | awk '/counter/ { for (i = 1; i <= NF; i++) if ($i == "packets") print $(i + 1) }')
    echo "make-capture: bulk: $captured packets captured, $dropped dropped by tcpdump," \
        "${ifdrop:-?} dropped by the client's rule, $((SECONDS - start)) s" >&2
    eval "$BULK_CLEAN"
    BULK_CLEAN=""
    [ $rc -eq 0 ] || die "the bulk transfer failed"
    [ "${dropped:-1}" -eq 0 ]
}

if [ "${1:-}" = "--bulk" ]; then
    shift
    [ $# -ge 1 ] && [ $# -le 3 ] || die "usage: $0 --bulk OUT.pcap [CONNS [BYTES]]"
    [ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces, tcpdump, nftables)"
    for tool in ip ethtool tcpdump nft ss; do
        command -v "$tool" >/dev/null || die "'$tool' not found in PATH"
    done
    OUT=$1
    mkdir -p "$(dirname "$OUT")"
    BULK_CLEAN=""
    trap 'rc=$?; [ -n "$BULK_CLEAN" ] && eval "$BULK_CLEAN"; exit $rc' EXIT
    trap 'exit 130' INT TERM
    for try in 1 2 3; do
        if bulk_once "$OUT" "${2:-100}" "${3:-4000000}"; then
            echo "$OUT: $(stat -c %s "$OUT") bytes (try $try)"
            exit 0
        fi
        echo "make-capture: tcpdump dropped packets, making the capture again" >&2
    done
    die "tcpdump dropped packets in 3 tries"
fi

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
