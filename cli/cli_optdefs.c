/*
 * cli_optdefs.c - every option of tcpsim, once.  getopt's tables, `tcpsim --help`, the OPTIONS
 * and SYNOPSIS of tcpsim(1) and the bash completion are all made from this list, so they cannot
 * drift apart (tests/install/man_help.sh compares the rendered man page with --help, word for
 * word, and tests/install/completion.sh the completion's options with --help's).
 *
 * How to add an option:
 *   1. Long-only options need a getopt code: append O_NAME to the enum in cli_settings.h.
 *      (An option with a short letter can use the letter as its code: leave .code out.)
 *   2. Add ONE entry below, in the group where --help should show it:
 *        {.lng = "time-axis", .code = O_TIME_AXIS, .arg = "events|true",
 *         .help = "what the vertical axis of a ladder diagram counts (events)"},
 *      .arg is NULL for a flag, a placeholder in capitals (FILE, N, DUR), or the accepted words
 *      in lower case separated by '|': the parser then refuses any other value with
 *      "unknown time-axis 'x' (use events or true)" and the completion offers the words.
 *      .ext = "json" makes the completion offer files ending in .json (and directories);
 *      .comp = CLI_COMP_SCENARIO or CLI_COMP_INTERFACE offers scenario or interface names.
 *      .help is one sentence without a trailing period, plain ASCII; the writers wrap it (79
 *      columns in --help) and escape it (the man page), so write it as one string.  Put the
 *      default in parentheses at the end, "(10ms)", as the others do.
 *   3. Handle the code: in cli_parse_args (cli_opts.c) for modes, outputs and capture options;
 *      simulation settings need nothing there (they are kept in order and applied by
 *      apply_one in cli_settings.c, which must handle the new code).
 *   The build regenerates tcpsim.1 and the completion from this file; nothing else is edited.
 *
 * tcpdump's short options are here where they mean the same thing in tcpsim: -r (read a file),
 * -i (an interface), -c (stop after N packets), -n (no name resolution: tcpsim never resolves
 * names), -w (write packets to a savefile: for tcpsim, the packets of the simulated
 * connection).  -f EXPR is tcpsim's own (tcpdump's -f means something else); the expression
 * can also follow the options, as tcpdump takes it (cli_opts.c).  -V is not tcpdump's (it
 * reads a list of files there).
 */
#include "cli_optdefs.h"

#include <stdio.h>
#include <string.h>

#include "cli_settings.h"
#include "tcp_mech.h"

const char *const cli_synopsis[] = {
    "tcpsim --scenario NAME [-o FILE] [-w FILE] [options]",
    "tcpsim --scenario-file FILE [options]",
    "tcpsim --scenario all -o DIR/",
    "tcpsim -r FILE [-c N] [--summary] [--flow N|A:P-A:P] [options] [EXPR]",
    "tcpsim -i IFACE [-c N] [options] [EXPR]",
    "tcpsim --list-scenarios | --help | --version",
    NULL,
};

const char cli_help_intro[] =
    "Simulates a TCP connection between a client and a server with a TCP endpoint\n"
    "that follows RFC 9293, 6298 and 5681, and prints every segment, state change\n"
    "and timer; or replays a capture through the same endpoint and infers both\n"
    "ends' states.\n";

const char cli_help_outro[] =
    "Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.\n"
    "The manual, tcpsim(1), says more: scenario files, outputs, examples.\n";

const cli_optdef cli_optdefs[] = {
    {.heading = "What to run"},
    {.lng = "scenario",
     .code = O_SCENARIO,
     .arg = "NAME",
     .comp = CLI_COMP_SCENARIO,
     .help = "simulate a built-in scenario (--list-scenarios shows them); all, with -o DIR/, "
             "draws every one"},
    {.lng = "scenario-file",
     .code = O_SCENARIO_FILE,
     .arg = "FILE",
     .ext = "tcpsim",
     .help = "simulate a scenario written in tcpsim's scenario language (see SCENARIO FILES in "
             "tcpsim(1)); exit 1 if one of its expectations fails"},
    {.lng = "pcap",
     .shrt = 'r',
     .code = O_PCAP,
     .arg = "FILE",
     .ext = "pcap|pcapng|cap",
     .help = "replay a capture file, pcap or pcapng, - for standard input (as tcpdump -r)"},
    {.lng = "live",
     .shrt = 'i',
     .code = O_LIVE,
     .arg = "IFACE",
     .comp = CLI_COMP_INTERFACE,
     .help = "replay packets as they arrive on an interface, until Ctrl-C or -c (needs root; as "
             "tcpdump -i)"},
    {.lng = "list-scenarios", .code = O_LIST, .help = "list the built-in scenarios"},
    {.lng = "help", .shrt = 'h', .help = "print this help"},
    {.lng = "version",
     .shrt = 'V',
     .code = O_VERSION,
     .help = "print tcpsim's version and the versions of libpcap and cairo it runs with"},

    {.heading = "Output"},
    {.lng = "json",
     .code = O_JSON,
     .help = "JSON Lines, one event per line (docs/trace-format.md)"},
    {.lng = "quiet", .shrt = 'q', .help = "no trace on standard output"},
    {.lng = "verbose",
     .shrt = 'v',
     .help = "also show cwnd changes, delayed-ACK timers and the endpoints' TCBs (tcb records, "
             "in --json too)"},

    {.heading = "Diagrams",
     .help = "Drawn with cairo; the format follows the extension: .png, .svg or .pdf; .html "
             "writes the explorer page (docs/explorer.md)."},
    {.lng = "output",
     .shrt = 'o',
     .arg = "FILE",
     .ext = "png|svg|pdf|html",
     .help = "draw the sequence (ladder) diagram, or write FILE.html, a page that steps through "
             "the trace with both endpoints' TCBs; with --scenario all, a directory that gets "
             "every scenario as PNG, SVG and HTML, an index.md and an index.html"},
    {.lng = "graph",
     .code = O_GRAPH,
     .arg = "tseq|ladder",
     .help = "what -o draws: tseq, the time-sequence graph (sequence over time), or ladder, the "
             "sequence diagram (ladder)"},
    {.lng = "scale",
     .code = O_SCALE,
     .arg = "N",
     .help = "PNG pixels per point, e.g. 2 for HiDPI (1)"},
    {.lng = "from",
     .code = O_FROM,
     .arg = "X",
     .help = "start the diagram (and a capture's text and JSON trace) at this point: a time "
             "(250ms, 2s) or a packet number (12)"},
    {.lng = "to",
     .code = O_TO,
     .arg = "X",
     .help = "end them at this point: a time or a packet number, as --from"},
    {.lng = "title", .code = O_TITLE, .arg = "TEXT", .help = "the diagram's title"},
    {.lng = "layout-json",
     .code = O_LAYOUT_JSON,
     .arg = "FILE",
     .ext = "json",
     .help = "write the ladder diagram's layout as JSON (format tcpsim-ladder-layout, see "
             "docs/diagrams.md), with or without -o; - for standard output"},
    {.lng = "time-axis",
     .code = O_TIME_AXIS,
     .arg = "events|true",
     .help = "what the vertical axis of a ladder diagram follows: true, time to scale within each "
             "stretch, or events, one row per event (true)"},
    {.lng = "page",
     .code = O_PAGE,
     .arg = "a4|letter|fit",
     .help = "PDF pages: fit, one page of the diagram's size when it fits (else pages of A-series "
             "proportions), or a4 or letter, the diagram scaled to that paper's width and split "
             "into its pages (fit)"},
    {.lng = "show",
     .code = O_SHOW,
     .arg = "cwnd",
     .help = "also draw on a ladder diagram: cwnd, the sender's congestion window and slow-start "
             "threshold as a small track beside its lifeline"},

    {.heading = "Captures",
     .help = "pcap or pcapng; link types Ethernet with VLANs, Linux SLL/SLL2, raw IP, BSD "
             "loopback, NFLOG, PPP, Cisco HDLC, 802.11 with or without radiotap."},
    {.lng = "filter",
     .shrt = 'f',
     .arg = "EXPR",
     .help = "BPF filter (pcap-filter(7)); as with tcpdump, the words after the options are the "
             "filter too: tcpsim -r x.pcap tcp port 80"},
    {.lng = "count",
     .shrt = 'c',
     .arg = "N",
     .help = "stop after N packets, those -f passes, as tcpdump -c (--flow then selects among "
             "them)"},
    {.shrt = 'n', .help = "accepted for tcpdump's sake: tcpsim never resolves names"},
    {.lng = "summary",
     .code = O_SUMMARY,
     .help = "one row per connection instead of the packet trace"},
    {.lng = "flow",
     .code = O_FLOW,
     .arg = "N|N,M,...|A:P-A:P",
     .help = "keep one connection: its number or its address pair; or several, N,M,... (at "
             "most 8), drawn by -o in one diagram with a lifeline per host. A scenario with "
             "hosts draws all its connections so without --flow; --flow N draws one"},
    {.lng = "absolute",
     .code = O_ABSOLUTE,
     .help = "absolute sequence numbers (default: relative to the ISNs)"},
    {.lng = "max-conns",
     .code = O_MAX_CONNS,
     .arg = "N",
     .help = "connections tracked at once (10000); more are counted"},

    {.heading = "Capture export"},
    {.lng = "write-pcap",
     .shrt = 'w',
     .code = O_WRITE_PCAP,
     .arg = "FILE",
     .ext = "pcap",
     .help = "write the simulated connection's packets as a capture at one end would hold "
             "them (pcap; - for standard output), as tcpdump -w writes what it captures; a "
             "scenario with hosts: every connection, and its datagram flows as UDP"},
    {.lng = "vantage",
     .code = O_VANTAGE,
     .arg = "client|server",
     .help = "where that capture is taken (client)"},
    {.lng = "pcap-link",
     .code = O_PCAP_LINK,
     .arg = "ether|raw",
     .help = "framing of the written packets (ether)"},

    {.heading = "Scenario settings",
     .help = "They override the scenario's own; DUR takes a unit: us, ms, s or m."},
    {.lng = "profile",
     .code = O_PROFILE,
     .arg = "rfc|linux",
     .help = "rfc (default): the RFCs' values and mechanisms (minimum RTO 1s, MSL 60s, initial "
             "window per RFC 5681); linux: what Linux puts on the wire: minimum RTO 200ms, MSL "
             "30s, initial window 10 kept after one SYN timeout, a 131072-byte receive buffer, "
             "every mechanism below on, and listeners with Linux's queues and SYN cookies "
             "(docs/linux-profile.md)"},
    {.lng = "rtt", .code = O_RTT, .arg = "DUR", .help = "round-trip propagation delay (100ms)"},
    {.lng = "bandwidth", .code = O_BW, .arg = "RATE", .help = "link rate, e.g. 10Mbit (unlimited)"},
    {.lng = "loss", .code = O_LOSS, .arg = "P", .help = "random segment loss, e.g. 1% or 0.01 (0)"},
    {.lng = "duplicate", .code = O_DUP, .arg = "P", .help = "random duplication (0)"},
    {.lng = "reorder",
     .code = O_REORDER,
     .arg = "P",
     .help = "random reordering: hold a segment back by --reorder-delay (0)"},
    {.lng = "reorder-delay",
     .code = O_REORDER_DELAY,
     .arg = "DUR",
     .help = "how long --reorder holds a segment back (10ms)"},
    {.lng = "seed",
     .code = O_SEED,
     .arg = "N",
     .help = "seed of the random loss, duplication and reordering (1)"},
    {.lng = "isn-client",
     .code = O_ISN_C,
     .arg = "N",
     .help = "client's initial sequence number (1000)"},
    {.lng = "isn-server",
     .code = O_ISN_S,
     .arg = "N",
     .help = "server's initial sequence number (2000)"},
    {.lng = "mss", .code = O_MSS, .arg = "N", .help = "MSS both ends advertise (1460)"},
    {.lng = "rcv-buf",
     .code = O_RCVBUF,
     .arg = "N",
     .help = "receive buffer in bytes (65535; larger turns on window scaling)"},
    {.lng = "snd-buf", .code = O_SNDBUF, .arg = "N", .help = "send buffer in bytes (65536)"},
    {.lng = "msl",
     .code = O_MSL,
     .arg = "DUR",
     .help = "maximum segment lifetime; TIME-WAIT lasts 2 x MSL (60s; RFC 9293 suggests 2 "
             "minutes, i.e. --msl 120s)"},
    {.lng = "rto-min",
     .code = O_RTO_MIN,
     .arg = "DUR",
     .help = "minimum RTO (1s, RFC 6298 2.4; Linux uses 200ms)"},
    {.lng = "rto-initial",
     .code = O_RTO_INIT,
     .arg = "DUR",
     .help = "RTO before the first RTT sample (1s, RFC 6298 2.1)"},
    {.lng = "rto-max",
     .code = O_RTO_MAX,
     .arg = "DUR",
     .help = "maximum RTO (120s; RFC 6298 2.5 asks for at least 60s)"},
    {.lng = "clock-granularity",
     .code = O_CLOCK_G,
     .arg = "DUR",
     .help = "clock granularity G of RFC 6298 (1ms)"},
    {.lng = "delack",
     .code = O_DELACK,
     .arg = "DUR",
     .help = "delayed ACK timeout (40ms; RFC 1122 allows up to 500ms)"},
    {.lng = "no-delack", .code = O_NO_DELACK, .help = "acknowledge every segment at once"},
    {.lng = "no-nagle", .code = O_NO_NAGLE, .help = "turn off Nagle's algorithm (RFC 896)"},
    {.lng = "iw",
     .code = O_IW,
     .arg = "N",
     .help = "initial congestion window in segments (RFC 5681 rule)"},
    {.lng = "syn-loss-iw",
     .code = O_SYN_LOSS_IW,
     .arg = "N",
     .help = "after N SYN timeouts the initial window is 1 segment (1, RFC 5681 3.1; Linux: 2; "
             "0: never)"},
    {.lng = "syn-retries",
     .code = O_SYN_RETRIES,
     .arg = "N",
     .help = "SYN retransmissions before giving up (6)"},
    {.lng = "max-retries",
     .code = O_MAX_RETRIES,
     .arg = "N",
     .help = "data/FIN retransmissions before giving up (15)"},
    {.lng = "until",
     .code = O_UNTIL,
     .arg = "DUR",
     .help = "stop the simulation at this time (3600s)"},

    {.heading = "Mechanisms",
     .help = "Each of these is also a scenario-file setting; --profile linux turns them all on "
             "(docs/linux-profile.md); the defaults are the RFC behaviour."},
    {.lng = "sack",
     .code = O_MECH + TCP_MECH_SACK,
     .arg = "on|off",
     .help = "SACK (RFC 2018) with RFC 6675 loss recovery (off)"},
    {.lng = "timestamps",
     .code = O_MECH + TCP_MECH_TIMESTAMPS,
     .arg = "on|off",
     .help = "TCP timestamps (RFC 7323): 12 bytes of every segment, RTT from TSecr, PAWS (off)"},
    {.lng = "cc",
     .code = O_MECH + TCP_MECH_CC,
     .arg = "newreno|cubic",
     .help = "congestion control: NewReno (RFC 5681, RFC 6582) or CUBIC (RFC 9438) (newreno)"},
    {.lng = "rack",
     .code = O_MECH + TCP_MECH_RACK,
     .arg = "on|off",
     .help = "RACK: losses detected by time (RFC 8985 section 6; needs SACK) (off)"},
    {.lng = "tlp",
     .code = O_MECH + TCP_MECH_TLP,
     .arg = "on|off",
     .help = "tail loss probes (RFC 8985 section 7; needs SACK) (off)"},
    {.lng = "prr",
     .code = O_MECH + TCP_MECH_PRR,
     .arg = "on|off",
     .help = "proportional rate reduction during fast recovery (RFC 6937) (off)"},
    {.lng = "quickack",
     .code = O_MECH + TCP_MECH_QUICKACK,
     .arg = "on|off",
     .help = "Linux's ACK engine: quick ACKs at the start and after idle, adaptive delayed-ACK "
             "timeout, delayed ACK of a FIN (off)"},
    {.lng = "nagle",
     .code = O_MECH + TCP_MECH_NAGLE,
     .arg = "on|off|minshall",
     .help = "Nagle's algorithm: RFC 896, none, or Linux's (a small segment waits only while "
             "another small one is unacknowledged) (on)"},
    {.lng = "psh",
     .code = O_MECH + TCP_MECH_PSH,
     .arg = "write|linux",
     .help = "where PSH goes: on the segment that empties the send queue, or where Linux's "
             "write path and GSO put it (write)"},
    {.lng = "rto-estimator",
     .code = O_MECH + TCP_MECH_RTO_ESTIMATOR,
     .arg = "rfc|linux",
     .help = "RTO from RFC 6298 (one timed segment per RTT), or Linux's (a sample per ACK, the "
             "minimum RTO bounding the variance term) (rfc)"},
    {.lng = "cwnd-unit",
     .code = O_MECH + TCP_MECH_CWND_UNIT,
     .arg = "bytes|packets",
     .help = "count the congestion window in bytes (RFC 5681) or in packets, as Linux does, so "
             "that the FIN waits for it like data (bytes)"},
    {.lng = "zero-window-probe",
     .code = O_MECH + TCP_MECH_ZWP,
     .arg = "rfc|linux",
     .help = "probe a zero window with one octet of new data (RFC 9293), or as Linux does, with "
             "no data at SND.UNA - 1, timed from each answer (rfc)"},
    {.lng = "rcv-window",
     .code = O_MECH + TCP_MECH_RCV_WINDOW,
     .arg = "rfc|linux",
     .help = "receive window: the free buffer (RFC 1122 SWS avoidance), or Linux's (buffer "
             "charged per segment, growth limit, --rcv-buf as SO_RCVBUF takes it) (rfc)"},
    {.lng = "dup-syn",
     .code = O_MECH + TCP_MECH_DUP_SYN,
     .arg = "ack|syn-ack",
     .help = "answer a duplicate SYN in SYN-RECEIVED with an ACK (RFC 9293) or with the SYN,ACK "
             "again (Linux) (ack)"},
    {.lng = "syn-linear-timeouts",
     .code = O_MECH + TCP_MECH_SYN_LINEAR,
     .arg = "N",
     .help = "SYN timeouts before the RTO starts doubling (0, RFC 6298 5.5; Linux: 4)"},
    {.lng = "wscale",
     .code = O_MECH + TCP_MECH_WSCALE,
     .arg = "SHIFT",
     .help = "window scale offered: auto (the least the buffer needs), linux (7, or what a set "
             "--rcv-buf needs) or 0 to 14 (auto)"},
    {.lng = "hz",
     .code = O_MECH + TCP_MECH_HZ,
     .arg = "HZ",
     .help = "fire timers as Linux's timer wheel does at 100, 250, 300 or 1000 HZ, or off "
             "(off; Linux: 250)"},
    {0},
};

_Static_assert(sizeof cli_optdefs / sizeof cli_optdefs[0] <= CLI_MAX_OPTDEFS,
               "more options than CLI_MAX_OPTDEFS: raise it in cli_optdefs.h");

const cli_optdef *cli_optdef_by_code(int code)
{
    for (const cli_optdef *d = cli_optdefs; d->heading || d->lng || d->shrt; d++) {
        if (d->heading)
            continue;
        if ((d->code ? d->code : d->shrt) == code)
            return d;
    }
    return NULL;
}

bool cli_optdef_has_words(const cli_optdef *d)
{
    if (!d->arg || !*d->arg)
        return false;
    for (const char *p = d->arg; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '|'))
            return false;
    return true;
}

bool cli_optdef_word_ok(const cli_optdef *d, const char *value)
{
    size_t n = strlen(value);
    for (const char *w = d->arg; *w;) {
        const char *bar = strchr(w, '|');
        size_t wl = bar ? (size_t)(bar - w) : strlen(w);
        if (n > 0 && wl == n && memcmp(w, value, n) == 0)
            return true;
        w += wl + (bar != NULL);
    }
    return false;
}

void cli_optdef_words_text(const cli_optdef *d, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (const char *w = d->arg; *w;) {
        const char *bar = strchr(w, '|');
        int wl = (int)(bar ? (size_t)(bar - w) : strlen(w));
        const char *sep = used == 0 ? "" : bar ? ", " : " or ";
        int k = snprintf(buf + used, len - used, "%s%.*s", sep, wl, w);
        if (k < 0 || (size_t)k >= len - used)
            return;
        used += (size_t)k;
        w += (size_t)wl + (bar != NULL);
    }
}

void cli_optdef_spec(const cli_optdef *d, char *buf, size_t len)
{
    const char *arg = d->arg ? d->arg : "";
    const char *sp = d->arg ? " " : "";
    if (d->shrt && d->lng)
        snprintf(buf, len, "-%c, --%s%s%s", d->shrt, d->lng, sp, arg);
    else if (d->lng)
        snprintf(buf, len, "--%s%s%s", d->lng, sp, arg);
    else
        snprintf(buf, len, "-%c%s%s", d->shrt, sp, arg);
}
