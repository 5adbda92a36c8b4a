#!/bin/sh
# tcpdump_opts.sh TCPSIM SAMPLES - tcpdump's short options: -r FILE is --pcap FILE (the same
# trace, summary and JSON, byte for byte), -c N stops after exactly N packets, counted after the
# -f filter as tcpdump counts them (checked against tcpdump itself), -n changes nothing, -w FILE
# writes what --write-pcap FILE writes, -i IFACE is --live IFACE, and -V prints tcpsim's version
# and the libpcap (the same as tcpdump's) and cairo versions it runs with; the words after the
# options are the filter, as tcpdump takes them.
set -u
tcpsim=$(realpath "$1") samples=$(realpath "$2")
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
loss=$samples/loss.pcap

# -r = --pcap
for extra in "--summary" "" "--json" "--summary --json"; do
    # shellcheck disable=SC2086
    "$tcpsim" -r "$loss" $extra >"$tmp/r" 2>&1
    rc_r=$?
    # shellcheck disable=SC2086
    "$tcpsim" --pcap "$loss" $extra >"$tmp/pcap" 2>&1
    rc_p=$?
    if [ $rc_r -ne 0 ] || [ $rc_r -ne $rc_p ] || ! cmp -s "$tmp/r" "$tmp/pcap"; then
        bad "tcpsim -r loss.pcap $extra differs from --pcap (exit $rc_r / $rc_p)"
    else
        echo "ok: -r loss.pcap $extra = --pcap loss.pcap $extra ($(wc -l <"$tmp/r") lines)"
    fi
done
[ "$(tail -1 "$tmp/r")" != "" ] || bad "empty output"

# -c N: exactly N packets
for n in 1 5 208 209; do
    "$tcpsim" -r "$loss" -c $n --json >"$tmp/c" || bad "-c $n exits $?"
    sends=$(grep -c '"ev":"send"' "$tmp/c")
    last_id=$(grep '"ev":"send"' "$tmp/c" | tail -1 | sed 's/.*"id":\([0-9]*\).*/\1/')
    packets=$(grep '"ev":"capture"' "$tmp/c" | sed 's/.*"packets":\([0-9]*\).*/\1/')
    if [ "$sends" -eq $n ] && [ "$last_id" -eq $n ] && [ "$packets" -eq $n ]; then
        echo "ok: -c $n: $n packets replayed, the capture line says $packets"
    else
        bad "-c $n: $sends packets sent, last id $last_id, capture line $packets"
    fi
done
"$tcpsim" -r "$loss" -c 5 | grep -q '^capture: 5 packets, 5 TCP, 1 connection\($\|;\)' ||
    bad "-c 5: text capture line: $("$tcpsim" -r "$loss" -c 5 | tail -1)"
"$tcpsim" -r "$loss" -c 100000 >"$tmp/all" || bad "-c beyond the end exits $?"
grep -q '^capture: 209 packets' "$tmp/all" || bad "-c 100000: $(tail -1 "$tmp/all")"

# -c counts what -f passes, as tcpdump does: the same packets as tcpdump -c
filter='tcp[tcpflags] & tcp-push != 0'
if command -v tcpdump >/dev/null && command -v jq >/dev/null; then
    tcpdump -r "$loss" -c 4 -n -S "$filter" 2>/dev/null | sed -n 's/.* seq \([0-9]*\).*/\1/p' \
        >"$tmp/td"
    "$tcpsim" -r "$loss" -c 4 -f "$filter" --absolute --json |
        jq -r 'select(.ev == "send") | .seg.seq' >"$tmp/ts"
    if [ "$(wc -l <"$tmp/ts")" -eq 4 ] && cmp -s "$tmp/td" "$tmp/ts"; then
        echo "ok: -c 4 -f '$filter': the same 4 packets as tcpdump -c 4 (seq $(tr '\n' ' ' <"$tmp/ts"))"
    else
        bad "-c 4 -f: tcpsim's packets (seq $(tr '\n' ' ' <"$tmp/ts")) are not tcpdump's ($(tr '\n' ' ' <"$tmp/td"))"
    fi
else
    bad "tcpdump and jq are needed (scripts/deps.sh test installs them)"
fi

# the words after the options are the filter, as tcpdump reads them
"$tcpsim" -r "$loss" -f "tcp and $filter" --summary >"$tmp/f" || bad "-f exits $?"
"$tcpsim" -r "$loss" --summary tcp and "tcp[tcpflags] & tcp-push != 0" >"$tmp/words" ||
    bad "a trailing filter exits $?"
if cmp -s "$tmp/f" "$tmp/words" && grep -q '^capture: 16 packets' "$tmp/words"; then
    echo "ok: -r loss.pcap --summary tcp and '...' = -f 'tcp and ...' ($(tail -1 "$tmp/words" | cut -d';' -f1))"
else
    bad "a trailing filter is not -f's: $(tail -1 "$tmp/words") vs $(tail -1 "$tmp/f")"
fi
"$tcpsim" -r "$loss" tcp port 1 | grep -q '^capture: 0 packets' || bad "-r loss.pcap tcp port 1 kept packets"

# -n changes nothing (tcpsim never resolves names), clustered as tcpdump users write it
"$tcpsim" -nr "$loss" --summary >"$tmp/n" 2>&1 || bad "-nr exits $?"
"$tcpsim" --pcap "$loss" --summary >"$tmp/pcap" 2>&1
cmp -s "$tmp/n" "$tmp/pcap" && echo "ok: -nr loss.pcap = --pcap loss.pcap" || bad "-n changed the output"

# -w = --write-pcap
(cd "$tmp" && "$tcpsim" --scenario fastretx -w w.pcap --vantage server >w.out &&
    "$tcpsim" --scenario fastretx --write-pcap wp.pcap --vantage server >wp.out) ||
    bad "-w / --write-pcap exit non-zero"
if cmp -s "$tmp/w.pcap" "$tmp/wp.pcap" && cmp -s "$tmp/w.out" "$tmp/wp.out" && [ -s "$tmp/w.pcap" ]; then
    echo "ok: -w F = --write-pcap F ($(stat -c %s "$tmp/w.pcap") bytes)"
else
    bad "-w and --write-pcap differ"
fi
"$tcpsim" -r "$tmp/w.pcap" --summary | grep -q '^capture: .* 1 connection\($\|;\)' ||
    bad "the file -w wrote does not replay as one connection"

# -i = --live
a=$("$tcpsim" -i nosuchif0 2>&1)
b=$("$tcpsim" --live nosuchif0 2>&1)
[ "$a" = "$b" ] && [ -n "$a" ] && echo "ok: -i nosuchif0 = --live nosuchif0: $a" || bad "-i: '$a' vs --live: '$b'"

# -V / --version
"$tcpsim" -V >"$tmp/V" || bad "-V exits $?"
"$tcpsim" --version >"$tmp/version"
cmp -s "$tmp/V" "$tmp/version" || bad "-V and --version differ"
[ "$(wc -l <"$tmp/V")" -eq 3 ] || bad "-V prints $(wc -l <"$tmp/V") lines, expected 3"
sed -n 1p "$tmp/V" | grep -q '^tcpsim [0-9][0-9.]*$' || bad "-V line 1: $(sed -n 1p "$tmp/V")"
pcapline=$(sed -n 2p "$tmp/V")
case $pcapline in "libpcap version "[0-9]*) ;; *) bad "-V line 2: $pcapline" ;; esac
if command -v tcpdump >/dev/null; then
    tcpdump --version 2>&1 | grep -qxF "$pcapline" ||
        bad "-V says '$pcapline', tcpdump --version says: $(tcpdump --version 2>&1 | grep libpcap)"
fi
cairoline=$(sed -n 3p "$tmp/V")
case $cairoline in "cairo version "[0-9]*.[0-9]*.[0-9]*) ;; *) bad "-V line 3: $cairoline" ;; esac
if command -v pkg-config >/dev/null && pkg-config --exists cairo; then
    [ "$cairoline" = "cairo version $(pkg-config --modversion cairo)" ] ||
        bad "-V says '$cairoline', pkg-config says cairo $(pkg-config --modversion cairo)"
fi
[ $fail -eq 0 ] && echo "ok: -V: $(tr '\n' ';' <"$tmp/V")"
exit $fail
