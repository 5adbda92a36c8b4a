/*
 * cli_opts.c - getopt_long over tcpsim's options, whose tables are made from the option list
 * (cli_optdefs.c).  Unknown options, missing values, values outside an option's words and stray
 * arguments are reported in one line, exit status 2.
 */
#include "cli_opts.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli_optdefs.h"
#include "cli_parse.h"
#include "cli_settings.h"

/* getopt's tables, made once from the option list (cli_optdefs.c). */
static struct option long_opts[CLI_MAX_OPTDEFS + 1];
static char short_opts[3 * CLI_MAX_OPTDEFS + 2];

static void build_getopt_tables(void)
{
    if (long_opts[0].name)
        return;
    size_t nl = 0, ns = 0;
    short_opts[ns++] = ':'; /* a missing value is reported as ':' */
    for (const cli_optdef *d = cli_optdefs; d->heading || d->lng || d->shrt; d++) {
        if (d->heading)
            continue;
        int code = d->code ? d->code : d->shrt;
        if (d->lng)
            long_opts[nl++] =
                (struct option){d->lng, d->arg ? required_argument : no_argument, NULL, code};
        if (d->shrt) {
            short_opts[ns++] = d->shrt;
            if (d->arg)
                short_opts[ns++] = ':';
        }
    }
    long_opts[nl] = (struct option){NULL, 0, NULL, 0};
    short_opts[ns] = '\0';
}

const char *cli_option_name(int opt)
{
    const cli_optdef *d = cli_optdef_by_code(opt);
    return d && d->lng ? d->lng : "?";
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

/* getopt hands over a short option as its letter: the entry's own code stands for it. */
static int short_code(int c)
{
    for (const cli_optdef *d = cli_optdefs; d->heading || d->lng || d->shrt; d++)
        if (!d->heading && d->shrt == c)
            return d->code ? d->code : d->shrt;
    return c;
}

/* tcpdump reads the words after its options as the filter expression: so does a replay, as
 * if they had been given with -f (joined by spaces, as tcpdump joins them). */
static int trailing_filter(int argc, char **argv, cli_options *o)
{
    static char expr[4096];
    if (o->filter)
        return cli_usage_error("two filters: -f '%s' and, after the options, '%s%s' (quote an "
                               "expression of several words: -f 'tcp port 80')",
                               o->filter, argv[optind], optind + 1 < argc ? " ..." : "");
    size_t used = 0;
    for (int i = optind; i < argc; i++) {
        int k = snprintf(expr + used, sizeof expr - used, "%s%s", used ? " " : "", argv[i]);
        if (k < 0 || (size_t)k >= sizeof expr - used)
            return cli_usage_error("the filter expression is longer than %zu bytes",
                                   sizeof expr - 1);
        used += (size_t)k;
    }
    o->filter = expr;
    return -1;
}

int cli_parse_args(int argc, char **argv, cli_options *o)
{
    memset(o, 0, sizeof *o);
    build_getopt_tables();
    opterr = 0;
    optind = 1;
    int c, li;
    while ((li = -1, c = getopt_long(argc, argv, short_opts, long_opts, &li)) != -1) {
        const cli_optdef *d = NULL;
        if (c != ':' && c != '?') {
            c = short_code(c);
            d = cli_optdef_by_code(c);
        }
        if (d) {
            if (cli_optdef_has_words(d) && !cli_optdef_word_ok(d, optarg)) {
                char words[160];
                cli_optdef_words_text(d, words, sizeof words);
                return cli_usage_error("unknown %s '%s' (use %s)", d->lng, optarg, words);
            }
        }
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
        case 'c': {
            /* tcpdump -c: stop after N packets */
            const char *as = li >= 0 ? "--count" : "-c";
            uint64_t v;
            char err[160];
            if (cli_parse_uint(optarg, UINT64_MAX, &v, err, sizeof err) < 0)
                return cli_usage_error("%s: %s", as, err);
            if (v == 0)
                return cli_usage_error("%s: bad count '%s': at least 1 packet", as, optarg);
            o->count = v;
            break;
        }
        case 'n': /* tcpdump -n: tcpsim never resolves names */
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
            o->vantage = optarg;
            break;
        case O_PCAP_LINK:
            o->pcap_link = optarg;
            break;
        case O_LAYOUT_JSON:
            o->layout_json = optarg;
            break;
        case O_TIME_AXIS:
            o->time_axis = optarg;
            break;
        case O_PAGE:
            o->page = optarg;
            break;
        case O_SHOW:
            o->show = optarg;
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
    if (optind < argc && (o->pcap || o->live))
        return trailing_filter(argc, argv, o);
    if (optind < argc)
        return cli_usage_error("unexpected argument '%s'", argv[optind]);
    return -1;
}
