/*
 * cli_render.h - turns the diagram options (-o, --graph, --scale, --from, --to, --title,
 * --absolute, --layout-json, --time-axis) into a call of the renderer, with the renderer's errors
 * mapped to exit codes: a request the user can fix (unknown extension, nothing in the range, a PNG
 * too large) is 2, a failure underneath (cairo, an unwritable path) is 1.
 */
#ifndef TCPSIM_CLI_RENDER_H
#define TCPSIM_CLI_RENDER_H

#include <stdbool.h>
#include <stdint.h>

#include "cli_opts.h"
#include "trace.h"

/* Checks the diagram options before anything runs; returns -1 if fine, else an exit status
 * after printing a message. */
int cli_render_check(const cli_options *o);
/* The --from/--to range as times (us) and packet numbers (defaults: everything); -1 if bad. */
int cli_render_range(const cli_options *o, uint64_t *from_us, uint64_t *to_us, uint64_t *from_pkt,
                     uint64_t *to_pkt);
/* True when path names an HTML page (.html or .htm, any case): the explorer (cli_html.c). */
bool cli_render_is_html(const char *path);
/* Draws `tb` (connection `conn`, or RND_CONN_FIRST) into `path` (NULL: no drawing) and writes its
 * layout to --layout-json's file if given; returns an exit status. */
int cli_render(const trace_buf *tb, const cli_options *o, const char *path, uint32_t conn);
/* The same for several connections in one diagram, a lifeline per host (n >= 2). */
int cli_render_conns(const trace_buf *tb, const cli_options *o, const char *path,
                     const uint32_t *conns, size_t n);

#endif
