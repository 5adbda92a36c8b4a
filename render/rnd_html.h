/*
 * rnd_html.h - the explorer page: one self-contained HTML file per trace (docs/explorer.md).
 *
 * The page is the template render/explorer/explorer.html with its style, its script, the trace's
 * data and the ladder layouts written in place: everything inline, nothing fetched, so it works
 * from file:// and offline.  The trace's data (its --json records, text lines and header bytes)
 * is serialised by the caller, which knows those formats (cli/cli_html.c); this module computes
 * the ladder layouts from the trace itself (rnd_html_layout.c), so the page draws the same
 * picture as the PNG, SVG and PDF.
 */
#ifndef TCPSIM_RND_HTML_H
#define TCPSIM_RND_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "rnd.h"

typedef struct rnd_html_page {
    const char *title; /* the page's title (the scenario or the capture file) */
    const char *data;  /* the data object: a JSON text (docs/explorer.md, "The page's data") */
    size_t data_len;
    const trace_buf *tr; /* the trace: its ladder layouts are embedded (NULL: none) */
} rnd_html_page;

/* Writes the page to `path` (through a temporary file, renamed into place when complete).
 * Returns 0, RND_EREQUEST or RND_ERUNTIME with a message in err. */
int rnd_write_html(const rnd_html_page *p, const rnd_options *o, const char *path, char *err,
                   size_t errlen);

/* Writes the layouts object {"CONN": layout, ...} of every connection of tr (at most
 * RND_HTML_MAX_LAYOUTS; the page lays out the others itself).  Returns 0 or -1. */
#define RND_HTML_MAX_LAYOUTS 64
int rnd_html_layouts(FILE *out, const trace_buf *tr, const rnd_options *o);

/* One line of the index of `--scenario all`. */
typedef struct rnd_html_entry {
    const char *name, *file, *summary, *description;
} rnd_html_entry;
/* Writes index.html: a list of links to the pages.  Returns 0 or RND_ERUNTIME. */
int rnd_write_html_index(const char *path, const rnd_html_entry *e, size_t n, char *err,
                         size_t errlen);

/* Writes s as HTML text (escaping & < > " '). */
void rnd_html_text(FILE *out, const char *s);

#endif
