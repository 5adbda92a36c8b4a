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
    {.lng = "verbose", .shrt = 'v', .help = "also show cwnd changes and delayed-ACK timers"},

    {.heading = "Diagrams",
     .help = "Drawn with cairo; the format follows the extension: .png, .svg or .pdf."},
    {.lng = "output",
     .shrt = 'o',
     .arg = "FILE",
     .ext = "png|svg|pdf",
     .help = "draw the sequence (ladder) diagram; with --scenario all, a directory that gets "
             "every scenario as PNG and SVG and an index.md"},
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
     .arg = "N|A:P-A:P",
     .help = "keep one connection: its number or its address pair"},
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
             "them (pcap; - for standard output), as tcpdump -w writes what it captures"},
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
     .help = "rfc (default): RFC 6298 minimum RTO 1s, MSL 60s, initial window per RFC 5681; "
             "linux: minimum RTO 200ms, MSL 30s so TIME-WAIT lasts 60s, initial window 10 "
             "segments, kept after a single SYN timeout (--syn-loss-iw 2)"},
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
