/*
 * rnd.h - the public face of render/: draws a trace as a ladder (sequence) diagram or as a
 * Stevens/tcptrace time-sequence graph, into a PNG, SVG or PDF file chosen by the extension.
 *
 * The renderer only knows the trace model (sim/trace.h).  Drawing happens in two steps that the
 * rest of tcpsim never sees: a pure layout (rnd_layout.h) and a cairo paint.  Output goes to a
 * temporary file in the target directory that is renamed over `path` only on success, so a
 * failure never leaves a half-written file behind.
 *
 * Error codes: every function returning int returns 0 (or a non-negative value where said) on
 * success, RND_EREQUEST when the request cannot be honoured as asked (unknown extension, nothing
 * selected, a PNG larger than cairo's 32767-pixel limit) and RND_ERUNTIME when something failed
 * underneath (cairo error, out of memory, an unwritable path).  `err` (may be NULL) receives a
 * one-line message meant for the user.
 */
#ifndef TCPSIM_RND_H
#define TCPSIM_RND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

enum {
    RND_EREQUEST = -1, /* bad request: the caller can fix it (other format, smaller range) */
    RND_ERUNTIME = -2, /* runtime failure: cairo, memory, file system */
};

typedef enum rnd_format { RND_FMT_PNG, RND_FMT_SVG, RND_FMT_PDF } rnd_format;

typedef enum rnd_seq_mode {
    RND_SEQ_AUTO,     /* relative for captures, absolute for simulations */
    RND_SEQ_RELATIVE, /* sequence numbers relative to each side's ISN */
    RND_SEQ_ABSOLUTE, /* sequence numbers as on the wire */
} rnd_seq_mode;

/* What the vertical axis of a ladder diagram follows. */
typedef enum rnd_time_axis {
    RND_AXIS_TRUE,   /* time: one linear scale per unbroken stretch (rnd_layout_time.c) */
    RND_AXIS_EVENTS, /* events: one row per event (rnd_layout.c) */
} rnd_time_axis;

/* PDF pages: one page of the diagram's own size when it fits (up to 14400 points, the PDF
 * limit), else pages of A-series proportions; or the diagram scaled to the width of A4 or US
 * letter paper and split into pages of that paper. */
typedef enum rnd_page_size { RND_PAGE_FIT, RND_PAGE_A4, RND_PAGE_LETTER } rnd_page_size;

#define RND_PDF_MAX_PT 14400.0

typedef enum rnd_dir {
    RND_DIR_AUTO = -1, /* time-sequence graph: the direction that carries more data */
    RND_DIR_CLIENT = TRACE_CLIENT,
    RND_DIR_SERVER = TRACE_SERVER,
} rnd_dir;

#define RND_ALL           UINT64_MAX /* open end of a time or packet range */
#define RND_CONN_FIRST    UINT32_MAX /* draw the first connection found in the trace */
#define RND_PNG_MAX_PIXEL 32767      /* cairo's image surface limit per side */
#define RND_CONNS_MAX     8          /* connections in one ladder diagram (opts.conns) */

typedef struct rnd_options {
    double scale;              /* PNG only: pixels per layout unit (1.0; 2.0 for HiDPI) */
    rnd_seq_mode seq;          /* relative or absolute sequence numbers */
    uint64_t from_us, to_us;   /* time range in microseconds, inclusive (0, RND_ALL) */
    uint64_t from_pkt, to_pkt; /* segment id / packet number range, inclusive (0, RND_ALL) */
    uint32_t conn;             /* connection to draw, or RND_CONN_FIRST */
    const uint32_t *conns;     /* ladder: several connections in one diagram, a lifeline per */
    size_t nconns;             /*   host (nconns >= 2; then conn is ignored); NULL, 0: conn */
    const char *title;         /* overrides the trace's title when not NULL */
    rnd_dir dir;               /* time-sequence graph: whose data to plot */
    rnd_time_axis time_axis;   /* ladder: true time or event rows (RND_AXIS_TRUE) */
    rnd_page_size page;        /* ladder PDF pages (RND_PAGE_FIT) */
    bool show_cwnd;            /* ladder, true time: the sender's cwnd and ssthresh as a track */
} rnd_options;

/* Fills o with the defaults given in the comments above. */
void rnd_options_default(rnd_options *o);

/* Format from the extension of path (.png, .svg, .pdf, any case): a rnd_format value (>= 0), or
 * RND_EREQUEST for anything else. */
int rnd_format_from_path(const char *path);

/* Draws the ladder diagram of one connection of `tr` (or of opts->conns, several in one diagram)
 * into `path` (format from the extension).
 * opts may be NULL for the defaults.  Returns 0, RND_EREQUEST or RND_ERUNTIME. */
int rnd_write_ladder(const trace_buf *tr, const rnd_options *opts, const char *path, char *err,
                     size_t errlen);

/* Writes the layout of the ladder diagram that rnd_write_ladder would draw, as JSON (format
 * "tcpsim-ladder-layout", docs/diagrams.md "Layout JSON"), into `path` ("-": standard output).
 * Returns 0, RND_EREQUEST or RND_ERUNTIME. */
int rnd_write_layout_json(const trace_buf *tr, const rnd_options *opts, const char *path, char *err,
                          size_t errlen);

/* Draws the time-sequence graph of one direction of one connection into `path`.
 * Returns 0, RND_EREQUEST or RND_ERUNTIME. */
int rnd_write_tseq(const trace_buf *tr, const rnd_options *opts, const char *path, char *err,
                   size_t errlen);

#endif
