/*
 * cli_opts.c - getopt_long over tcpsim's options.  Unknown options, missing values and stray
 * arguments are reported in one line, exit status 2.
 */
#include "cli_opts.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli_settings.h"

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
    {"syn-loss-iw", required_argument, NULL, O_SYN_LOSS_IW},
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
    {"output", required_argument, NULL, 'o'},
    {"graph", required_argument, NULL, O_GRAPH},
    {"scale", required_argument, NULL, O_SCALE},
    {"from", required_argument, NULL, O_FROM},
    {"to", required_argument, NULL, O_TO},
    {"title", required_argument, NULL, O_TITLE},
    {"scenario-file", required_argument, NULL, O_SCENARIO_FILE},
    {"write-pcap", required_argument, NULL, O_WRITE_PCAP},
    {"vantage", required_argument, NULL, O_VANTAGE},
    {"pcap-link", required_argument, NULL, O_PCAP_LINK},
    {NULL, 0, NULL, 0},
};

const char *cli_option_name(int opt)
{
    for (const struct option *lo = long_opts; lo->name != NULL; lo++)
        if (lo->val == opt)
            return lo->name;
    return "?";
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("tcpsim: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs(" (see tcpsim --help)\n", stderr);
    va_end(ap);
    return CLI_EXIT_USAGE;
}

int cli_parse_args(int argc, char **argv, cli_options *o)
{
    memset(o, 0, sizeof *o);
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":qvhf:o:", long_opts, NULL)) != -1) {
        switch (c) {
        case O_SCENARIO:
            o->scenario = optarg;
            break;
        case O_LIST:
            o->list = true;
            break;
        case O_JSON:
            o->json = true;
            break;
        case 'q':
            o->quiet = true;
            break;
        case 'v':
            o->verbose = true;
            break;
        case 'h':
            o->help = true;
            break;
        case O_VERSION:
            o->version = true;
            break;
        case O_PROFILE:
            if (strcmp(optarg, "rfc") != 0 && strcmp(optarg, "linux") != 0)
                return cli_usage_error("unknown profile '%s' (use rfc or linux)", optarg);
            o->profile = optarg;
            break;
        case O_PCAP:
            o->pcap = optarg;
            break;
        case O_LIVE:
            o->live = optarg;
            break;
        case 'f':
            o->filter = optarg;
            break;
        case O_SUMMARY:
            o->summary = true;
            break;
        case O_FLOW:
            o->flow = optarg;
            break;
        case O_ABSOLUTE:
            o->absolute = true;
            break;
        case O_MAX_CONNS:
            o->max_conns = optarg;
            break;
        case 'o':
            o->output = optarg;
            break;
        case O_GRAPH:
            if (strcmp(optarg, "tseq") != 0 && strcmp(optarg, "ladder") != 0)
                return cli_usage_error("unknown graph '%s' (use tseq or ladder)", optarg);
            o->graph = optarg;
            break;
        case O_SCALE:
            o->scale = optarg;
            break;
        case O_FROM:
            o->from = optarg;
            break;
        case O_TO:
            o->to = optarg;
            break;
        case O_TITLE:
            o->title = optarg;
            break;
        case O_SCENARIO_FILE:
            o->scenario_file = optarg;
            break;
        case O_WRITE_PCAP:
            o->write_pcap = optarg;
            break;
        case O_VANTAGE:
            if (strcmp(optarg, "client") != 0 && strcmp(optarg, "server") != 0)
                return cli_usage_error("unknown vantage '%s' (use client or server)", optarg);
            o->vantage = optarg;
            break;
        case O_PCAP_LINK:
            if (strcmp(optarg, "ether") != 0 && strcmp(optarg, "raw") != 0)
                return cli_usage_error("unknown link '%s' (use ether or raw)", optarg);
            o->pcap_link = optarg;
            break;
        case ':':
            return cli_usage_error("option '%s' needs a value", argv[optind - 1]);
        case '?':
            return cli_usage_error("unknown option '%s'", argv[optind - 1]);
        default:
            if (o->n_settings >= CLI_MAX_SETTINGS)
                return cli_usage_error("%s", "too many options");
            o->settings[o->n_settings].opt = c;
            o->settings[o->n_settings].arg = optarg;
            o->n_settings++;
            break;
        }
    }
    if (optind < argc)
        return cli_usage_error("unexpected argument '%s'", argv[optind]);
    return -1;
}
