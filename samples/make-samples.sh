#!/usr/bin/env bash
# make-samples.sh [OUTDIR] [NAME...] - make the real-kernel sample captures in samples/.
#
# For each sample: a fresh network namespace with only `lo` (MTU 1500, offloads off so packets
# are wire-sized), tcpdump capturing on it, optional nftables drops on the INPUT hook (the capture
# sees the packet leave, the rule drops it on the way in, so the file holds the lost original and
# the kernel's retransmission), the echo server and client from this directory, and then, saved
# beside NAME.pcap:
#   NAME.nstat  `nstat -az` in the namespace (Tcp* and TcpExt* lines): the absolute counters of a
#               fresh namespace, i.e. exactly this scenario's counts, both endpoints added up
#   NAME.ss     `ss -tan state time-wait` in the namespace once the traffic is over: the local
#               address of each line is the endpoint left in TIME-WAIT
# Each sample is checked (counters, TIME-WAIT side, capture complete); a sample whose outcome is
# random (loss) is made again, up to 5 times, when it did not show what it is meant to show.
# Files are only written to OUTDIR once a sample passed its checks.
#
# Needs root, ip (iproute2), ethtool, tcpdump, tshark, capinfos, nft, nstat, ss, taskset and a C
# compiler
# (or ECHO_SERVER / ECHO_CLIENT pointing at built binaries). SAMPLES_CPU: the CPU to run on (0).
# OUTDIR defaults to the directory of this script; NAME defaults to all samples.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ALL_SAMPLES=(clean loss synloss refused serverclose halfclose ipv6 concurrent finloss lastackloss
             zerowindow)
PORT=5555
MAX_TRIES=5
# The server and the client run on one CPU.  libpcap keeps the copy of each loopback packet that
# is *received* (it skips the outgoing copy), and a packet is received on the CPU that sent it:
# segments of one connection sent from two CPUs (the process on one, softirq on the other) can
# come out of the per-CPU backlogs, and into the capture, in another order than they were sent.
# On one CPU, the capture order is the sending order.
CPU=${SAMPLES_CPU:-0}

die() { echo "make-samples: error: $*" >&2; exit 1; }
log() { echo "make-samples: $*" >&2; }

# ---------------------------------------------------------------------------------------------
# arguments and prerequisites
OUTDIR=${1:-$HERE}
[ $# -gt 0 ] && shift
if [ $# -gt 0 ]; then SAMPLES=("$@"); else SAMPLES=("${ALL_SAMPLES[@]}"); fi
for s in "${SAMPLES[@]}"; do
    [[ " ${ALL_SAMPLES[*]} " == *" $s "* ]] || die "unknown sample '$s' (known: ${ALL_SAMPLES[*]})"
done
[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces, tcpdump, nftables)"
for tool in ip ethtool tcpdump tshark nft nstat ss capinfos timeout taskset; do
    command -v "$tool" >/dev/null || die "'$tool' not found in PATH"
done
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)

WORK=$(mktemp -d /tmp/tcpsim-samples.XXXXXX)
NS=""
SERVER_PID=""
TCPDUMP_PID=""

cleanup() {
    local rc=$?
    # only the processes this script started and has not reaped yet
    for pid in $SERVER_PID $TCPDUMP_PID; do kill "$pid" 2>/dev/null || true; done
    for pid in $SERVER_PID $TCPDUMP_PID; do wait "$pid" 2>/dev/null || true; done
    # deleting the namespace also deletes its nftables tables
    if [ -n "$NS" ] && ip netns list | grep -qw "$NS"; then ip netns del "$NS" || true; fi
    rm -rf "$WORK"
    [ $rc -ne 0 ] && echo "make-samples: FAILED (exit $rc)" >&2
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# the echo programs
if [ -n "${ECHO_SERVER:-}" ] || [ -n "${ECHO_CLIENT:-}" ]; then
    SERVER=${ECHO_SERVER:?set both ECHO_SERVER and ECHO_CLIENT}
    CLIENT=${ECHO_CLIENT:?set both ECHO_SERVER and ECHO_CLIENT}
else
    CC=${CC:-cc}
    command -v "$CC" >/dev/null || die "no C compiler ('$CC'); set CC or ECHO_SERVER/ECHO_CLIENT"
    for p in echo_server echo_client; do
        "$CC" -std=c11 -O2 -Wall -Wextra -Wconversion -o "$WORK/$p" "$HERE/$p.c" ||
            die "cannot compile $p.c"
    done
    SERVER=$WORK/echo_server
    CLIENT=$WORK/echo_client
fi
[ -x "$SERVER" ] && [ -x "$CLIENT" ] || die "echo programs not executable: $SERVER $CLIENT"

# ---------------------------------------------------------------------------------------------
# helpers, all acting on the current namespace $NS
nsx() { ip netns exec "$NS" "$@"; }

ns_up() {
    NS="tcpsim-$1-$$"
    ip netns add "$NS"
    nsx ip link set lo up
    nsx ip link set lo mtu 1500
    nsx ethtool -K lo tso off gso off gro off >/dev/null
}

ns_down() {
    ip netns del "$NS"
    NS=""
}

# nft_rules RULE...: a table whose input chain holds the given rules, plus two dynamic sets
#   once     client ports for which a packet was already dropped ("drop only the first")
#   finseen  client ports that have sent their FIN
nft_rules() {
    {
        echo "table inet tcpsim {"
        echo "  set once { type inet_service; flags dynamic; }"
        echo "  set finseen { type inet_service; flags dynamic; }"
        echo "  chain input {"
        echo "    type filter hook input priority filter; policy accept;"
        for r in "$@"; do echo "    $r"; done
        echo "  }"
        echo "}"
    } | nsx nft -f -
}

# wait_until SECONDS COMMAND...: poll every 20 ms until COMMAND succeeds
wait_until() {
    local limit=$1; shift
    local end=$((SECONDS + limit))
    until "$@"; do
        [ $SECONDS -lt $end ] || return 1
        sleep 0.02
    done
}

listening() { [ -n "$(nsx ss -Htln "sport = :$PORT")" ]; }
# only TIME-WAIT sockets left (or none): every connection has finished its close
quiet_now() { [ -z "$(nsx ss -Htan exclude time-wait)" ]; }
alive() { kill -0 "$1" 2>/dev/null; }

# start_server ARGS...: the echo server in the namespace; waits until it listens
start_server() {
    # `ip netns exec` execs the program, so $! is the server itself (not a subshell)
    ip netns exec "$NS" taskset -c "$CPU" "$SERVER" -q "$@" >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    wait_until 5 listening || die "echo server did not start listening (see $WORK/server.log)"
}

# wait_server: the server exits once it has served its -n connections
wait_server() {
    if ! wait_until 30 eval '! alive "$SERVER_PID"'; then
        kill "$SERVER_PID" 2>/dev/null || true
        die "echo server did not finish"
    fi
    local pid=$SERVER_PID
    SERVER_PID=""
    wait "$pid" || die "echo server failed: $(cat "$WORK/server.log")"
}

client() { nsx timeout 30 taskset -c "$CPU" "$CLIENT" -q "$@"; }

start_capture() {
    : >"$WORK/tcpdump.log"
    # full snaplen, packets handed over and written as they come; $! is tcpdump itself
    ip netns exec "$NS" tcpdump -i lo -n -s 0 --immediate-mode -U -Z root -w "$1" \
        >"$WORK/tcpdump.log" 2>&1 &
    TCPDUMP_PID=$!
    # tcpdump prints "listening on lo ..." once the capture is active
    wait_until 10 grep -q "listening on" "$WORK/tcpdump.log" ||
        die "tcpdump did not start: $(cat "$WORK/tcpdump.log")"
}

stop_capture() {
    sleep 0.2 # let the last packets reach the ring buffer
    local pid=$TCPDUMP_PID
    kill -INT "$pid"
    TCPDUMP_PID=""
    wait "$pid" || die "tcpdump failed: $(cat "$WORK/tcpdump.log")"
    grep -q "^0 packets dropped by kernel" "$WORK/tcpdump.log" ||
        die "tcpdump dropped packets: $(cat "$WORK/tcpdump.log")"
}

# counter NAME: value of a counter in the current sample's nstat file
counter() { awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print 0 }' "$WORK/$CUR.nstat"; }
# tw_ports: the local ports of the TIME-WAIT sockets
tw_ports() { awk 'NR > 1 { n = split($3, a, ":"); print a[n] }' "$WORK/$CUR.ss"; }
tw_count() { tw_ports | wc -l; }
# tw_side: "client", "server", "none" or "both"
tw_side() {
    local s=0 c=0 p
    for p in $(tw_ports); do if [ "$p" = "$PORT" ]; then s=1; else c=1; fi; done
    case "$s$c" in 00) echo none ;; 01) echo client ;; 10) echo server ;; *) echo both ;; esac
}
pcap_count() { capinfos -M -c "$1" | awk -F: '/Number of packets/ { gsub(/ /, "", $2); print $2 }'; }
# resent: segments in the capture that carry sequence space (SYN, data, FIN) their sender had
# already sent (the end of the segment is not beyond the highest end seen in that direction);
# on a capture in sending order, this equals the kernel's TcpRetransSegs
resent() {
    tshark -r "$WORK/$CUR.pcap" -o tcp.relative_sequence_numbers:FALSE -T fields \
        -e tcp.stream -e tcp.srcport -e tcp.seq -e tcp.len -e tcp.flags.syn -e tcp.flags.fin 2>/dev/null |
        awk -F'\t' '
        function yes(v) { return v == "1" || v == "True" }
        {
            n = $4 + yes($5) + yes($6)
            if (n == 0) next
            k = $1 "/" $2; end = ($3 + n) % 4294967296
            if (k in hi) {
                d = (end - hi[k] + 4294967296) % 4294967296
                if (d == 0 || d >= 2147483648) { r++; next }
            }
            hi[k] = end
        }
        END { print r + 0 }'
}
# pkts FILTER: how many packets of the capture match a tcpdump filter
pkts() { tcpdump -nr "$WORK/$CUR.pcap" "$@" 2>/dev/null | wc -l; }

# expect DESCRIPTION TEST...: record a failed check
expect() {
    local what=$1; shift
    if ! "$@"; then
        log "  $CUR: not as intended: $what"
        CHECK_OK=0
    fi
}

# ---------------------------------------------------------------------------------------------
# the scenarios: each runs the traffic (the capture is already running)
MSG_BYTES=8000

run_clean() {
    start_server -n 1 127.0.0.1 $PORT
    client -n $MSG_BYTES 127.0.0.1 $PORT
    wait_server
}
check_clean() {
    expect "no retransmission" [ "$(counter TcpRetransSegs)" -eq 0 ]
    expect "no reset" [ "$(counter TcpOutRsts)" -eq 0 ]
    expect "client in TIME-WAIT" [ "$(tw_side)" = client ]
}

LOSS_PCT=4
run_loss() {
    # random loss on input, both directions, TCP on the test port only, SYNs spared
    nft_rules \
        "tcp dport $PORT tcp flags & syn == 0 numgen random mod 100 < $LOSS_PCT counter drop" \
        "tcp sport $PORT tcp flags & syn == 0 numgen random mod 100 < $LOSS_PCT counter drop"
    start_server -n 1 127.0.0.1 $PORT
    client -n 100000 127.0.0.1 $PORT
    wait_server
}
check_loss() {
    expect "retransmissions" [ "$(counter TcpRetransSegs)" -gt 0 ]
    expect "a fast retransmission" [ "$(counter TcpExtTCPFastRetrans)" -gt 0 ]
    # a non-SYN header longer than 20 + 12 (timestamps) bytes carries SACK blocks
    expect "SACK blocks seen" [ "$(pkts 'tcp[12] > 0x80 and tcp[tcpflags] & tcp-syn == 0')" -gt 0 ]
    expect "client in TIME-WAIT" [ "$(tw_side)" = client ]
}

run_synloss() {
    nft_rules "tcp dport $PORT tcp flags & (syn|ack) == syn tcp sport != @once add @once { tcp sport } counter drop"
    start_server -n 1 127.0.0.1 $PORT
    client -n $MSG_BYTES 127.0.0.1 $PORT
    wait_server
}
check_synloss() {
    expect "one SYN retransmission" [ "$(counter TcpExtTCPSynRetrans)" -eq 1 ]
    expect "one retransmission in all" [ "$(counter TcpRetransSegs)" -eq 1 ]
    expect "two SYNs" [ "$(pkts 'tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn')" -eq 2 ]
    expect "client in TIME-WAIT" [ "$(tw_side)" = client ]
}

run_refused() {
    # nobody listens on the port: the SYN is answered by a RST
    if client 127.0.0.1 $PORT 2>"$WORK/client.err"; then die "refused: the connection succeeded"; fi
    grep -q "Connection refused" "$WORK/client.err" || die "refused: $(cat "$WORK/client.err")"
}
check_refused() {
    expect "one failed attempt" [ "$(counter TcpAttemptFails)" -eq 1 ]
    expect "one RST" [ "$(counter TcpOutRsts)" -eq 1 ]
    expect "nobody in TIME-WAIT" [ "$(tw_side)" = none ]
}

run_serverclose() {
    # the server closes once it has echoed the message; the client waits for that EOF
    start_server -n 1 -c $MSG_BYTES 127.0.0.1 $PORT
    client -w -n $MSG_BYTES 127.0.0.1 $PORT
    wait_server
}
check_serverclose() {
    expect "no retransmission" [ "$(counter TcpRetransSegs)" -eq 0 ]
    expect "server in TIME-WAIT" [ "$(tw_side)" = server ]
}

run_halfclose() {
    # the client sends, then shutdown(SHUT_WR); the server goes on sending 4 x 1000 bytes,
    # 150 ms apart, after the client's FIN, then closes
    start_server -n 1 -e 4000 -k 1000 -d 150 127.0.0.1 $PORT
    client -s -n $MSG_BYTES 127.0.0.1 $PORT
    wait_server
}
check_halfclose() {
    expect "no retransmission" [ "$(counter TcpRetransSegs)" -eq 0 ]
    expect "client in TIME-WAIT" [ "$(tw_side)" = client ]
    # data from the server after the client's FIN: check the order in the capture
    expect "server data after the client's FIN" halfclose_order
}
halfclose_order() {
    tcpdump -nr "$WORK/$CUR.pcap" 2>/dev/null | awk -v p=".$PORT:" '
        index($0, p) && $0 ~ /Flags \[F/ { cfin = 1 }
        cfin && !index($0, p) && $0 ~ /length [1-9]/ { n++ }
        END { exit !(n >= 4) }'
}

run_ipv6() {
    start_server -n 1 ::1 $PORT
    client -n $MSG_BYTES ::1 $PORT
    wait_server
}
check_ipv6() {
    expect "IPv6 packets" [ "$(pkts ip6)" -gt 0 ]
    expect "no IPv4 packets" [ "$(pkts ip)" -eq 0 ]
    expect "no retransmission" [ "$(counter TcpRetransSegs)" -eq 0 ]
    expect "client in TIME-WAIT" [ "$(tw_side)" = client ]
}

CONC=12
run_concurrent() {
    start_server -n $CONC 127.0.0.1 $PORT
    client -c $CONC -n 4000 127.0.0.1 $PORT
    wait_server
}
check_concurrent() {
    expect "$CONC active opens" [ "$(counter TcpActiveOpens)" -eq $CONC ]
    expect "$CONC passive opens" [ "$(counter TcpPassiveOpens)" -eq $CONC ]
    expect "$CONC clients in TIME-WAIT" [ "$(tw_count)" -eq $CONC ]
    expect "only clients in TIME-WAIT" [ "$(tw_side)" = client ]
    expect "no retransmission" [ "$(counter TcpRetransSegs)" -eq 0 ]
}

run_finloss() {
    # the client's first FIN is dropped on its way into the server
    nft_rules "tcp dport $PORT tcp flags & fin == fin tcp sport != @once add @once { tcp sport } counter drop"
    start_server -n 1 127.0.0.1 $PORT
    client -n $MSG_BYTES 127.0.0.1 $PORT
    wait_server
}
check_finloss() {
    expect "one retransmission (the FIN)" [ "$(counter TcpRetransSegs)" -eq 1 ]
    expect "two client FINs" [ "$(pkts "tcp dst port $PORT and tcp[tcpflags] & tcp-fin != 0")" -eq 2 ]
    expect "client in TIME-WAIT" [ "$(tw_side)" = client ]
}

run_lastackloss() {
    # the client closes first; its final ACK (the first pure ACK it sends after its own FIN,
    # which acknowledges the server's FIN) is dropped: the server, in LAST-ACK, retransmits
    # its FIN, and the client, in TIME-WAIT, acknowledges it again
    nft_rules \
        "tcp dport $PORT tcp flags & fin == fin add @finseen { tcp sport }" \
        "tcp dport $PORT tcp flags == ack tcp sport @finseen tcp sport != @once add @once { tcp sport } counter drop"
    start_server -n 1 127.0.0.1 $PORT
    client -n $MSG_BYTES 127.0.0.1 $PORT
    wait_server
}
check_lastackloss() {
    expect "one retransmission (the server's FIN)" [ "$(counter TcpRetransSegs)" -eq 1 ]
    expect "two server FINs" [ "$(pkts "tcp src port $PORT and tcp[tcpflags] & tcp-fin != 0")" -eq 2 ]
    expect "client in TIME-WAIT" [ "$(tw_side)" = client ]
}

run_zerowindow() {
    # a small receive buffer and a server that does not read for 2 s: the window closes and
    # the client probes it; then the server reads, the window opens, and the echo completes
    start_server -n 1 -r 4096 -p 2000 127.0.0.1 $PORT
    client -n 30000 127.0.0.1 $PORT
    wait_server
}
check_zerowindow() {
    expect "zero window advertised" [ "$(counter TcpExtTCPToZeroWindowAdv)" -gt 0 ]
    expect "window probes" [ "$(counter TcpExtTCPWinProbe)" -gt 0 ]
    expect "zero-window segments" [ "$(pkts 'tcp[14:2] == 0 and tcp[tcpflags] & tcp-rst == 0')" -gt 0 ]
    expect "client in TIME-WAIT" [ "$(tw_side)" = client ]
}

# ---------------------------------------------------------------------------------------------
# make one sample into $WORK; CHECK_OK=0 when it did not come out as intended
# (not called in an `if`, so that `set -e` stays in force inside)
make_one() {
    CUR=$1
    rm -f "$WORK/$CUR".* "$WORK"/*.log
    ns_up "$CUR"
    start_capture "$WORK/$CUR.pcap"
    "run_$CUR"
    # the traffic is over when only TIME-WAIT sockets are left (a lost final ACK or FIN takes
    # a retransmission timeout to repair)
    wait_until 20 quiet_now || die "$CUR: connections still open: $(nsx ss -tan)"
    sleep 0.3
    nsx ss -tan state time-wait >"$WORK/$CUR.ss"
    NSTAT_HISTORY=$WORK/nstat.history nsx nstat -asz | grep -E '^(#kernel|Tcp)' >"$WORK/$CUR.nstat"
    stop_capture
    ns_down

    CHECK_OK=1
    # the capture is complete: every segment the kernel sent is in it (TcpOutSegs counts
    # everything sent except retransmissions, which TcpRetransSegs counts)
    local n sent
    n=$(pcap_count "$WORK/$CUR.pcap")
    sent=$(( $(counter TcpOutSegs) + $(counter TcpRetransSegs) ))
    expect "capture complete ($n packets, kernel sent $sent)" [ "$n" -eq "$sent" ]
    local r
    r=$(resent)
    expect "capture in sending order ($r segments resent, kernel: $(counter TcpRetransSegs))" \
        [ "$r" -eq "$(counter TcpRetransSegs)" ]
    "check_$CUR"
}

# the summary, as a Markdown table (README.md holds a copy)
summary_header() {
    echo "| sample | packets | bytes | TcpRetransSegs | TcpOutRsts | TCPSynRetrans | TCPLossProbes |" \
        "TIME-WAIT |"
    echo "|---|--:|--:|--:|--:|--:|--:|---|"
}
summary_line() {
    local tw
    case "$(tw_count)" in
        0) tw="none" ;;
        1) tw="$(tw_side) $(awk 'NR > 1 { print $3 }' "$WORK/$CUR.ss")" ;;
        *) tw="$(tw_count) × $(tw_side)" ;;
    esac
    echo "| $CUR | $(pcap_count "$OUTDIR/$CUR.pcap") | $(stat -c %s "$OUTDIR/$CUR.pcap") |" \
        "$(counter TcpRetransSegs) | $(counter TcpOutRsts) | $(counter TcpExtTCPSynRetrans) |" \
        "$(counter TcpExtTCPLossProbes) | $tw |"
}

START=$SECONDS
SUMMARY=()
for s in "${SAMPLES[@]}"; do
    ok=0
    for try in $(seq 1 $MAX_TRIES); do
        log "$s (try $try)"
        make_one "$s"
        if [ $CHECK_OK -eq 1 ]; then ok=1; break; fi
    done
    [ $ok -eq 1 ] || die "$s: not as intended after $MAX_TRIES tries"
    for ext in pcap nstat ss; do cp "$WORK/$s.$ext" "$OUTDIR/$s.$ext"; done
    SUMMARY+=("$(summary_line)")
done

echo "made in $OUTDIR on Linux $(uname -r) in $((SECONDS - START)) s:"
summary_header
printf '%s\n' "${SUMMARY[@]}"
for s in "${SAMPLES[@]}"; do echo "  $OUTDIR/$s.pcap $OUTDIR/$s.nstat $OUTDIR/$s.ss"; done
