#!/bin/sh
# export_tshark.sh TCPSIM WRITE_ALL - Wireshark's view of exported files.  Every built-in scenario
# is exported at both vantages in both framings through the command (IPv4) and by WRITE_ALL
# (export_write_all: the same traces on IPv6 addresses); tshark reads each file with IP and TCP
# checksum validation on and must report every frame's TCP checksum (and IPv4 header checksum)
# good, no malformed packet, no expert info of the Malformed or Checksum groups and none of
# severity Error, nothing on standard error.  A corrupted copy checks that these checks can fail.
# Then tshark's analysis is compared with the simulation: the number of TCP packets of every
# file, the lost and resent segment of `loss` at both ends, the fast retransmission of
# `fastretx`, the resent SYN of `synloss`, the probes of `zerowindow`, the text of `echo` in both
# directions, and the epoch of the timestamps.  Datagram flows: the udp scenario's capture at
# both vantages in both framings holds exactly its UDP frames (3 sent by the client, the lost
# second one only at the client; 2 at the server), from port 32768 to 9 with the written
# texts as payload and good UDP and IPv4 checksums, and a scenario mixing a TCP connection and a
# datagram flow gives one capture with both, every checksum good.  Exit 77 (skipped) when tshark
# is missing.
set -u
tcpsim=$1
write_all=$2
if ! command -v tshark >/dev/null 2>&1; then
    echo "skipped: tshark is not installed"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpsim-export-tshark.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# tshark with checksum validation; what it says on standard error is gathered and checked at the
# end (it runs in command substitutions, which cannot set `fail`); the warning about running as
# root is not an error
ts() {
    f=$1
    shift
    echo "== tshark -r $f" >>"$tmp/stderr"
    tshark -r "$f" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE "$@" 2>>"$tmp/stderr"
}
count() { ts "$@" | grep -c '' ; }

# One tshark run per file (the same fields in the parallel run below): a line per frame with its protocols, checksum verdicts (1 = good) and
# expert infos.  problems() prints "FRAME: why" for each frame that is malformed, lacks a good TCP
# checksum (or IPv4 header checksum), or has an expert info of severity Error or of the Malformed
# (0x07000000) or Checksum (0x01000000) groups.
frames() {
    ts "$1" -T fields -E occurrence=a -E separator=/t -e frame.number -e frame.protocols \
        -e tcp.checksum.status -e ip.checksum.status -e _ws.expert.severity \
        -e _ws.expert.group -e _ws.expert.message
}
problems() {
    awk -F'\t' '{
        why = ""
        if ($2 !~ /:tcp(:|$)/) why = why " not TCP (" $2 ")"
        if ($2 ~ /malformed/) why = why " malformed"
        if ($3 != "1") why = why " TCP checksum status " $3
        if ($2 ~ /:ip:/ && $4 != "1") why = why " IPv4 checksum status " $4
        n = split($5, sev, ","); split($6, grp, ","); split($7, msg, ",")
        for (i = 1; i <= n; i++)
            if (sev[i] + 0 >= 8388608 || grp[i] + 0 == 117440512 || grp[i] + 0 == 16777216)
                why = why " expert: " msg[i]
        if (why != "") print $1 ":" why
    }' "$1"
}

# check_file FILE EXPECTED_FRAMES, on FILE.frames (the output of frames() for FILE)
check_file() {
    f=$1 want=$2
    [ "$(cat "$f.rc" 2>/dev/null)" = 0 ] || { bad "$f: tshark failed"; return; }
    n=$(grep -c '' "$f.frames")
    tcp=$(grep -c "$(printf '\t')[a-z0-9:]*:tcp" "$f.frames")
    p=$(problems "$f.frames" | head -5)
    if [ "$n" != "$want" ] || [ "$tcp" != "$want" ]; then
        bad "$f: tshark sees $n frames, $tcp TCP, the simulation gives $want"
    elif [ -n "$p" ]; then
        bad "$f: $p"
    else
        checked=$((checked + 1))
    fi
}

# ---- export everything: "FILE FRAMES" lines in $tmp/list ----
scenarios=$("$tcpsim" --list-scenarios | awk '{print $1}')
[ -n "$scenarios" ] || { bad "no scenarios listed"; exit 1; }
: >"$tmp/list"
for s in $scenarios; do
    "$tcpsim" --scenario "$s" --json >"$tmp/$s.json" || bad "$s: simulation"
    # the first TCP connection (a scenario with hosts has several; datagram flows: below)
    first=$(grep '"ev":"conn"' "$tmp/$s.json" | grep -v '"proto":"udp"' | head -1 | sed 's/.*"conn":\([0-9]*\).*/\1/')
    [ -n "$first" ] || { echo "skip: $s has no TCP connection (its datagrams: below)"; continue; }
    for v in client server; do
        # frames at this vantage: its sends and its arrivals
        want=$(grep -c "\"conn\":$first,\"ep\":\"$v\",\"ev\":\"\(send\|recv\)\"" "$tmp/$s.json")
        for l in ether raw; do
            f="$tmp/$s-$v-$l.pcap"
            "$tcpsim" -q --scenario "$s" --flow "$first" --write-pcap "$f" --vantage "$v" --pcap-link "$l" ||
                { bad "$s/$v/$l: export"; continue; }
            echo "$f $want" >>"$tmp/list"
        done
    done
done
# scenarios with several connections: all of them in one capture (without --flow), at the
# vantage that is one host (echo-loop's client, backlog's server), and both for timewait-reuse
# (two connections on the same four-tuple)
for sv in echo-loop/client backlog/server timewait-reuse/client timewait-reuse/server; do
    s=${sv%/*} v=${sv#*/}
    want=$(grep -c "\"ep\":\"$v\",\"ev\":\"\(send\|recv\)\"" "$tmp/$s.json")
    f="$tmp/$s-all-$v.pcap"
    "$tcpsim" -q --scenario "$s" --write-pcap "$f" --vantage "$v" || { bad "$s all/$v: export"; continue; }
    echo "$f $want" >>"$tmp/list"
done
# a scenario with several connections: each one (--flow N) as its own capture
for n in 2 3; do
    want=$(grep -c "\"conn\":$n,\"ep\":\"client\",\"ev\":\"\(send\|recv\)\"" "$tmp/echo-loop.json")
    f="$tmp/echo-loop-flow$n.pcap"
    "$tcpsim" -q --scenario echo-loop --flow "$n" --write-pcap "$f" || { bad "echo-loop --flow $n: export"; continue; }
    [ "$want" -gt 0 ] || bad "echo-loop has no connection $n"
    echo "$f $want" >>"$tmp/list"
done
"$write_all" "$tmp" >"$tmp/ip6.list" || bad "export_write_all failed"
# (the datagram flows' IPv6 files, marked " udp", are checked with the other datagrams below)
grep -v ' udp$' "$tmp/ip6.list" | sed "s|^|$tmp/|" >>"$tmp/list"

# ---- tshark on every file, a few at a time, then the checks ----
cut -d' ' -f1 "$tmp/list" | xargs -P "$(nproc 2>/dev/null || echo 2)" -n 1 sh -c '
    tshark -r "$1" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -T fields \
        -E occurrence=a -E separator=/t -e frame.number -e frame.protocols \
        -e tcp.checksum.status -e ip.checksum.status -e _ws.expert.severity \
        -e _ws.expert.group -e _ws.expert.message >"$1.frames" 2>"$1.err"
    echo $? >"$1.rc"' sh
checked=0
while read -r f want; do
    { echo "== tshark -r $f"; cat "$f.err"; } >>"$tmp/stderr"
    check_file "$f" "$want"
done <"$tmp/list"
echo "tshark: $checked files open with no malformed packet and no bad checksum"

# ---- the checks can fail: corrupt an IPv4 TTL (header checksum) and a TCP byte ----
cp "$tmp/echo-client-ether.pcap" "$tmp/corrupt.pcap"
size=$(wc -c <"$tmp/corrupt.pcap")
# first frame at 40 (24 + 16), its IPv4 TTL at 40 + 14 + 8; the file's last byte is TCP's
printf '\077' | dd of="$tmp/corrupt.pcap" bs=1 seek=62 conv=notrunc 2>/dev/null
printf '\001' | dd of="$tmp/corrupt.pcap" bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null
frames "$tmp/corrupt.pcap" >"$tmp/frames"
p=$(problems "$tmp/frames" | tr '\n' ' ')
case "$p" in "1: IPv4 checksum status 0"*"9: TCP checksum status 0"*) ;;
*) bad "a corrupted file shows problems '$p', expected frame 1 (IPv4) and 9 (TCP)" ;; esac

# ---- tshark's analysis against the simulation ----
for v in client server; do
    f="$tmp/loss-$v-ether.pcap"
    r=$(ts "$f" -Y tcp.analysis.retransmission -T fields -e tcp.seq -e tcp.len)
    [ "$r" = "$(printf '1461\t1460')" ] || bad "loss at the $v: retransmissions '$r', expected 1461/1460"
    n=$(count "$f" -Y "tcp.seq == 1461 && tcp.len == 1460" -T fields -e frame.number)
    # at the client the lost original is there (lost after the capture point); not at the server
    w=2
    [ "$v" = server ] && w=1
    [ "$n" = "$w" ] || bad "loss at the $v: $n copies of the second segment, expected $w"
    if [ "$v" = server ]; then
        n=$(count "$f" -Y tcp.analysis.lost_segment -T fields -e frame.number)
        [ "$n" = 1 ] || bad "loss at the server: tshark sees $n gaps, expected 1"
    fi
done
f="$tmp/fastretx-client-ether.pcap"
n=$(count "$f" -Y tcp.analysis.fast_retransmission -T fields -e frame.number)
[ "$n" = 1 ] || bad "fastretx: $n fast retransmissions, expected 1"
n=$(count "$f" -Y tcp.analysis.duplicate_ack -T fields -e frame.number)
[ "$n" -ge 3 ] || bad "fastretx: $n duplicate ACKs, expected at least 3"
n=$(count "$tmp/synloss-client-ether.pcap" -Y "tcp.flags.syn == 1 && tcp.flags.ack == 0" -T fields -e frame.number)
[ "$n" = 2 ] || bad "synloss at the client: $n SYNs, expected 2 (the lost one and the resent one)"
n=$(count "$tmp/synloss-server-ether.pcap" -Y "tcp.flags.syn == 1 && tcp.flags.ack == 0" -T fields -e frame.number)
[ "$n" = 1 ] || bad "synloss at the server: $n SYNs, expected 1"
n=$(count "$tmp/zerowindow-client-ether.pcap" -Y tcp.analysis.zero_window_probe -T fields -e frame.number)
[ "$n" = 2 ] || bad "zerowindow: $n zero-window probes, expected 2"
for v in client server; do
    for l in ether raw; do
        n=$(ts "$tmp/echo-$v-$l.pcap" -q -z follow,tcp,ascii,0 | grep -c '^hello, world$')
        [ "$n" = 2 ] || bad "echo at the $v ($l): 'hello, world' $n times in the stream, expected 2"
    done
done
t=$(ts "$tmp/echo-client-ether.pcap" -c 1 -T fields -e frame.time_epoch)
case "$t" in 1767225600.000000000) ;; *) bad "first frame at $t, expected 1767225600 (2026-01-01)" ;; esac
t=$(ts "$tmp/echo-server-raw.pcap" -c 1 -T fields -e frame.time_epoch)
case "$t" in 1767225600.050000000) ;; *) bad "first frame at the server at $t, expected 1767225600.05" ;; esac

# ---- datagram flows ----
# tshark with UDP checksum validation too; mDNS and DNS off so that the payload is plain data
# (the scenario files of this test use port 53 but send text)
tsu() {
    f=$1
    shift
    ts "$f" -o udp.check_checksum:TRUE --disable-protocol mdns --disable-protocol dns "$@"
}
hexof() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
# checksum_problems FILE: frames whose IPv4, UDP or TCP checksum is unverified or not good, or
# that are malformed or carry an error
checksum_problems() {
    {
        tsu "$1" -Y 'udp.checksum.status==2 || ip.checksum.status==2' -T fields -e frame.number
        tsu "$1" -Y '(udp && udp.checksum.status != 1) || (tcp && tcp.checksum.status != 1) ||
            ip.checksum.status != 1 || _ws.malformed || _ws.expert.severity >= error' \
            -T fields -e frame.number
    } | sort -nu | tr '\n' ' '
}
for v in client server; do
    # the client sends three datagrams and the link loses the second: it is in the client's
    # capture (lost after the capture point), not in the server's
    case $v in
    client) want=3 texts="ping 1,ping 2,ping 3" t0=10000 ;;
    *) want=2 texts="ping 1,ping 3" t0=60000 ;;
    esac
    sim=$(grep -c "\"ep\":\"$v\",\"ev\":\"\(send\|recv\)\"" "$tmp/udp.json")
    [ "$sim" = "$want" ] || bad "udp at the $v: the simulation has $sim sends and arrivals, expected $want"
    for l in ether raw; do
        f="$tmp/udp-$v-$l.pcap"
        "$tcpsim" --scenario udp --write-pcap "$f" --vantage "$v" --pcap-link "$l" \
            >/dev/null 2>"$tmp/udp.err" || { bad "udp/$v/$l: export: $(cat "$tmp/udp.err")"; continue; }
        [ -s "$tmp/udp.err" ] && bad "udp/$v/$l: the export wrote to standard error: $(cat "$tmp/udp.err")"
        proto="eth:ethertype:ip:udp:data"
        [ "$l" = raw ] && proto="raw:ip:udp:data"
        exp=$(printf '%s\n' "$texts" | tr ',' '\n' | while read -r t; do
            printf '%s\t32768\t9\t14\t%s\n' "$proto" "$(hexof "$t")"
        done)
        got=$(tsu "$f" -T fields -e frame.protocols -e udp.srcport -e udp.dstport -e udp.length \
            -e udp.payload)
        [ "$got" = "$exp" ] || bad "udp/$v/$l: tshark shows
$got
expected
$exp"
        n=$(count "$f" -Y udp -T fields -e frame.number)
        [ "$n" = "$want" ] || bad "udp/$v/$l: $n UDP frames, expected $want"
        p=$(checksum_problems "$f")
        [ -z "$p" ] || bad "udp/$v/$l: frames with a bad or unverified checksum: $p"
        t=$(tsu "$f" -c 1 -T fields -e frame.time_epoch)
        [ "$t" = "1767225600.0${t0}000" ] || bad "udp/$v/$l: first frame at $t, expected +$t0 us"
    done
done
# the same flows on IPv6 (export_write_all): the count of UDP frames, every checksum good
grep ' udp$' "$tmp/ip6.list" >"$tmp/ip6-udp.list"
[ "$(grep -c '' "$tmp/ip6-udp.list")" = 4 ] || bad "export_write_all wrote $(grep -c '' "$tmp/ip6-udp.list") IPv6 UDP files, expected 4 (udp)"
while read -r f want _; do
    n=$(count "$tmp/$f" -Y 'ipv6 && udp' -T fields -e frame.number)
    all=$(count "$tmp/$f" -T fields -e frame.number)
    [ "$n" = "$want" ] && [ "$all" = "$want" ] || bad "$f: $all frames, $n IPv6 UDP, expected $want"
    p=$(checksum_problems "$tmp/$f")
    [ -z "$p" ] || bad "$f: frames with a bad or unverified checksum: $p"
done <"$tmp/ip6-udp.list"
# the checks can fail: a flipped payload byte of the last datagram breaks its UDP checksum
cp "$tmp/udp-client-ether.pcap" "$tmp/udp-corrupt.pcap"
size=$(wc -c <"$tmp/udp-corrupt.pcap")
printf 'X' | dd of="$tmp/udp-corrupt.pcap" bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null
p=$(checksum_problems "$tmp/udp-corrupt.pcap")
[ "$p" = "3 " ] || bad "a corrupted UDP datagram shows problems in frames '$p', expected 3"
# a TCP connection and a datagram flow in one scenario: one capture with both, in time order
cat >"$tmp/mixed.tcpsim" <<'END'
name mixed
summary "a TCP connection and a datagram flow"
description "TCP and UDP side by side: a query to one host, hello over TCP to another."
host server 192.0.2.2
host dns 192.0.2.3
host client 192.0.2.1
at 0 server socket L
at 0 server bind L 7
at 0 server listen L 5
at 0 server accept L C
at 0 server read C
at 0 server close C
at 0 dns socket dgram D
at 0 dns bind D 53
at 0 dns recvfrom D
at 10ms client socket dgram U
at 10ms client sendto U dns:53 "query"
at 10ms client socket S
at 10ms client connect S server:7
at 10ms client write S "hello\n"
at 10ms client close S
END
# (a scenario file without expectations says "0 expectations hold" on standard error)
"$tcpsim" --scenario-file "$tmp/mixed.tcpsim" --json >"$tmp/mixed.json" 2>/dev/null ||
    bad "mixed: simulation"
for v in client server; do
    f="$tmp/mixed-$v.pcap"
    "$tcpsim" -q --scenario-file "$tmp/mixed.tcpsim" --write-pcap "$f" --vantage "$v" \
        2>"$tmp/mixed.err" || { bad "mixed/$v: export: $(cat "$tmp/mixed.err")"; continue; }
    ! grep -v 'expectations hold' "$tmp/mixed.err" || bad "mixed/$v: the export wrote to standard error"
    want=$(grep -c "\"ep\":\"$v\",\"ev\":\"\(send\|recv\)\"" "$tmp/mixed.json")
    dg=$(grep -c "\"conn\":1,\"ep\":\"$v\",\"ev\":\"\(send\|recv\)\"" "$tmp/mixed.json")
    [ "$dg" = 1 ] || bad "mixed at the $v: $dg datagrams sent or received, expected 1"
    n=$(count "$f" -T fields -e frame.number)
    nt=$(count "$f" -Y tcp -T fields -e frame.number)
    u=$(tsu "$f" -Y udp -T fields -e frame.number -e udp.srcport -e udp.dstport -e udp.payload)
    [ "$n" = "$want" ] && [ "$nt" = $((want - 1)) ] ||
        bad "mixed at the $v: $n frames, $nt TCP; the simulation gives $want, one a datagram"
    [ "$u" = "$(printf '1\t32768\t53\t%s' "$(hexof query)")" ] ||
        bad "mixed at the $v: the datagram is '$u', expected frame 1 from 32768 to 53, 'query'"
    p=$(checksum_problems "$f")
    [ -z "$p" ] || bad "mixed at the $v: frames with a bad or unverified checksum: $p"
done

# nothing on standard error but the names of the runs and the warning about root
if grep -v -e '^== tshark' -e 'Running as user "root"' -e '^$' "$tmp/stderr" >"$tmp/stderr.real"; then
    bad "tshark wrote to standard error: $(head -5 "$tmp/stderr.real")"
fi

[ "$fail" -eq 0 ] && echo "export_tshark: all passed"
exit "$fail"
