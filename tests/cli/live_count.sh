#!/bin/sh
# live_count.sh TCPSIM - `tcpsim -i lo -c 2` in a fresh network namespace stops by itself after
# two packets, as tcpdump -c does: a connection attempt to a closed port makes exactly a SYN and
# a RST, and tcpsim must exit 0 with "capture: 2 packets" without being signalled.  Needs root
# and network namespaces; without them it says why and exits 77 (skipped).
set -u
tcpsim=$1
if [ "$(id -u)" -ne 0 ]; then
    echo "skipped: capturing on an interface needs root"
    exit 77
fi
ns=tcpsim-count-$$
if ! ip netns add "$ns" 2>/dev/null; then
    echo "skipped: cannot create a network namespace here"
    exit 77
fi
out=$(mktemp -d /tmp/tcpsim-live-count.XXXXXX)
trap 'ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null; ip netns del "$ns"; rm -rf "$out"' EXIT
ip netns exec "$ns" ip link set lo up
# `ip netns exec` execs the command, so $! is tcpsim itself
ip netns exec "$ns" "$tcpsim" -i lo -n -c 2 -f 'tcp port 9' >"$out/trace" 2>"$out/err" &
live=$!
(sleep 20 && kill -9 "$live") >/dev/null 2>&1 &
watchdog=$!
for _ in $(seq 50); do grep -q capturing "$out/err" && break; sleep 0.1; done
# nothing listens on port 9: SYN, then RST,ACK
ip netns exec "$ns" bash -c 'echo >/dev/tcp/127.0.0.1/9' 2>/dev/null
wait "$live"
status=$?
kill "$watchdog" 2>/dev/null
cat "$out/trace"
if [ "$status" -ne 0 ]; then
    echo "FAIL: tcpsim -i lo -c 2 exited $status (137: it did not stop by itself): $(cat "$out/err")"
    exit 1
fi
if ! grep -q '^capture: 2 packets, 2 TCP, 1 connection\($\|;\)' "$out/trace"; then
    echo "FAIL: expected 'capture: 2 packets, 2 TCP, 1 connection', got: $(tail -1 "$out/trace")"
    exit 1
fi
echo "ok: tcpsim -i lo -c 2 stopped by itself after the SYN and the RST"
