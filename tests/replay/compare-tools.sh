#!/bin/sh
# compare-tools.sh TCPSIM FILE... - by hand, not a test: the replay's counts beside tshark's and
# tcptrace's for each capture, one Markdown table row per file (docs/replay.md, "Against tshark
# and tcptrace").  Columns: TCP connections (tcpsim); retransmitted packets by tcpsim, tshark
# (frames flagged retransmission, fast retransmission or spurious retransmission) and tcptrace
# (rexmt data pkts, both directions); unique data bytes by tcpsim and tcptrace (both
# directions); mean data RTT in ms by tcpsim (its RFC 6298 samples, Karn's rule, both
# directions weighted by samples), tshark (tcp.analysis.ack_rtt over the ACKs that have one) and
# tcptrace (RTT avg, weighted by its sample counts).  Needs jq, tshark and tcptrace.
set -eu
tcpsim=$1
shift
for f in "$@"; do
    sum=$("$tcpsim" --pcap "$f" --summary --json 2>/dev/null | grep '"ev":"conn"' || true)
    conns=$(printf '%s\n' "$sum" | grep -c '"ev":"conn"' || true)
    ours=$(printf '%s\n' "$sum" | jq -s '[.[] | .retransmissions.client + .retransmissions.server] | add // 0')
    ouniq=$(printf '%s\n' "$sum" | jq -s '[.[] | .unique_bytes.client + .unique_bytes.server] | add // 0')
    ortt=$(printf '%s\n' "$sum" | jq -s '[.[] | .rtt.client, .rtt.server | select(.samples > 0)] |
        if length == 0 then "-" else ((map(.avg * .samples) | add) / (map(.samples) | add) / 1000 |
        . * 1000 | round / 1000) end')
    ts=$(tshark -r "$f" -Y 'tcp.analysis.retransmission || tcp.analysis.fast_retransmission ||
        tcp.analysis.spurious_retransmission' -T fields -e frame.number 2>/dev/null | wc -l)
    trtt=$(tshark -r "$f" -Y tcp.analysis.ack_rtt -T fields -e tcp.analysis.ack_rtt 2>/dev/null |
        awk '{ s += $1; n++ } END { if (n) printf "%.3f", s / n * 1000; else print "-" }')
    tt=$(tcptrace -l -r "$f" 2>/dev/null)
    trx=$(printf '%s\n' "$tt" | awk '/rexmt data pkts:/ { n += $4 + $8 } END { print n + 0 }')
    tuniq=$(printf '%s\n' "$tt" | awk '/unique bytes sent:/ { n += $4 + $8 } END { print n + 0 }')
    tcrtt=$(printf '%s\n' "$tt" | awk '/RTT samples:/ { a = $3; b = $6 } /RTT avg:/ { s += a * $3 + b * $7; n += a + b }
        END { if (n) printf "%.3f", s / n; else print "-" }')
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(basename "$f")" "$conns" \
        "$ours" "$ts" "$trx" "$ouniq" "$tuniq" "$ortt" "$trtt" "$tcrtt"
done
