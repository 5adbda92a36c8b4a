#!/usr/bin/env bash
# run.sh [options] CASE... - plays kernel comparison cases on the real Linux stack and in
# tcpsim, and compares the two captures segment by segment (tests/kernel/README.md).
#
# For each case (a name from tests/kernel/cases/ or a path to a .tcpsim file):
#   1. two fresh network namespaces, client and server (names with this shell's PID), IPv6 off,
#      the TCP sysctls below set explicitly and recorded;
#   2. kt_relay, started here in the root namespace, creates one TUN device inside each
#      namespace and holds every packet for half the case's RTT in each direction (this kernel
#      has no netem); offloads off, so every packet is wire-sized;
#   3. the case's drop rules as nftables rules on the receiver's input hook (numgen inc counts
#      the matching packets, so exactly the Nth is dropped; the sender's capture holds it);
#   4. tcpdump -B 8192 on both TUN devices; kt_peer plays each side's actions at the same times
#      after a common start; all of it pinned to one CPU (--cpu);
#   5. once only TIME-WAIT sockets are left, the counters (nstat, nft) are saved, the captures
#      stopped and checked: no packet dropped by tcpdump, every packet the relay carried in
#      each capture; a run that fails a check is made again (up to 3 times);
#   6. tcpsim --scenario-file CASE --write-pcap at the same vantage (the side whose segments are
#      dropped, else the client), and kt_compare between the two.
# Congestion control: a namespace's default can only be set to a CC listed in the root
# namespace's tcp_allowed_congestion_control (here "reno bbr"), so kt_peer sets cubic on each
# socket (TCP_CONGESTION) and checks it; the namespace sysctl is tried as well and recorded.
#
# Options:
#   --keep DIR     keep everything of case C in DIR/C/ (captures, logs, counters, the diff)
#   --runs N       play the kernel side N times and check that every run gives the same segments
#                  as the first (kt_compare run 1 against run K); the first is compared to tcpsim
#   --profile P    compare with tcpsim --profile P (default: the case's own, linux)
#   --tcpsim-arg A tcpsim gets option A too (repeatable), to explore: `--tcpsim-arg --mss
#                  --tcpsim-arg 1448` takes the 12 bytes of Linux's timestamps off by hand, to see
#                  the difference after that one (not what the test compares)
#   --cpu N        the CPU the case's programs run on (0)
#   --build DIR    the build directory (default: build/ of this repository)
#   -v             list every segment of both captures
#   --probe        only check that this machine can run the cases (exit 0, or 77 and why)
# Exit status: 0 every case matches, 1 a case differs (or the kernel runs did not repeat),
# 2 the harness failed, 77 cannot run here (not root, no namespaces, TUN or nftables).
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=$ROOT/build
KEEP=""
RUNS=1
PROFILE=""
EXTRA=()
CPU=0
VERBOSE=""
PROBE=0
CASES=()
MAX_TRIES=5
SLACK_US=${KT_SLACK_US:-2000} # how far a packet's delay or an action's time may stray

die() { echo "run.sh: error: $*" >&2; exit 2; }
log() {
    [ -n "${KT_QUIET:-}" ] || echo "run.sh: $*" >&2
    [ -z "${NOTES:-}" ] || echo "$*" >>"$NOTES"
}
# why a kernel run failed its checks: on stderr even with KT_QUIET, so that a harness failure in
# CI shows the reason of every try
warn() {
    echo "run.sh: $*" >&2
    [ -z "${NOTES:-}" ] || echo "$*" >>"$NOTES"
}
skip() { echo "skipped: $*"; exit 77; }

while [ $# -gt 0 ]; do
    case $1 in
    --keep) KEEP=${2:?--keep needs a directory}; shift 2 ;;
    --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
    --profile) PROFILE=${2:?--profile needs rfc or linux}; shift 2 ;;
    --tcpsim-arg) EXTRA+=("${2?--tcpsim-arg needs an option}"); shift 2 ;;
    --cpu) CPU=${2:?--cpu needs a number}; shift 2 ;;
    --build) BUILD=${2:?--build needs a directory}; shift 2 ;;
    -v) VERBOSE=-v; shift ;;
    --probe) PROBE=1; shift ;;
    -h | --help) sed -n '2,/^set -E/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) CASES+=("$1"); shift ;;
    esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive number, got '$RUNS'"
[[ $CPU =~ ^[0-9]+$ ]] || die "--cpu needs a CPU number, got '$CPU'"
case $PROFILE in "" | rfc | linux) ;; *) die "--profile must be rfc or linux, got '$PROFILE'" ;; esac

# ---------------------------------------------------------------------------------------------
# can this machine run it?
[ "$(id -u)" -eq 0 ] || skip "the kernel comparison needs root (network namespaces, TUN, nftables)"
for tool in ip ethtool tcpdump nft nstat ss taskset timeout; do
    command -v "$tool" >/dev/null 2>&1 || skip "'$tool' is not installed"
done
[ -c /dev/net/tun ] || skip "no /dev/net/tun (TUN driver)"
probe_ns=ktprobe-$$
ip netns add "$probe_ns" 2>/dev/null || skip "cannot create a network namespace here"
probe_ok=1
printf 'table ip t {\n chain c {\n  type filter hook input priority 0; policy accept;\n  numgen inc mod 2 0 counter\n }\n}\n' |
    ip netns exec "$probe_ns" nft -f - 2>/dev/null || probe_ok=0
ip netns del "$probe_ns"
[ $probe_ok -eq 1 ] || skip "nftables (input hook, numgen) does not work in a namespace here"
for p in kt_relay kt_peer kt_case kt_compare; do
    [ -x "$BUILD/tests/kernel/$p" ] || die "$BUILD/tests/kernel/$p is missing (build first, or --build DIR)"
done
[ -x "$BUILD/tcpsim" ] || die "$BUILD/tcpsim is missing (build first, or --build DIR)"
[ "$CPU" -lt "$(nproc)" ] || die "--cpu $CPU: this machine has $(nproc) CPUs"
[ $PROBE -eq 1 ] && exit 0
[ ${#CASES[@]} -gt 0 ] || die "no case given (the cases are in $HERE/cases/)"

KT=$BUILD/tests/kernel
TCPSIM=$BUILD/tcpsim
[ -x "$KT/kt_path" ] || die "$KT/kt_path is missing (build first, or --build DIR)"
# the relay and the peers run SCHED_FIFO when they may: a busy CPU (a compiler beside the test)
# must not delay a packet or an application call by milliseconds
RT=()
if chrt -f 50 true 2>/dev/null; then RT=(chrt -f 50); fi

# the kernel's timer frequency, for the comparer's timer granularity
kernel_hz() {
    local hz=""
    if [ -r /proc/config.gz ]; then
        hz=$(zcat /proc/config.gz 2>/dev/null | sed -n 's/^CONFIG_HZ=//p')
    elif [ -r "/boot/config-$(uname -r)" ]; then
        hz=$(sed -n 's/^CONFIG_HZ=//p' "/boot/config-$(uname -r)")
    fi
    if [ -z "$hz" ] && [ -r /proc/timer_list ]; then
        # measure: jiffies advanced over 0.5 s
        local j1 j2
        j1=$(awk '/^jiffies:/ { print $2; exit }' /proc/timer_list)
        sleep 0.5
        j2=$(awk '/^jiffies:/ { print $2; exit }' /proc/timer_list)
        hz=$(( (j2 - j1) * 2 ))
        for h in 100 250 300 1000; do
            [ $((hz - h)) -ge -10 ] && [ $((hz - h)) -le 10 ] && hz=$h
        done
    fi
    echo "${hz:-250}"
}
HZ=$(kernel_hz)

# ---------------------------------------------------------------------------------------------
# the sysctls set in both namespaces (Linux's defaults, written down so that a machine's own
# tuning cannot change the result).  tcp_rmem: this kernel's default maximum is 32 MiB (window
# scale 10); 6 MiB is the value Linux used for many years, which gives window scale 7.
SYSCTLS=(
    net.ipv6.conf.all.disable_ipv6=1
    net.ipv6.conf.default.disable_ipv6=1
    net.ipv4.tcp_congestion_control=cubic
    net.ipv4.tcp_sack=1
    net.ipv4.tcp_dsack=1
    net.ipv4.tcp_timestamps=1
    net.ipv4.tcp_window_scaling=1
    net.ipv4.tcp_early_retrans=3
    net.ipv4.tcp_recovery=1
    net.ipv4.tcp_frto=2
    net.ipv4.tcp_reordering=3
    net.ipv4.tcp_autocorking=1
    net.ipv4.tcp_min_rtt_wlen=300
    net.ipv4.tcp_no_metrics_save=0
    net.ipv4.tcp_ecn=2
    net.ipv4.tcp_fastopen=1
    net.ipv4.tcp_slow_start_after_idle=1
    net.ipv4.tcp_moderate_rcvbuf=1
    net.ipv4.tcp_adv_win_scale=1
    net.ipv4.tcp_app_win=31
    "net.ipv4.tcp_rmem=4096 131072 6291456"
    "net.ipv4.tcp_wmem=4096 16384 4194304"
    net.ipv4.tcp_mtu_probing=0
    net.ipv4.tcp_syn_retries=6
    net.ipv4.tcp_synack_retries=5
    net.ipv4.tcp_retries2=15
    net.ipv4.tcp_fin_timeout=60
    net.ipv4.tcp_thin_linear_timeouts=0
    net.ipv4.tcp_comp_sack_nr=44
    net.ipv4.tcp_comp_sack_delay_ns=1000000
    net.ipv4.tcp_pingpong_thresh=1
    net.ipv4.tcp_rto_min_us=200000
    net.ipv4.tcp_notsent_lowat=4294967295
    net.ipv4.tcp_limit_output_bytes=1048576
)

# ns_setup NS: loopback up, the sysctls; records what each one is afterwards in $OUT/sysctl.NS
ns_setup() {
    local ns=$1
    ip -n "$ns" link set lo up
    # one shell inside the namespace for all of them (each `ip netns exec` costs a mount
    # namespace, and a run's setup must disturb the cases running beside it as little as possible)
    printf '%s\n' "${SYSCTLS[@]}" | ip netns exec "$ns" bash -c '
        while IFS= read -r kv; do
            key=${kv%%=*} val=${kv#*=}
            path=/proc/sys/${key//.//}
            if [ ! -e "$path" ]; then
                echo "$key absent on this kernel"
            elif ! (printf "%s\n" "$val" >"$path") 2>/dev/null; then
                echo "$key = $(tr "\t" " " <"$path")  (setting $val refused)"
            else
                echo "$key = $(tr "\t" " " <"$path")"
            fi
        done' >"$RUN_DIR/sysctl.$ROLE"
}

# wait_until SECONDS COMMAND...: poll every 20 ms
wait_until() {
    local limit=$1; shift
    local end=$((SECONDS + limit))
    until "$@"; do
        [ $SECONDS -lt $end ] || return 1
        sleep 0.02
    done
}
quiet() {
    [ -z "$(ip netns exec "$NS_C" ss -Htan exclude time-wait)" ] &&
        [ -z "$(ip netns exec "$NS_S" ss -Htan exclude time-wait)" ]
}
pid_gone() { ! kill -0 "$1" 2>/dev/null; }

PIDS=() # processes started by this script and not reaped yet
NSS=()  # namespaces created and not deleted yet
WORK=""
cleanup() {
    local rc=$? p n
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    for n in "${NSS[@]}"; do ip netns del "$n" 2>/dev/null || true; done
    [ -n "$WORK" ] && [ -z "$KEEP" ] && rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

forget_pid() {
    local p keep=()
    for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
    PIDS=("${keep[@]+"${keep[@]}"}")
}
forget_ns() {
    local n keep=()
    for n in "${NSS[@]}"; do [ "$n" = "$1" ] || keep+=("$n"); done
    NSS=("${keep[@]+"${keep[@]}"}")
}

# tcpdump_ok LOG: no packet dropped, every packet received also written
tcpdump_ok() {
    local cap rec drop
    cap=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured.*/\1/p' "$1")
    rec=$(sed -n 's/^\([0-9]*\) packets\{0,1\} received by filter.*/\1/p' "$1")
    drop=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel.*/\1/p' "$1")
    [ -n "$cap" ] && [ "$cap" = "$rec" ] && [ "$drop" = 0 ]
}
pcap_packets() { tcpdump -nr "$1" 2>/dev/null | wc -l; }

# kernel_once CASE DIR: one kernel run of the case into DIR; sets ONCE_OK=0 when a check failed
# (worth another try), exits on harness errors.  (Not called in an `if`, so that `set -e`
# stays in force inside.)
kernel_once() {
    local case=$1 dir=$2 t0 relay_pid td_c td_s peer_c="" peer_s="" rc=0
    rm -rf "$dir"
    mkdir -p "$dir"
    RUN_DIR=$dir
    NS_C=ktc-$$-$RANDOM NS_S=kts-$$-$RANDOM
    ip netns add "$NS_C"; NSS+=("$NS_C")
    ip netns add "$NS_S"; NSS+=("$NS_S")
    ROLE=client ns_setup "$NS_C"
    ROLE=server ns_setup "$NS_S"

    taskset -c "$CPU" "${RT[@]+"${RT[@]}"}" "$KT/kt_relay" -a "$NS_C" -b "$NS_S" -d "$delay_us" -t 90 \
        >"$dir/relay.out" 2>"$dir/relay.err" &
    relay_pid=$!; PIDS+=("$relay_pid")
    wait_until 5 grep -q '^ready' "$dir/relay.out" || die "kt_relay did not start: $(cat "$dir/relay.err")"
    local ns dev me peer
    for spec in "$NS_C kt0 192.0.2.1 192.0.2.2" "$NS_S kt1 192.0.2.2 192.0.2.1"; do
        read -r ns dev me peer <<<"$spec"
        ip -n "$ns" addr add "$me" peer "$peer" dev "$dev"
        ip netns exec "$ns" ethtool -K "$dev" tso off gso off gro off >/dev/null 2>&1 || true
        ip -n "$ns" link set "$dev" up
        ip netns exec "$ns" ethtool -k "$dev" 2>/dev/null |
            grep -E '^(tcp-segmentation-offload|generic-segmentation-offload|generic-receive-offload):' \
                >>"$dir/offloads.txt" || true
    done
    if [ "$drops_client" -gt 0 ]; then
        "$KT/kt_case" nft "$CASE_FILE" server >"$dir/nft.server.rules"
        ip netns exec "$NS_S" nft -f "$dir/nft.server.rules" || die "nft refused $dir/nft.server.rules"
    fi
    if [ "$drops_server" -gt 0 ]; then
        "$KT/kt_case" nft "$CASE_FILE" client >"$dir/nft.client.rules"
        ip netns exec "$NS_C" nft -f "$dir/nft.client.rules" || die "nft refused $dir/nft.client.rules"
    fi

    ip netns exec "$NS_C" taskset -c "$CPU" tcpdump -i kt0 -n -s 0 -B 8192 --immediate-mode -U \
        -Z root -w "$dir/client.pcap" 2>"$dir/tcpdump.client.log" &
    td_c=$!; PIDS+=("$td_c")
    ip netns exec "$NS_S" taskset -c "$CPU" tcpdump -i kt1 -n -s 0 -B 8192 --immediate-mode -U \
        -Z root -w "$dir/server.pcap" 2>"$dir/tcpdump.server.log" &
    td_s=$!; PIDS+=("$td_s")
    wait_until 10 grep -q "listening on" "$dir/tcpdump.client.log" ||
        die "tcpdump did not start: $(cat "$dir/tcpdump.client.log")"
    wait_until 10 grep -q "listening on" "$dir/tcpdump.server.log" ||
        die "tcpdump did not start: $(cat "$dir/tcpdump.server.log")"

    # a common start at least 300 ms from now, at a fixed phase of the kernel's timer wheel
    # (kt_start.c); the server first, so that it listens in time
    read -r t0 align < <("$KT/kt_peer" --start 300 "$HZ")
    echo "$align, priority ${RT[*]:-normal}" >"$dir/start"
    if [ "$server" = 1 ]; then
        ip netns exec "$NS_S" taskset -c "$CPU" "${RT[@]+"${RT[@]}"}" "$KT/kt_peer" "$CASE_FILE" server "$t0" -T 30 \
            2>"$dir/peer.server.log" &
        peer_s=$!; PIDS+=("$peer_s")
    fi
    ip netns exec "$NS_C" taskset -c "$CPU" "${RT[@]+"${RT[@]}"}" "$KT/kt_peer" "$CASE_FILE" client "$t0" -T 30 \
        2>"$dir/peer.client.log" &
    peer_c=$!; PIDS+=("$peer_c")
    for p in $peer_c $peer_s; do
        if ! wait "$p"; then
            forget_pid "$p"
            log "$CASE_NAME: a peer failed: $(tail -3 "$dir"/peer.*.log)"
            rc=1
        fi
        forget_pid "$p"
    done
    # the traffic is over when only TIME-WAIT sockets are left; then two one-way delays for the
    # last packets to cross the relay
    if ! wait_until 30 quiet; then
        log "$CASE_NAME: connections still open: $(ip netns exec "$NS_C" ss -tan; ip netns exec "$NS_S" ss -tan)"
        rc=1
    fi
    sleep "$(awk -v d="$delay_us" 'BEGIN { printf "%.3f", 2 * d / 1e6 + 0.2 }')"
    for ns in "$NS_C" "$NS_S"; do
        local role=client
        [ "$ns" = "$NS_S" ] && role=server
        ip netns exec "$ns" ss -tan >"$dir/ss.$role"
        NSTAT_HISTORY=$dir/.nstat.$role ip netns exec "$ns" nstat -az >"$dir/nstat.$role"
        ip netns exec "$ns" nft list ruleset >"$dir/nft.$role.counters" 2>/dev/null || true
    done
    kill -INT "$td_c" "$td_s"
    wait "$td_c" || true; forget_pid "$td_c"
    wait "$td_s" || true; forget_pid "$td_s"
    kill -TERM "$relay_pid"
    wait "$relay_pid" || { warn "$CASE_NAME: the relay reports a failure: $(cat "$dir/relay.out" "$dir/relay.err")"; rc=1; }
    forget_pid "$relay_pid"
    ip netns del "$NS_C"; forget_ns "$NS_C"
    ip netns del "$NS_S"; forget_ns "$NS_S"

    # the checks
    local side
    for side in client server; do
        if ! tcpdump_ok "$dir/tcpdump.$side.log"; then
            warn "$CASE_NAME: tcpdump at the $side lost packets: $(tr '\n' ' ' <"$dir/tcpdump.$side.log")"
            rc=1
        fi
    done
    local carried n_c n_s
    carried=$(awk '/^kt_relay:/ { print $3 + $8 }' "$dir/relay.out")
    n_c=$(pcap_packets "$dir/client.pcap")
    n_s=$(pcap_packets "$dir/server.pcap")
    if [ "$n_c" != "$carried" ] || [ "$n_s" != "$carried" ]; then
        warn "$CASE_NAME: captures incomplete: client $n_c, server $n_s packets, the relay carried $carried"
        rc=1
    fi
    # the path was a fixed delay, and the applications acted on time
    if ! "$KT/kt_path" --slack "$SLACK_US" "$dir/client.pcap" "$dir/server.pcap" "$delay_us" \
        >"$dir/path.txt" 2>&1; then
        warn "$CASE_NAME: $(cat "$dir/path.txt")"
        rc=1
    fi
    local late
    for side in client server; do
        [ -f "$dir/peer.$side.log" ] || continue
        late=$(sed -n 's/.*actions late by at most \([0-9]*\) us$/\1/p' "$dir/peer.$side.log")
        if [ -n "$late" ] && [ "$late" -gt "$SLACK_US" ]; then
            warn "$CASE_NAME: the $side's actions ran up to $late us late"
            rc=1
        fi
    done
    # every drop rule dropped something: otherwise the run did not play the case
    local f
    for f in "$dir"/nft.*.counters; do
        [ -s "$f" ] || continue
        if grep -E 'counter packets 0 .*drop' "$f" >/dev/null; then
            warn "$CASE_NAME: a drop rule never matched: $(grep -E 'counter packets 0 .*drop' "$f" | sed 's/^ *//')"
            rc=1
        fi
    done
    ONCE_OK=$((rc == 0))
}

# kernel_run CASE DIR: kernel_once until its checks pass
kernel_run() {
    local try
    for try in $(seq 1 $MAX_TRIES); do
        kernel_once "$1" "$2"
        if [ "$ONCE_OK" = 1 ]; then
            echo "$try" >"$2/tries"
            return 0
        fi
        warn "$CASE_NAME: run failed its checks (try $try of $MAX_TRIES; kept as $(basename "$2").failed$try)"
        rm -rf "$2.failed$try"
        mv "$2" "$2.failed$try"
    done
    return 1
}

# ---------------------------------------------------------------------------------------------
if [ -n "$KEEP" ]; then
    mkdir -p "$KEEP"
    WORK=$(cd "$KEEP" && pwd)
else
    WORK=$(mktemp -d /tmp/tcpsim-kernel.XXXXXX)
fi

status=0
for c in "${CASES[@]}"; do
    if [ -f "$c" ]; then CASE_FILE=$(cd "$(dirname "$c")" && pwd)/$(basename "$c"); else CASE_FILE=$HERE/cases/$c.tcpsim; fi
    [ -f "$CASE_FILE" ] || die "no case '$c' (the cases are in $HERE/cases/)"
    CASE_NAME=$(basename "$CASE_FILE" .tcpsim)
    out=$WORK/$CASE_NAME
    rm -rf "$out"
    mkdir -p "$out"
    NOTES=$out/notes.txt # why runs were made again
    : >"$NOTES"
    "$KT/kt_case" check "$CASE_FILE" || die "$CASE_FILE cannot be played by the kernel run"
    eval "$("$KT/kt_case" info "$CASE_FILE")"
    start=$SECONDS
    for r in $(seq 1 "$RUNS"); do
        kernel_run "$CASE_FILE" "$out/run$r" || die "$CASE_NAME: no kernel run passed its checks (see $out/run$r)"
    done
    profile_args=()
    [ -n "$PROFILE" ] && profile_args=(--profile "$PROFILE")
    "$TCPSIM" --scenario-file "$CASE_FILE" -q "${profile_args[@]+"${profile_args[@]}"}" \
        "${EXTRA[@]+"${EXTRA[@]}"}" \
        --write-pcap "$out/tcpsim.pcap" --vantage "$vantage" --pcap-link raw 2>"$out/tcpsim.log" ||
        die "$CASE_NAME: tcpsim failed: $(cat "$out/tcpsim.log")"
    cp "$out/run1/$vantage.pcap" "$out/kernel.pcap"

    repeat=""
    for r in $(seq 2 "$RUNS"); do
        if ! "$KT/kt_compare" --hz "$HZ" --names "run1,run$r" "$out/run1/$vantage.pcap" \
            "$out/run$r/$vantage.pcap" >"$out/repeat$r.txt" 2>&1; then
            repeat="${repeat:+$repeat, }run $r ($(grep -E '^(segments|options): differ' "$out/repeat$r.txt" | head -1))"
        fi
    done
    set +e
    "$KT/kt_compare" $VERBOSE --hz "$HZ" "$out/kernel.pcap" "$out/tcpsim.pcap" >"$out/result.txt" 2>&1
    crc=$?
    set -e
    [ $crc -le 1 ] || die "$CASE_NAME: kt_compare failed: $(cat "$out/result.txt")"
    {
        echo "== $CASE_NAME (vantage $vantage, profile ${PROFILE:-linux}${EXTRA[*]:+ ${EXTRA[*]}}, Linux $(uname -r), HZ $HZ," \
             "$RUNS kernel run(s) in $((SECONDS - start)) s)"
        cat "$out/result.txt"
        reruns=$(awk '{ n += $1 - 1 } END { print n + 0 }' "$out"/run*/tries)
        echo "kernel runs made again: $reruns$([ "$reruns" -gt 0 ] && printf ' (why: notes.txt)')"
        if [ "$RUNS" -gt 1 ]; then
            if [ -z "$repeat" ]; then echo "kernel runs: all $RUNS the same"
            else echo "kernel runs: NOT the same: $repeat"; fi
        fi
    } | tee "$out/report.txt"
    [ $crc -eq 0 ] || status=1
    [ -z "$repeat" ] || status=1
done
NOTES=""
[ -n "$KEEP" ] && log "kept in $WORK"
exit $status
