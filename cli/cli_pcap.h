/*
 * cli_pcap.h - `tcpsim --pcap FILE` and `tcpsim --live IFACE`: replays a capture through the
 * observer endpoints and writes the trace, the per-connection summary and the capture line.
 */
#ifndef TCPSIM_CLI_PCAP_H
#define TCPSIM_CLI_PCAP_H

#include <stdbool.h>
#include <stdint.h>

#include "trace.h"

typedef struct cli_pcap_opts {
    const char *path;   /* capture file, "-" for standard input */
    const char *live;   /* or a live interface */
    const char *filter; /* BPF expression */
    const char *flow;   /* "N" or "ADDR:PORT-ADDR:PORT" */
    bool json, summary, quiet, verbose, absolute;
    uint32_t max_conns;
    bool range; /* --from/--to: the text and JSON traces keep these capture times and packets */
    uint64_t from_us, to_us, from_pkt, to_pkt;
    uint64_t count; /* -c: stop after this many packets from the source (0: all) */
    const struct cli_options *render; /* -o given: draw the selected (or first) connection */
} cli_pcap_opts;

/* Runs the replay; returns the exit status (0, 1 runtime failure, 2 bad input or usage). */
int cli_run_pcap(const cli_pcap_opts *o);
/* Parses "N" or "A:P-A:P" into the replay's selection; 0 or -1 with err set. */
struct cap_replay_opts;
int cli_parse_flow(const char *s, struct cap_replay_opts *ro, char *err, size_t errlen);

#endif
