#!/bin/sh
# cli_errors.sh TCPSIM - the command line's contract: exit codes (0 ok, 2 bad usage), one-line
# error messages naming the culprit, --help, --version and --list-scenarios.
set -u
tcpsim=$1
fail=0
check() { # check EXPECTED_STATUS PATTERN_IN_STDERR ARGS...
    want=$1 pat=$2
    shift 2
    err=$("$tcpsim" "$@" 2>&1 >/dev/null)
    got=$?
    lines=$(printf '%s' "$err" | grep -c '' || true)
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: tcpsim $*: exit $got, expected $want"; fail=1
    elif [ -n "$pat" ] && ! printf '%s' "$err" | grep -q -- "$pat"; then
        echo "FAIL: tcpsim $*: stderr lacks '$pat': $err"; fail=1
    elif [ "$want" -ne 0 ] && [ "$lines" -ne 1 ]; then
        echo "FAIL: tcpsim $*: expected a one-line error, got $lines lines"; fail=1
    else
        echo "ok: tcpsim $* -> $got"
    fi
}
check 2 "unknown scenario 'nosuch'" --scenario nosuch
check 2 "unknown option '--frobnicate'" --frobnicate
check 2 "needs a value" --scenario
check 2 "^tcpsim: --rtt: bad duration '100'" --scenario handshake --rtt 100
check 2 "^tcpsim: --loss: bad probability '150%'" --scenario handshake --loss 150%
check 2 "^tcpsim: --isn-client: bad number '-1'" --scenario handshake --isn-client -1
check 2 "^tcpsim: --from: bad duration '2xs'" --scenario handshake -o x.png --from 2xs
check 2 "no packet of the connection in the packet range (its packets are numbered 1 to 3)" --scenario handshake -o x.png --from 500 --to 600
check 2 "no event of the connection in the time range (its events run from 0.000 ms to 150.000 ms)" --scenario handshake -o x.png --from 10s
check 2 "unknown profile 'bsd'" --scenario handshake --profile bsd
check 2 "nothing to do"
check 2 "unexpected argument 'extra'" --scenario handshake extra
check 2 "^tcpsim: -c: bad count '0': at least 1 packet" -r x.pcap -c 0
check 2 "^tcpsim: -c: bad number 'x': expected an unsigned integer" -r x.pcap -c x
check 2 "^tcpsim: --count: bad number '99999999999999999999': larger than" -r x.pcap --count 99999999999999999999
check 2 "option '-c' needs a value" -r x.pcap -c
check 2 "option '-r' needs a value" -r
check 2 "option '-i' needs a value" -i
check 2 "option '-w' needs a value" --scenario loss -w
check 2 "unknown option '-x'" -x
check 2 "^tcpsim: two filters: -f 'tcp' and, after the options, 'port ...' (quote an expression of several words: -f 'tcp port 80')" -r x.pcap -f tcp port 80
check 2 "^tcpsim: x.pcap: cannot read capture" -r x.pcap tcp port 80
check 2 "^tcpsim: -f, -c, --summary and --max-conns go with --pcap or --live" --scenario loss -c 3
check 2 "^tcpsim: bad --flow 'x': a scenario's connections are numbered from 1" --scenario loss --flow x
# --flow N,M,...: several connections of a scenario with hosts in one diagram
check 0 "" --scenario backlog --flow 1,2 --layout-json /dev/null
check 2 "^tcpsim: bad --flow '1,x': 'x' is not a connection number" --scenario backlog --flow 1,x -o x.png
check 2 "^tcpsim: bad --flow '1,,2': an empty item" --scenario backlog --flow 1,,2 -o x.png
check 2 "^tcpsim: bad --flow '0,1': connection numbers start at 1" --scenario backlog --flow 0,1 -o x.png
check 2 "^tcpsim: bad --flow '2,2': connection 2 is listed twice" --scenario backlog --flow 2,2 -o x.png
check 2 "^tcpsim: nothing to draw: the trace has no connection 9" --scenario backlog --flow 1,9 -o x.png
check 2 "^tcpsim: backlog: no connection 9 to draw" --scenario backlog --flow 9 -o x.png
check 2 "^tcpsim: bad --flow '1,2': a scenario without hosts has one connection" --scenario loss --flow 1,2 -o x.png
check 2 "^tcpsim: --graph tseq draws one connection" --scenario backlog --flow 1,2 -o x.png --graph tseq
# ... and of a capture: the lanes are the hosts of the connections listed
pcap=$(dirname "$0")/../../samples/concurrent.pcap
check 0 "" -r "$pcap" --flow 1,2 --layout-json /dev/null
check 2 "^tcpsim: bad --flow '1,x': 'x' is not a connection number" -r "$pcap" --flow 1,x --layout-json /dev/null
check 2 "^tcpsim: nothing to draw: the trace has no connection 99" -r "$pcap" --flow 1,99 --layout-json /dev/null
check 2 "^tcpsim: -w/--write-pcap, --vantage and --pcap-link go with a scenario (tcpsim writes the packets it simulates; to copy a capture's packets, use tcpdump -r IN -w OUT)" -r x.pcap -w y.pcap
check 2 "^tcpsim: unknown pcap-link 'ppp' (use ether or raw)" --scenario loss -w y.pcap --pcap-link ppp
check 2 "^tcpsim: unknown graph 'pie' (use tseq or ladder)" --scenario loss -o x.png --graph pie
check 0 "" --help
check 0 "" --version
check 0 "" --list-scenarios
n=$("$tcpsim" --list-scenarios | wc -l)
[ "$n" -eq 24 ] || { echo "FAIL: --list-scenarios printed $n lines, expected 24"; fail=1; }
"$tcpsim" --version | grep -q '^tcpsim [0-9]' || { echo "FAIL: --version"; fail=1; }
"$tcpsim" -V | grep -q '^libpcap version [0-9]' || { echo "FAIL: -V names no libpcap version"; fail=1; }
# every JSON line has t, ep and ev
"$tcpsim" --scenario loss --json | while IFS= read -r line; do
    case $line in
    '{"t":'*'"ep":"'*'"ev":"'*'}') ;;
    *) echo "FAIL: JSON line without t/ep/ev: $line"; exit 1 ;;
    esac
done || fail=1
# --scenario all draws each scenario as --scenario NAME -o does (a scenario with hosts: all its
# connections, a lifeline per host)
all=$(mktemp -d)
trap 'rm -rf "$all"' EXIT
"$tcpsim" --scenario all -o "$all/" 2>/dev/null || { echo "FAIL: --scenario all"; fail=1; }
for name in echo-loop backlog handshake; do
    for ext in svg html; do # the explorer page with the same TCB records (hosts: they were missing)
        "$tcpsim" --scenario "$name" -o "$all/one-$name.$ext" >/dev/null
        cmp -s "$all/$name.$ext" "$all/one-$name.$ext" ||
            { echo "FAIL: --scenario all writes $name.$ext unlike --scenario $name -o"; fail=1; }
    done
done
# --flow 1,2 draws the two connections: a lifeline per host (alice, bob, server) and labels that
# name their connection; --flow 1 draws one, as before
lay=$("$tcpsim" --scenario backlog --flow 1,2 --layout-json - 2>/dev/null | tr -d '\n')
case $lay in
*'"lanes":[{"name":"192.0.2.11"'*'"head":"alice"'*'"head":"bob"'*'"head":"server"'*) ;;
*) echo "FAIL: --flow 1,2: lanes are not alice, bob, server"; fail=1 ;;
esac
case $lay in *'"head":"carol"'*) echo "FAIL: --flow 1,2 draws carol"; fail=1 ;; esac
case $lay in *'"text":"c2 SYN '*) ;; *) echo "FAIL: --flow 1,2: no label of c2"; fail=1 ;; esac
cap=$("$tcpsim" -r "$pcap" --flow 2,3 --layout-json - 2>/dev/null | tr -d '\n')
case $cap in
*'"lanes":[{"name":"127.0.0.1","x":'*'{"name":"127.0.0.1:5555","x":'*'"conns":[{"conn":2,'*'{"conn":3,'*) ;;
*) echo "FAIL: -r concurrent.pcap --flow 2,3: not the lanes 127.0.0.1 and 127.0.0.1:5555 of conns 2, 3"; fail=1 ;;
esac
conns=$("$tcpsim" -r "$pcap" --flow 1,3 --json | grep -o '"conn":[0-9]*' | sort -u | tr '\n' ' ')
[ "$conns" = '"conn":1 "conn":3 ' ] ||
    { echo "FAIL: -r concurrent.pcap --flow 1,3 --json keeps connections $conns"; fail=1; }
one=$("$tcpsim" --scenario backlog --flow 1 --layout-json - 2>/dev/null | tr -d '\n')
case $one in
*'"lanes":[{"name":"client"'*'{"name":"server"'*) ;;
*) echo "FAIL: --flow 1 is not a two-lane diagram"; fail=1 ;;
esac
exit $fail
