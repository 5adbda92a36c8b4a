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
# directions, and the epoch of the timestamps.  Exit 77 (skipped) when tshark is missing.
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
    # the exporter writes one TCP connection: the first (a scenario with hosts has several)
    first=$(grep -m1 '"ev":"conn"' "$tmp/$s.json" | grep -v '"proto":"udp"' | sed 's/.*"conn":\([0-9]*\).*/\1/')
    [ -n "$first" ] || { echo "skip: $s has no TCP connection to export"; continue; }
    for v in client server; do
        # frames at this vantage: its sends and its arrivals
        want=$(grep -c "\"conn\":$first,\"ep\":\"$v\",\"ev\":\"\(send\|recv\)\"" "$tmp/$s.json")
        for l in ether raw; do
            f="$tmp/$s-$v-$l.pcap"
            "$tcpsim" -q --scenario "$s" --write-pcap "$f" --vantage "$v" --pcap-link "$l" ||
                { bad "$s/$v/$l: export"; continue; }
            echo "$f $want" >>"$tmp/list"
        done
    done
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
sed "s|^|$tmp/|" "$tmp/ip6.list" >>"$tmp/list"

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

# nothing on standard error but the names of the runs and the warning about root
if grep -v -e '^== tshark' -e 'Running as user "root"' -e '^$' "$tmp/stderr" >"$tmp/stderr.real"; then
    bad "tshark wrote to standard error: $(head -5 "$tmp/stderr.real")"
fi

[ "$fail" -eq 0 ] && echo "export_tshark: all passed"
exit "$fail"
