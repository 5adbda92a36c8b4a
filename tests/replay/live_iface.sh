#!/bin/sh
# live_iface.sh TCPSIM ECHO_SERVER ECHO_CLIENT - `tcpsim --live lo` in a fresh network namespace
# while the echo programs make one connection: the summary must show that connection with the
# client left in TIME-WAIT and the server CLOSED.  Needs root and network namespaces; without
# them it says why and exits 77 (skipped).
set -u
tcpsim=$1 server=$2 client=$3
if [ "$(id -u)" -ne 0 ]; then
    echo "skipped: capturing on an interface needs root"
    exit 77
fi
ns=tcpsim-live-$$
if ! ip netns add "$ns" 2>/dev/null; then
    echo "skipped: cannot create a network namespace here"
    exit 77
fi
out=$(mktemp -d /tmp/tcpsim-live-iface.XXXXXX)
trap 'ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null; ip netns del "$ns"; rm -rf "$out"' EXIT
ip netns exec "$ns" ip link set lo up
# `ip netns exec` execs the command, so $! is tcpsim itself
ip netns exec "$ns" "$tcpsim" --live lo -f 'tcp port 5555' --summary --json \
    >"$out/summary.json" 2>"$out/err" &
live=$!
(sleep 30 && kill -9 "$live") >/dev/null 2>&1 &
watchdog=$!
# wait until the capture runs, then until the server listens (a loaded machine is slow)
for _ in $(seq 50); do grep -q capturing "$out/err" && break; sleep 0.1; done
ip netns exec "$ns" "$server" 127.0.0.1 5555 >"$out/server.log" 2>&1 &
for _ in $(seq 50); do
    ip netns exec "$ns" ss -ltn 2>/dev/null | grep -q ':5555 ' && break
    sleep 0.1
done
ip netns exec "$ns" "$client" 127.0.0.1 5555 >"$out/client.log" 2>&1
sleep 0.5 # the last packets reach the capture
kill -INT "$live" # Ctrl-C: tcpsim prints its summary and exits 0
wait "$live"
status=$?
kill "$watchdog" 2>/dev/null
cat "$out/summary.json"
if [ "$status" -ne 0 ]; then
    echo "FAIL: tcpsim --live exited $status: $(cat "$out/err")"
    exit 1
fi
conns=$(grep -c '"ev":"conn"' "$out/summary.json")
final=$(grep -o '"final":{"client":"[A-Z-]*","server":"[A-Z-]*"}' "$out/summary.json")
if [ "$conns" -ne 1 ] || [ "$final" != '"final":{"client":"TIME-WAIT","server":"CLOSED"}' ]; then
    echo "FAIL: expected one connection ending client TIME-WAIT, server CLOSED; got $conns: $final"
    exit 1
fi
echo "ok: --live saw the connection: $final"
