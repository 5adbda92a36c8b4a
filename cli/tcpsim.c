/*
 * tcpsim.c - the command: parses options, then plays a scenario (or, later, replays a capture)
 * and writes the trace as text or JSON.  Exit codes: 0 success, 1 runtime failure, 2 bad usage
 * or bad input.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_json.h"
#include "cli_parse.h"
#include "cli_pcap.h"
#include "cli_text.h"
#include "sim_net.h"
#include "sim_scenario.h"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "usage: tcpsim --scenario NAME [options]\n"
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
    "Captures (pcap or pcapng; link types Ethernet with VLANs, Linux SLL/SLL2, raw IP,\n"
    "BSD loopback):\n"
    "  --pcap FILE             replay a capture file, - for standard input\n"
    "  --live IFACE            replay packets as they arrive on an interface (needs root)\n"
    "  -f, --filter EXPR       BPF filter, as tcpdump takes it\n"
    "  --summary               one row per connection instead of the packet trace\n"
    "  --flow N|A:P-A:P        keep one connection: its number or its address pair\n"
    "  --absolute              absolute sequence numbers (default: relative to the ISNs)\n"
    "  --max-conns N           connections tracked at once (10000); more are counted\n"
    "\n"
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

enum {
    O_SCENARIO = 256,
    O_LIST,
    O_JSON,
    O_VERSION,
    O_PROFILE,
    O_RTT,
    O_BW,
    O_LOSS,
    O_DUP,
    O_REORDER,
    O_REORDER_DELAY,
    O_SEED,
    O_ISN_C,
    O_ISN_S,
    O_MSS,
    O_RCVBUF,
    O_SNDBUF,
    O_MSL,
    O_RTO_MIN,
    O_RTO_INIT,
    O_RTO_MAX,
    O_CLOCK_G,
    O_DELACK,
    O_NO_DELACK,
    O_NO_NAGLE,
    O_IW,
    O_SYN_RETRIES,
    O_MAX_RETRIES,
    O_UNTIL,
    O_PCAP,
    O_LIVE,
    O_SUMMARY,
    O_FLOW,
    O_MAX_CONNS,
    O_ABSOLUTE,
};

static const struct option long_opts[] = {
    {"scenario", required_argument, NULL, O_SCENARIO},
    {"list-scenarios", no_argument, NULL, O_LIST},
    {"json", no_argument, NULL, O_JSON},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, O_VERSION},
    {"profile", required_argument, NULL, O_PROFILE},
    {"rtt", required_argument, NULL, O_RTT},
    {"bandwidth", required_argument, NULL, O_BW},
    {"loss", required_argument, NULL, O_LOSS},
    {"duplicate", required_argument, NULL, O_DUP},
    {"reorder", required_argument, NULL, O_REORDER},
    {"reorder-delay", required_argument, NULL, O_REORDER_DELAY},
    {"seed", required_argument, NULL, O_SEED},
    {"isn-client", required_argument, NULL, O_ISN_C},
    {"isn-server", required_argument, NULL, O_ISN_S},
    {"mss", required_argument, NULL, O_MSS},
    {"rcv-buf", required_argument, NULL, O_RCVBUF},
    {"snd-buf", required_argument, NULL, O_SNDBUF},
    {"msl", required_argument, NULL, O_MSL},
    {"rto-min", required_argument, NULL, O_RTO_MIN},
    {"rto-initial", required_argument, NULL, O_RTO_INIT},
    {"rto-max", required_argument, NULL, O_RTO_MAX},
    {"clock-granularity", required_argument, NULL, O_CLOCK_G},
    {"delack", required_argument, NULL, O_DELACK},
    {"no-delack", no_argument, NULL, O_NO_DELACK},
    {"no-nagle", no_argument, NULL, O_NO_NAGLE},
    {"iw", required_argument, NULL, O_IW},
    {"syn-retries", required_argument, NULL, O_SYN_RETRIES},
    {"max-retries", required_argument, NULL, O_MAX_RETRIES},
    {"until", required_argument, NULL, O_UNTIL},
    {"pcap", required_argument, NULL, O_PCAP},
    {"live", required_argument, NULL, O_LIVE},
    {"filter", required_argument, NULL, 'f'},
    {"summary", no_argument, NULL, O_SUMMARY},
    {"flow", required_argument, NULL, O_FLOW},
    {"max-conns", required_argument, NULL, O_MAX_CONNS},
    {"absolute", no_argument, NULL, O_ABSOLUTE},
    {NULL, 0, NULL, 0},
};

/* Settings given on the command line, applied on top of the scenario in this order. */
typedef struct overrides {
    int n;
    struct {
        int opt;
        const char *arg;
    } v[64];
} overrides;

typedef struct options {
    const char *scenario;
    bool list, json, quiet, verbose;
    const char *profile;
    overrides ov;
    cli_pcap_opts pcap;
    const char *max_conns;
} options;

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("tcpsim: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs(" (see tcpsim --help)\n", stderr);
    va_end(ap);
    return EXIT_USAGE;
}

static void apply_profile(sim_scenario *sc, const char *profile)
{
    if (strcmp(profile, "linux") != 0)
        return;
    for (int i = 0; i < 2; i++) {
        sc->tcp[i].rto_min = 200000; /* TCP_RTO_MIN */
        sc->tcp[i].msl = 30000000;   /* TCP_TIMEWAIT_LEN is 60 s = 2 x 30 s */
        sc->tcp[i].iw_segments = 10; /* TCP_INIT_CWND, RFC 6928 */
    }
}

/* Applies one override to both endpoints (or one ISN); returns 0 or -1 with err set. */
static int apply_one(sim_scenario *sc, int opt, const char *arg, char *err, size_t errlen)
{
    uint64_t u = 0;
    double p = 0;
    switch (opt) {
    case O_RTT:
        if (cli_parse_duration(arg, &u, err, errlen))
            return -1;
        sc->rtt = u;
        return 0;
    case O_BW:
        if (cli_parse_rate(arg, &u, err, errlen))
            return -1;
        sc->bandwidth = u;
        return 0;
    case O_LOSS:
    case O_DUP:
    case O_REORDER:
        if (cli_parse_prob(arg, &p, err, errlen))
            return -1;
        *(opt == O_LOSS ? &sc->loss : opt == O_DUP ? &sc->duplicate : &sc->reorder) = p;
        return 0;
    case O_REORDER_DELAY:
        return cli_parse_duration(arg, &sc->reorder_delay, err, errlen);
    case O_SEED:
        return cli_parse_uint(arg, UINT64_MAX, &sc->seed, err, errlen);
    case O_ISN_C:
    case O_ISN_S:
        if (cli_parse_uint(arg, UINT32_MAX, &u, err, errlen))
            return -1;
        sc->tcp[opt == O_ISN_C ? 0 : 1].isn = (uint32_t)u;
        return 0;
    case O_UNTIL:
        return cli_parse_duration(arg, &sc->until, err, errlen);
    default:
        break;
    }
    for (int i = 0; i < 2; i++) {
        tcp_config *c = &sc->tcp[i];
        switch (opt) {
        case O_MSS:
            if (cli_parse_uint(arg, 65535, &u, err, errlen))
                return -1;
            if (u < 64) {
                snprintf(err, errlen, "bad MSS '%s': at least 64", arg);
                return -1;
            }
            c->mss = (uint32_t)u;
            break;
        case O_RCVBUF:
        case O_SNDBUF:
            if (cli_parse_uint(arg, 1u << 30, &u, err, errlen))
                return -1;
            if (u < 1) {
                snprintf(err, errlen, "bad buffer size '%s': at least 1 byte", arg);
                return -1;
            }
            *(opt == O_RCVBUF ? &c->rcv_buf : &c->snd_buf) = (uint32_t)u;
            break;
        case O_MSL:
            if (cli_parse_duration(arg, &c->msl, err, errlen))
                return -1;
            break;
        case O_RTO_MIN:
            if (cli_parse_duration(arg, &c->rto_min, err, errlen))
                return -1;
            break;
        case O_RTO_INIT:
            if (cli_parse_duration(arg, &c->rto_initial, err, errlen))
                return -1;
            if (c->rto_initial == 0) {
                snprintf(err, errlen, "bad duration '%s': the initial RTO must be > 0", arg);
                return -1;
            }
            break;
        case O_RTO_MAX:
            if (cli_parse_duration(arg, &c->rto_max, err, errlen))
                return -1;
            break;
        case O_CLOCK_G:
            if (cli_parse_duration(arg, &c->clock_g, err, errlen))
                return -1;
            break;
        case O_DELACK:
            if (cli_parse_duration(arg, &c->delack, err, errlen))
                return -1;
            if (c->delack > 500000) {
                snprintf(err, errlen, "bad delayed ACK '%s': RFC 1122 allows at most 500ms", arg);
                return -1;
            }
            break;
        case O_NO_DELACK:
            c->delack = 0;
            break;
        case O_NO_NAGLE:
            c->nagle = false;
            break;
        case O_IW:
            if (cli_parse_uint(arg, 1000, &u, err, errlen))
                return -1;
            c->iw_segments = (uint32_t)u;
            break;
        case O_SYN_RETRIES:
        case O_MAX_RETRIES:
            if (cli_parse_uint(arg, 1000, &u, err, errlen))
                return -1;
            *(opt == O_SYN_RETRIES ? &c->syn_retries : &c->max_retries) = (uint32_t)u;
            break;
        default:
            snprintf(err, errlen, "internal: unhandled option %d", opt);
            return -1;
        }
    }
    return 0;
}

static void list_scenarios(void)
{
    for (const sim_builtin *b = sim_builtin_list(); b->name; b++)
        printf("%-11s %s\n", b->name, b->summary);
}

static void print_summary(const sim_net *net)
{
    const tcp_endpoint *c = &net->ep[0], *s = &net->ep[1];
    printf("\nsummary: %" PRIu64 " segments sent, %" PRIu64
           " lost; retransmissions: client %" PRIu64 ", server %" PRIu64 "; end at %" PRIu64
           ".%03" PRIu64 " ms: client %s, server %s%s\n",
           net->stats.segments, net->stats.dropped, c->retrans_segs, s->retrans_segs,
           net->now / 1000u, net->now % 1000u, tcp_state_name(c->state), tcp_state_name(s->state),
           net->stats.time_limit ? " (stopped at the time limit)" : "");
}

static int run_scenario(const options *o)
{
    static sim_scenario sc;
    if (sim_builtin_load(&sc, o->scenario) < 0)
        return usage_error("unknown scenario '%s' (tcpsim --list-scenarios shows them)",
                           o->scenario);
    if (o->profile)
        apply_profile(&sc, o->profile);
    char err[160];
    for (int k = 0; k < o->ov.n; k++) {
        if (apply_one(&sc, o->ov.v[k].opt, o->ov.v[k].arg, err, sizeof err) < 0)
            return usage_error("%s", err);
    }

    trace_meta meta;
    sim_net_meta(&sc, &meta);
    cli_text text = {.out = stdout, .meta = &meta, .verbose = o->verbose};
    cli_json json = {.out = stdout};
    trace_sink sink = {NULL, NULL};
    if (!o->quiet)
        sink = o->json ? (trace_sink){cli_json_emit, &json} : (trace_sink){cli_text_emit, &text};

    if (!o->quiet && !o->json) {
        printf("scenario %s: %s\n", sc.name, sc.description);
        printf("client %s, server %s, RTT %" PRIu64 ".%03" PRIu64 " ms\n\n", sc.addr[0], sc.addr[1],
               sc.rtt / 1000u, sc.rtt % 1000u);
    }
    static sim_net net;
    sim_net_init(&net, &sc, sink);
    int rc = sim_net_run(&net);
    if (rc < 0) {
        fprintf(stderr, "tcpsim: out of memory while simulating '%s'\n", sc.name);
        sim_net_free(&net);
        return EXIT_RUNTIME;
    }
    if (!o->quiet && !o->json)
        print_summary(&net);
    sim_net_free(&net);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("tcpsim: writing the trace");
        return EXIT_RUNTIME;
    }
    return 0;
}

int main(int argc, char **argv)
{
    options o;
    memset(&o, 0, sizeof o);
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":qvhf:", long_opts, NULL)) != -1) {
        switch (c) {
        case O_SCENARIO:
            o.scenario = optarg;
            break;
        case O_PCAP:
            o.pcap.path = optarg;
            break;
        case O_LIVE:
            o.pcap.live = optarg;
            break;
        case 'f':
            o.pcap.filter = optarg;
            break;
        case O_SUMMARY:
            o.pcap.summary = true;
            break;
        case O_FLOW:
            o.pcap.flow = optarg;
            break;
        case O_ABSOLUTE:
            o.pcap.absolute = true;
            break;
        case O_MAX_CONNS:
            o.max_conns = optarg;
            break;
        case O_LIST:
            o.list = true;
            break;
        case O_JSON:
            o.json = true;
            break;
        case 'q':
            o.quiet = true;
            break;
        case 'v':
            o.verbose = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        case O_VERSION:
            printf("tcpsim %s\n", TCPSIM_VERSION);
            return 0;
        case O_PROFILE:
            if (strcmp(optarg, "rfc") != 0 && strcmp(optarg, "linux") != 0)
                return usage_error("unknown profile '%s' (use rfc or linux)", optarg);
            o.profile = optarg;
            break;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        case '?':
            return usage_error("unknown option '%s'", argv[optind - 1]);
        default:
            if (o.ov.n >= (int)(sizeof o.ov.v / sizeof o.ov.v[0]))
                return usage_error("%s", "too many options");
            o.ov.v[o.ov.n].opt = c;
            o.ov.v[o.ov.n].arg = optarg;
            o.ov.n++;
            break;
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (o.list) {
        list_scenarios();
        return 0;
    }
    int modes = (o.scenario != NULL) + (o.pcap.path != NULL) + (o.pcap.live != NULL);
    if (modes == 0)
        return usage_error("%s", "nothing to do: give --scenario NAME or --pcap FILE");
    if (modes > 1)
        return usage_error("%s", "--scenario, --pcap and --live exclude each other");
    if (o.scenario) {
        if (o.pcap.filter || o.pcap.summary || o.pcap.flow || o.max_conns || o.pcap.absolute)
            return usage_error("%s", "-f, --summary, --flow, --absolute and --max-conns go with "
                                     "--pcap or --live");
        return run_scenario(&o);
    }
    if (o.ov.n > 0 || o.profile)
        return usage_error("%s", "simulation settings (--rtt, --loss, ...) go with --scenario");
    if (o.max_conns) {
        uint64_t v;
        char err[160];
        if (cli_parse_uint(o.max_conns, 10000000, &v, err, sizeof err) < 0 || v == 0)
            return usage_error("bad --max-conns '%s': a number from 1 to 10000000", o.max_conns);
        o.pcap.max_conns = (uint32_t)v;
    }
    o.pcap.json = o.json;
    o.pcap.quiet = o.quiet;
    o.pcap.verbose = o.verbose;
    return cli_run_pcap(&o.pcap);
}
