/*
 * cli_usage.c - the text of `tcpsim --help`.
 */
#include "cli_opts.h"

#include <stdio.h>

static const char usage_1[] =
    "usage: tcpsim --scenario NAME [-o FILE] [--write-pcap FILE] [options]\n"
    "       tcpsim --scenario-file FILE [options]\n"
    "       tcpsim --scenario all -o DIR/\n"
    "       tcpsim --pcap FILE [-f EXPR] [--summary] [--flow N|A:P-A:P] [options]\n"
    "       tcpsim --live IFACE [-f EXPR] [options]\n"
    "       tcpsim --list-scenarios | --help | --version\n"
    "\n"
    "Simulates a TCP connection between a client and a server with a TCP endpoint that\n"
    "follows RFC 9293, 6298 and 5681, and prints every segment, state change and timer;\n"
    "or replays a capture through the same endpoint and infers both ends' states.\n"
    "\n"
    "Output:\n"
    "  --json                  JSON Lines, one event per line (docs/trace-format.md)\n"
    "  -q, --quiet             no trace on stdout\n"
    "  -v, --verbose           also show cwnd changes and delayed-ACK timers\n"
    "\n"
    "Diagrams (cairo; the format follows the extension: .png, .svg, .pdf):\n"
    "  -o, --output FILE       draw the sequence (ladder) diagram; with --scenario all, a\n"
    "                          directory that gets every scenario as PNG and SVG and an index.md\n"
    "  --graph tseq            draw the time-sequence graph instead (sequence over time)\n"
    "  --scale N               PNG pixels per point, e.g. 2 for HiDPI (1)\n"
    "  --from X, --to X        part of the trace: a time (250ms, 2s) or a packet number (12)\n"
    "  --title TEXT            the diagram's title\n"
    "\n"
    "Scenario files and capture export:\n"
    "  --scenario-file FILE    run a scenario written in tcpsim's scenario language\n"
    "                          (docs/scenario-language.md); exit 1 if an expectation fails\n"
    "  --write-pcap FILE       write what a capture at one end would hold (pcap)\n"
    "  --vantage client|server where that capture is taken (client)\n"
    "  --pcap-link ether|raw   framing of the written packets (ether)\n"
    "\n"
    "Captures (pcap or pcapng; link types Ethernet with VLANs, Linux SLL/SLL2, raw IP,\n"
    "BSD loopback, NFLOG, PPP, Cisco HDLC, 802.11 with or without radiotap):\n"
    "  --pcap FILE             replay a capture file, - for standard input\n"
    "  --live IFACE            replay packets as they arrive on an interface (needs root)\n"
    "  -f, --filter EXPR       BPF filter, as tcpdump takes it\n"
    "  --summary               one row per connection instead of the packet trace\n"
    "  --flow N|A:P-A:P        keep one connection: its number or its address pair\n"
    "  --absolute              absolute sequence numbers (default: relative to the ISNs)\n"
    "  --max-conns N           connections tracked at once (10000); more are counted\n"
    "\n";

static const char usage_2[] =
    "Scenario settings (they override the scenario's own; DUR takes a unit: us, ms, s, m):\n"
    "  --profile rfc|linux     rfc (default): RFC 6298 minimum RTO 1 s, MSL 60 s, initial\n"
    "                          window per RFC 5681; linux: minimum RTO 200 ms, MSL 30 s so\n"
    "                          TIME-WAIT lasts 60 s, initial window 10 segments\n"
    "  --rtt DUR               round-trip propagation delay (100ms)\n"
    "  --bandwidth RATE        link rate, e.g. 10Mbit (unlimited)\n"
    "  --loss P                random segment loss, e.g. 1% or 0.01 (0)\n"
    "  --duplicate P           random duplication (0)\n"
    "  --reorder P             random reordering: hold a segment back by --reorder-delay (0)\n"
    "  --reorder-delay DUR     (10ms)\n"
    "  --seed N                seed of the random loss, duplication and reordering (1)\n"
    "  --isn-client N          client's initial sequence number (1000)\n"
    "  --isn-server N          server's initial sequence number (2000)\n"
    "  --mss N                 MSS both ends advertise (1460)\n"
    "  --rcv-buf N             receive buffer in bytes (65535; larger turns on window scaling)\n"
    "  --snd-buf N             send buffer in bytes (65536)\n"
    "  --msl DUR               maximum segment lifetime; TIME-WAIT lasts 2 x MSL (60s;\n"
    "                          RFC 9293 suggests 2 minutes, i.e. --msl 120s)\n"
    "  --rto-min DUR           minimum RTO (1s, RFC 6298 2.4; Linux uses 200ms)\n"
    "  --rto-initial DUR       RTO before the first RTT sample (1s, RFC 6298 2.1)\n"
    "  --rto-max DUR           maximum RTO (120s; RFC 6298 2.5 asks for at least 60s)\n"
    "  --clock-granularity DUR clock granularity G of RFC 6298 (1ms)\n"
    "  --delack DUR            delayed ACK timeout (40ms; RFC 1122 allows up to 500ms)\n"
    "  --no-delack             acknowledge every segment at once\n"
    "  --no-nagle              turn off Nagle's algorithm (RFC 896)\n"
    "  --iw N                  initial congestion window in segments (RFC 5681 rule)\n"
    "  --syn-retries N         SYN retransmissions before giving up (6)\n"
    "  --max-retries N         data/FIN retransmissions before giving up (15)\n"
    "  --until DUR             stop the simulation at this time (3600s)\n"
    "\n"
    "Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.\n";

void cli_print_usage(FILE *out)
{
    fputs(usage_1, out);
    fputs(usage_2, out);
}
