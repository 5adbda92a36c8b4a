/*
 * rnd_html_layout.c - the ladder layouts the explorer page draws (rnd_html.h): for each
 * connection of the trace, the layout the PNG, SVG and PDF painters draw, written as the layout
 * JSON of docs/diagrams.md ("tcpsim-ladder-layout", rnd_json.c), so the page and the pictures
 * agree.  Each connection is laid out from its own events without the TCB records, so the
 * layout's event numbers count the connection's events as `--json` writes them; a capture's
 * events are placed by the capture time of their packet, as for `-o FILE.png`.  A connection
 * that cannot be laid out (nothing to draw) is left out: the page lays it out itself.  A
 * scenario's connection is laid out with its own ends from its conn record.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd_html.h"
#include "rnd_json.h"
#include "rnd_layout.h"
#include "rnd_model.h"
#include "rnd_font.h"
#include "rnd_text.h"

/* The ends of a scenario's connection from its conn record ("ADDR:PORT ADDR:PORT"), into meta:
 * the trace's own metadata names the hosts of a scenario with hosts, not a connection's ports.
 * The socket calls outside every connection (conn 0 of such a trace) get no addresses. */
static void conn_ends(const trace_buf *tr, uint32_t conn, trace_meta *meta)
{
    bool hosted = false;
    for (size_t i = 0; i < tr->n; i++) {
        const trace_event *e = &tr->ev[i];
        if (e->kind != TRACE_CONN)
            continue;
        hosted = true;
        if (e->conn != conn)
            continue;
        const char *sp = strchr(e->text, ' ');
        if (sp == NULL)
            return;
        snprintf(meta->addr[0], sizeof meta->addr[0], "%.*s", (int)(sp - e->text), e->text);
        snprintf(meta->addr[1], sizeof meta->addr[1], "%s", sp + 1);
        meta->isn_known[0] = meta->isn_known[1] = false;
        return;
    }
    if (hosted)
        meta->addr[0][0] = meta->addr[1][0] = '\0';
}

/* The events of connection `conn` without TCB records, into out; 0 or -1. */
static int pick(const trace_buf *tr, uint32_t conn, trace_buf *out)
{
    trace_buf_init(out);
    out->meta = tr->meta;
    if (!tr->meta.capture)
        conn_ends(tr, conn, &out->meta);
    for (size_t i = 0; i < tr->n; i++) {
        const trace_event *e = &tr->ev[i];
        if (e->conn != conn || e->kind == TRACE_TCB)
            continue;
        trace_event copy = *e;
        if (tr->meta.capture)
            copy.t = e->t_capture;
        trace_buf_emit(out, &copy);
    }
    return out->oom ? -1 : 0;
}

/* Writes "CONN":{layout} for one connection; returns 1 when written, 0 when it was skipped,
 * -1 on a failure of memory or of out. */
static int one(FILE *out, const trace_buf *tr, uint32_t conn, const rnd_options *o,
               rnd_fonts *fonts, const rnd_style *st, bool first)
{
    trace_buf sub;
    if (pick(tr, conn, &sub) < 0) {
        trace_buf_free(&sub);
        return -1;
    }
    rnd_options oc = *o;
    oc.conn = RND_CONN_FIRST;
    rnd_model m;
    char err[256];
    int rc = rnd_model_build(&m, &sub, &oc, err, sizeof err);
    if (rc != 0) {
        trace_buf_free(&sub);
        return rc == RND_EREQUEST ? 0 : -1;
    }
    rnd_layout lay;
    int written = 0;
    if (rnd_layout_build(&lay, &m, st, rnd_fonts_measure, fonts) != 0) {
        written = -1;
    } else {
        fprintf(out, "%s\"%u\":", first ? "" : ",", (unsigned)conn);
        written = rnd_json_write(out, &lay, &m) == 0 ? 1 : -1;
        rnd_layout_free(&lay);
    }
    rnd_model_free(&m);
    trace_buf_free(&sub);
    return written;
}

int rnd_html_layouts(FILE *out, const trace_buf *tr, const rnd_options *o)
{
    /* the connections, in order of their first event */
    uint32_t conns[RND_HTML_MAX_LAYOUTS];
    size_t n = 0;
    for (size_t i = 0; i < tr->n && n < RND_HTML_MAX_LAYOUTS; i++) {
        uint32_t c = tr->ev[i].conn;
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++)
            seen = conns[k] == c;
        if (!seen)
            conns[n++] = c;
    }
    rnd_style st;
    rnd_style_default(&st);
    st.time_axis = (uint8_t)o->time_axis;
    rnd_fonts fonts;
    fputc('{', out);
    if (n > 0 && rnd_fonts_init(&fonts, &st) == 0) {
        bool first = true;
        for (size_t k = 0; k < n; k++) {
            int rc = one(out, tr, conns[k], o, &fonts, &st, first);
            if (rc < 0) {
                rnd_fonts_free(&fonts);
                return -1;
            }
            if (rc > 0)
                first = false;
        }
        rnd_fonts_free(&fonts);
    }
    fputc('}', out);
    return ferror(out) ? -1 : 0;
}
