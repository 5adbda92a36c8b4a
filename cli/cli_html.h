/*
 * cli_html.h - `-o FILE.html`: the explorer page of a trace (docs/explorer.md).  The page's data
 * is the trace as tcpsim prints it: every record of `--json -v` (events and TCB records), the
 * line of the text trace of each event, and the TCP header bytes of every segment (capture/
 * cap_export.h); render/rnd_html.h writes the page around it.
 */
#ifndef TCPSIM_CLI_HTML_H
#define TCPSIM_CLI_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "cli_opts.h"
#include "trace.h"

/* A capture's connection: its number and its two ends ("ADDR:PORT"). */
typedef struct cli_html_conn {
    uint32_t id;
    char addr[2][64];
} cli_html_conn;

/* Writes the page of tb (a simulation: one connection described by tb->meta; a capture: the
 * connections in conns) to path.  Returns an exit status. */
int cli_html_write(const trace_buf *tb, const cli_options *o, const char *path,
                   const char *description, const cli_html_conn *conns, size_t n_conns);

#endif
