#!/bin/sh
# listen_run.sh - runs listen_exp.py in a fresh network namespace t1 (loopback), with
# tcp_syncookies, tcp_abort_on_overflow and tcp_timestamps set, capturing with tcpdump and
# printing the log, the nstat counters and the capture (tshark).  Needs root.
# Example: tests/kernel/listen/listen_run.sh l0 1 0 1 0 2 6 4 3 9   (listen(0), 3 clients)
here=$(dirname "$0"); out=${OUT:-/tmp}
mkdir -p "$out"
# listen_run.sh NAME COOKIES ABORT TIMESTAMPS BACKLOG DROP_ACK_SECS ACCEPT_AT DATA_AT NCLIENTS END
# (EXTRA_SYSCTL: more sysctls for the namespace; OUT: where NAME.pcap, .log, .nstat go, /tmp)
name=$1; ck=$2; ab=$3; tsv=$4; shift 4
ip netns del t1 2>/dev/null
ip netns add t1; ip -n t1 link set lo up
ip netns exec t1 sysctl -qw net.ipv4.tcp_syncookies=$ck net.ipv4.tcp_abort_on_overflow=$ab net.ipv4.tcp_timestamps=$tsv ${EXTRA_SYSCTL}
ip netns exec t1 tcpdump -i lo -B 8192 -w $out/$name.pcap -U >/dev/null 2>&1 &
td=$!
sleep 1
ip netns exec t1 nstat -n
ip netns exec t1 python3 "$here/listen_exp.py" "$@" > $out/$name.log 2>&1
sleep 0.5
ip netns exec t1 nstat -az | grep -E "ListenOverflows|ListenDrops|Syncookies|ReqQFull|TcpPassiveOpens|TcpActiveOpens|TcpAttemptFails|EmbryonicRsts|TcpOutRsts|TcpRetransSegs|TCPSynRetrans" > $out/$name.nstat
kill $td; wait $td 2>/dev/null
ip netns del t1
echo "== $name: cookies=$ck abort=$ab ts=$tsv exp $*"; cat $out/$name.log $out/$name.nstat
tshark -r $out/$name.pcap -o tcp.relative_sequence_numbers:FALSE -o tcp.analyze_sequence_numbers:FALSE 2>/dev/null | sed 's/127.0.0.1 → 127.0.0.1 *TCP //'
