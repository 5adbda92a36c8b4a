#!/usr/bin/env bash
# tools_test.sh BUILD_DIR - the ctest `kernel_tools`: the kernel comparison's own programs,
# tested without root or a kernel run, on captures tcpsim writes (which are exact):
#   kt_case     accepts every case in cases/, refuses what a kernel run cannot play (one line
#               naming the file, the line and the reason, exit 2), writes the nftables rules
#   kt_compare  finds no difference between equal captures, finds a difference in flags,
#               sequence numbers, length and timing, accepts timing within its tolerance,
#               compares the options separately, fails cleanly on a damaged capture
#   kt_path     accepts a capture pair whose delay is the intended one, refuses another delay
#               and a pair that does not hold the same packets
set -u
BUILD=$(cd "${1:?usage: tools_test.sh BUILD_DIR}" && pwd)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KT=$BUILD/tests/kernel
TCPSIM=$BUILD/tcpsim
CASES=$HERE/cases
T=$(mktemp -d /tmp/tcpsim-kt-tools.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
n=0

ok() { n=$((n + 1)); }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "FAIL: $*"; }

# expect_rc WANT DESCRIPTION COMMAND...: the command's exit status is WANT
expect_rc() {
    local want=$1 what=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    if [ $rc -eq "$want" ]; then ok; else bad "$what: exit $rc, expected $want ($(head -3 "$T/err" "$T/out"))"; fi
}
# expect_line FILE TEXT DESCRIPTION: FILE has a line that is exactly TEXT
expect_line() {
    if grep -qxF -- "$2" "$1"; then ok; else bad "$3: no line '$2' in: $(cat "$1")"; fi
}
expect_grep() {
    if grep -qF -- "$2" "$1"; then ok; else bad "$3: no '$2' in: $(cat "$1")"; fi
}

# ---------------------------------------------------------------------------------------- kt_case
for f in "$CASES"/*.tcpsim; do
    expect_rc 0 "kt_case check $(basename "$f")" "$KT/kt_case" check "$f"
done

base='profile linux
server close-after-eof 0
at 0     server listen
at 0     client connect
at 200ms client write 1000
at 400ms client close
'
# refuse CASE-TEXT MESSAGE: kt_case check refuses it with MESSAGE
refuse() {
    printf '%s\n' "$1" >"$T/bad.tcpsim"
    expect_rc 2 "refuse: $2" "$KT/kt_case" check "$T/bad.tcpsim"
    expect_grep "$T/err" "$2" "refuse: $2"
    expect_grep "$T/err" "$T/bad.tcpsim:" "refuse names the file: $2"
}
refuse "$base
loss 1%" "bandwidth, loss, duplicate and reorder cannot be played"
refuse "$base
client isn 5" "TCP settings are not those of 'profile linux'"
refuse "${base/profile linux/}" "TCP settings are not those of 'profile linux'"
refuse "$base
server delack off" "TCP settings are not those of 'profile linux'"
refuse "$base
expect client retransmissions 0" "no expectations in a kernel case"
refuse "$base
delay client data nth 1 by 10ms" "only drop rules can be played"
refuse "$base
drop any SYN nth 1" "needs the direction client or server"
refuse "$base
drop client data chance 10%" "'chance' cannot be played"
refuse "$base
drop client data seq 1 nth 1" "nftables cannot match ISN-relative sequence numbers"
refuse "$base
drop client pure-ack seq 1001 nth 1   # kernel: after-fin" "needs a relative 'seq' range starting one past the FIN: seq 1002"
refuse "$base
drop client SYN nth 1
drop server SYN,ACK nth 1" "drops segments of one side only"
refuse "$base
at 1s client listen" "only the server listens"
refuse "$base
client address 192.0.2.9:1" "the client's address must stay 192.0.2.1:49152"
refuse "$base
rttt 100ms" "unknown statement 'rttt'"
expect_rc 2 "kt_case on a missing file" "$KT/kt_case" check "$T/none.tcpsim"
expect_grep "$T/err" "cannot read the case file" "kt_case on a missing file"

# accepted settings, and what they become
printf '%s\n' "$base" 'server rcv-buf 4096' 'client nagle off' \
    'drop client pure-ack seq 1002 nth 1   # kernel: after-fin' >"$T/good.tcpsim"
expect_rc 0 "kt_case info" "$KT/kt_case" info "$T/good.tcpsim"
for l in delay_us=50000 vantage=client server=1 drops_client=1 drops_server=0; do
    expect_line "$T/out" "$l" "kt_case info"
done
expect_rc 0 "kt_case nft (server)" "$KT/kt_case" nft "$T/good.tcpsim" server
expect_grep "$T/out" "add @finseen { ip saddr }" "nft: the FIN is remembered"
expect_grep "$T/out" "tcp flags & (fin|syn|rst|ack) == (ack) meta mark 0 ip saddr @finseen numgen inc mod 1000000000 0 counter drop" "nft: pure ACK after the FIN, the first"
expect_rc 0 "kt_case nft (client)" "$KT/kt_case" nft "$T/good.tcpsim" client
[ -s "$T/out" ] && bad "nft for the client's namespace should be empty" || ok
expect_rc 0 "kt_case nft loss2x" "$KT/kt_case" nft "$CASES/loss2x.tcpsim" server
expect_grep "$T/out" "meta mark 1 numgen inc mod 1000000000 2 counter drop" "nft: the 3rd data segment"
expect_grep "$T/out" "meta mark 1 numgen inc mod 1000000000 3 counter drop" "nft: the 4th of the rest"
expect_grep "$T/out" "tcp doff 8 ip length > 52 meta mark set 1" "nft: data with timestamps"
expect_rc 0 "kt_case info synackloss" "$KT/kt_case" info "$CASES/synackloss.tcpsim"
expect_line "$T/out" vantage=server "the vantage is the sender of the dropped segment"
expect_rc 2 "kt_case usage" "$KT/kt_case" nft "$CASES/plain.tcpsim" middlebox

# ------------------------------------------------------------------------------------- kt_compare
export_pcap() { # export_pcap OUT CASE [tcpsim options...]
    local out=$1 case=$2; shift 2
    "$TCPSIM" --scenario-file "$CASES/$case.tcpsim" -q --pcap-link raw --write-pcap "$out" "$@" \
        2>/dev/null || bad "tcpsim --write-pcap $case $*"
}
export_pcap "$T/plain.pcap" plain
export_pcap "$T/plain-eth.pcap" plain --pcap-link ether
export_pcap "$T/plain-104.pcap" plain --rtt 104ms
export_pcap "$T/plain-110.pcap" plain --rtt 110ms
export_pcap "$T/plain-130.pcap" plain --rtt 130ms
export_pcap "$T/plain-iw3.pcap" plain --iw 3
export_pcap "$T/plain-mss.pcap" plain --mss 1448
export_pcap "$T/plain-srv.pcap" plain --vantage server
export_pcap "$T/loss2.pcap" loss2
export_pcap "$T/loss2-srv.pcap" loss2 --vantage server
export_pcap "$T/synloss.pcap" synloss
export_pcap "$T/refused.pcap" refused

expect_rc 0 "kt_compare: a capture against itself" "$KT/kt_compare" "$T/plain.pcap" "$T/plain.pcap"
expect_line "$T/out" "segments: match" "kt_compare: itself"
expect_line "$T/out" "options: match" "kt_compare: itself"
expect_rc 0 "kt_compare: raw IP against Ethernet framing" "$KT/kt_compare" "$T/plain.pcap" "$T/plain-eth.pcap"
expect_rc 0 "kt_compare: 2 ms per direction later is within the tolerance" \
    "$KT/kt_compare" "$T/plain.pcap" "$T/plain-104.pcap"
expect_rc 1 "kt_compare: 15 ms per direction later is not" "$KT/kt_compare" "$T/plain.pcap" "$T/plain-130.pcap"
expect_line "$T/out" "segments: differ: s>c #1: time +100.0 ms vs +130.0 ms after c>s #1 (tolerance 18 ms)" \
    "kt_compare: a late SYN,ACK"
expect_rc 0 "kt_compare: --tolerance 25 (+ 8 ms granularity) accepts 30 ms" \
    "$KT/kt_compare" --tolerance 25 "$T/plain.pcap" "$T/plain-130.pcap"
expect_rc 0 "kt_compare: --tolerance 0 leaves 2 jiffies of 4 ms" \
    "$KT/kt_compare" --tolerance 0 "$T/plain.pcap" "$T/plain-104.pcap"
# 100 ms: at HZ 250 25 jiffies, fired up to 1 jiffy late, plus the tick: 8 ms; at HZ 100,
# 2 jiffies are 20 ms; at HZ 1000, 100 jiffies are in the wheel's second level: 8 + 1 jiffies
expect_rc 1 "kt_compare: --tolerance 0 --hz 250: 8 ms" \
    "$KT/kt_compare" --tolerance 0 "$T/plain.pcap" "$T/plain-110.pcap"
expect_line "$T/out" "segments: differ: s>c #1: time +100.0 ms vs +110.0 ms after c>s #1 (tolerance 8 ms)" \
    "kt_compare: --hz 250"
expect_rc 0 "kt_compare: --tolerance 0 --hz 100: 20 ms" \
    "$KT/kt_compare" --tolerance 0 --hz 100 "$T/plain.pcap" "$T/plain-110.pcap"
expect_rc 1 "kt_compare: --tolerance 0 --hz 1000: 9 ms" \
    "$KT/kt_compare" --tolerance 0 --hz 1000 "$T/plain.pcap" "$T/plain-110.pcap"
expect_grep "$T/out" "(tolerance 9 ms)" "kt_compare: --hz 1000"
expect_rc 1 "kt_compare: initial window 3 against 10" "$KT/kt_compare" "$T/plain.pcap" "$T/plain-iw3.pcap"
expect_line "$T/out" "segments: differ: c>s #6: flags PSH,ACK vs ACK" \
    "kt_compare: with IW 3 the 4th data segment leaves alone, after an ACK"
expect_rc 1 "kt_compare: MSS 1460 against 1448" "$KT/kt_compare" "$T/plain.pcap" "$T/plain-mss.pcap"
expect_line "$T/out" "segments: differ: c>s #3: len 1448 vs 1436" "kt_compare: length"
expect_line "$T/out" "options: differ: c>s #1: mss 1460 vs 1448" "kt_compare: the MSS option's value"
expect_rc 1 "kt_compare: a lost segment" "$KT/kt_compare" "$T/plain.pcap" "$T/loss2.pcap"
expect_grep "$T/out" "segments: differ: " "kt_compare: a lost segment"
expect_rc 1 "kt_compare: a segment only in A" "$KT/kt_compare" "$T/synloss.pcap" "$T/refused.pcap"
expect_line "$T/out" "segments: differ: c>s #2: c>s only in kernel (SYN seq 0 len 0)" \
    "kt_compare: the earliest difference of the two directions"
expect_rc 1 "kt_compare: flags" "$KT/kt_compare" "$T/refused.pcap" "$T/synloss.pcap"
expect_line "$T/out" "segments: differ: s>c #1: flags RST,ACK vs SYN,ACK" "kt_compare: flags"
expect_line "$T/out" "options: differ: s>c #1: mss no vs yes; sackOK no vs yes; TS no vs yes; wscale no vs yes" \
    "kt_compare: options"
expect_rc 1 "kt_compare -v lists every segment" "$KT/kt_compare" -v "$T/plain.pcap" "$T/plain-mss.pcap"
[ "$(grep -c '^    kernel ' "$T/out")" -ge 19 ] && ok || bad "kt_compare -v: $(head -5 "$T/out")"
expect_rc 1 "kt_compare --names" "$KT/kt_compare" --names run1,run2 "$T/plain.pcap" "$T/plain-mss.pcap"
expect_grep "$T/out" "    run2     c>s #3" "kt_compare --names"
head -c 120 "$T/plain.pcap" >"$T/cut.pcap"
expect_rc 2 "kt_compare: a cut capture" "$KT/kt_compare" "$T/plain.pcap" "$T/cut.pcap"
expect_grep "$T/err" "cut.pcap: packet 2:" "kt_compare: a cut capture names the packet"
expect_rc 2 "kt_compare: a missing capture" "$KT/kt_compare" "$T/plain.pcap" "$T/none.pcap"
expect_rc 2 "kt_compare: usage" "$KT/kt_compare" "$T/plain.pcap"

# ---------------------------------------------------------------------------------------- kt_path
expect_rc 0 "kt_path: tcpsim's 50 ms" "$KT/kt_path" "$T/plain.pcap" "$T/plain-srv.pcap" 50000
expect_grep "$T/out" "26 packets, largest deviation from 50.000 ms: 0.000 ms" "kt_path: every packet"
expect_rc 1 "kt_path: 3 ms off" "$KT/kt_path" "$T/plain.pcap" "$T/plain-srv.pcap" 47000
expect_rc 0 "kt_path: 3 ms off with --slack 3000" "$KT/kt_path" --slack 3000 "$T/plain.pcap" "$T/plain-srv.pcap" 47000
expect_rc 1 "kt_path: a packet missing at the receiver" "$KT/kt_path" "$T/loss2.pcap" "$T/loss2-srv.pcap" 50000
expect_grep "$T/out" "is not packet 6 of" "kt_path: a packet missing at the receiver"
expect_rc 2 "kt_path: a missing capture" "$KT/kt_path" "$T/plain.pcap" "$T/none.pcap" 50000
expect_rc 2 "kt_path: usage" "$KT/kt_path" "$T/plain.pcap" "$T/plain-srv.pcap"

echo "kernel_tools: $((n - fails)) of $n checks passed"
[ $fails -eq 0 ]
