/*
 * cli_opts.h - the command line of tcpsim: every option, parsed into one struct.  Simulation
 * settings (--rtt, --loss...) are kept in order as given and applied on top of a scenario by
 * cli_apply_settings (cli_settings.c).
 */
#ifndef TCPSIM_CLI_OPTS_H
#define TCPSIM_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim_scenario.h"

enum { CLI_EXIT_OK = 0, CLI_EXIT_RUNTIME = 1, CLI_EXIT_USAGE = 2 };

#define CLI_MAX_SETTINGS 64

typedef struct cli_options {
    const char *scenario, *pcap, *live, *filter, *flow;
    const char *output, *graph, *scale, *from, *to, *title, *max_conns, *profile;
    const char *scenario_file; /* --scenario-file F */
    const char *write_pcap;    /* --write-pcap F */
    const char *vantage;       /* --vantage client|server */
    const char *pcap_link;     /* --pcap-link ether|raw */
    const char *layout_json;   /* --layout-json F */
    const char *time_axis;     /* --time-axis events|true */
    const char *page;          /* --page a4|letter|fit */
    const char *show;          /* --show cwnd */
    uint64_t count;            /* -c N: stop a capture after N packets (0: no limit) */
    bool list, help, version, json, quiet, verbose, summary, absolute;
    int n_settings;
    struct {
        int opt;
        const char *arg;
    } settings[CLI_MAX_SETTINGS];
} cli_options;

/* Writes the text of --help (cli_usage.c). */
void cli_print_usage(FILE *out);
/* Writes what --version prints: tcpsim's version, libpcap's and cairo's (cli_version.c). */
void cli_print_version(FILE *out);

/* Parses argv.  Returns -1 when parsing succeeded, or an exit status after printing a one-line
 * message (2 for bad usage). */
int cli_parse_args(int argc, char **argv, cli_options *o);
/* The long name (without "--") of the option whose getopt value is opt, or "?". */
const char *cli_option_name(int opt);
/* Prints "tcpsim: MESSAGE (see tcpsim --help)" and returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Applies --profile and the simulation settings to a scenario; 0, or -1 with err set. */
int cli_apply_settings(sim_scenario *sc, const cli_options *o, char *err, size_t errlen);

#endif
